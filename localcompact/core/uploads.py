"""Uploaded documents: checked on the way in, stored under names nobody chose, and only
ever served through a view that has checked who may see them.

An app keeps its documents in a model of its own that subclasses `UploadedDocument`
(adding the foreign key to what the document belongs to), takes the file through a
`DocumentField` on its form, saves it with `document_store`, and serves it from a view
that checks permission first and then returns `document_response(document)`.

Checks (`DocumentField`): the file is not empty, not larger than `UPLOAD_MAX_BYTES`, has
one of the extensions in `ALLOWED`, and its first bytes are what that kind of file starts
with (so a renamed program or web page is refused). Files are stored as
`<app label>/<year>/<random>.<ext>`; the name the uploader gave is kept only as text, made
safe, and used as the download name. Downloads are attachments, with `nosniff` and a
sandboxing content security policy, never cached by shared caches.
"""

import hashlib
import re
import unicodedata
import uuid
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.db import models
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from .forms import _Govuk

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy Word and Excel
TEXT = None  # checked by decoding instead of by signature

# extension -> (content type, the first bytes a file of that kind starts with)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "doc": ("application/msword", OLE),
    "xls": ("application/vnd.ms-excel", OLE),
    "rtf": ("application/rtf", (b"{\\rtf",)),
    "csv": ("text/csv", TEXT),
    "txt": ("text/plain", TEXT),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
DESCRIBED = "PDF, Word, Excel, PowerPoint, OpenDocument, RTF, CSV, plain text, PNG or JPEG"


def max_bytes() -> int:
    return getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


def extension_of(name: str) -> str:
    suffix = PurePath(name or "").suffix
    return suffix[1:].lower() if suffix else ""


def safe_name(name: str) -> str:
    """The uploader's file name reduced to something safe to show and to download as:
    no folders, no control or reserved characters, at most 100 characters."""
    name = PurePath(str(name).replace("\\", "/")).name
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*;]", "", name).strip(" .")
    if not name:
        return "document"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        return name[:100]
    return f"{stem[: 99 - len(ext)]}.{ext}"


def upload_to(instance, filename: str) -> str:
    ext = extension_of(filename)
    year = timezone.now().year
    return f"{instance._meta.app_label}/{year}/{uuid.uuid4().hex}.{ext}"


class GovukFileInput(_Govuk, forms.ClearableFileInput):
    govuk_class = "govuk-file-upload"
    template_name = "core/forms/widgets/file.html"


class DocumentField(forms.FileField):
    """A file upload checked for size, extension and content."""

    widget = GovukFileInput

    def __init__(self, *, what: str = "a file", **kwargs):
        self.what = what
        kwargs.setdefault(
            "help_text",
            f"{DESCRIBED}; up to {filesizeformat(max_bytes())}",
        )
        custom = kwargs.pop("error_messages", None) or {}
        super().__init__(
            error_messages={
                "required": f"Select {what}",
                "empty": "The selected file is empty",
                "invalid": f"Select {what}",
                **custom,
            },
            **kwargs,
        )

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if data and data is not initial:
            check_upload(data)
        return data


def check_upload(uploaded) -> None:
    """Raise a ValidationError saying what to fix, or return quietly."""
    limit = max_bytes()
    if uploaded.size == 0:
        raise forms.ValidationError("The selected file is empty", code="empty")
    if uploaded.size > limit:
        raise forms.ValidationError(
            f"The selected file must be smaller than {filesizeformat(limit)}", code="too_big"
        )
    ext = extension_of(uploaded.name)
    if ext not in ALLOWED:
        raise forms.ValidationError(f"The selected file must be a {DESCRIBED}", code="type")
    _, signatures = ALLOWED[ext]
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    if signatures is TEXT:
        if b"\x00" in head:
            raise forms.ValidationError(
                f"The selected file is not a {ext.upper()} text file", code="content"
            )
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # a multi-byte character cut at the end of the sample is fine
            if error.start < len(head) - 3:
                raise forms.ValidationError(
                    f"The selected {ext.upper()} file must be saved as UTF-8 text",
                    code="content",
                ) from None
    elif not head.startswith(signatures):
        raise forms.ValidationError(
            f"The selected file is not a real {ext.upper()} file", code="content"
        )


class UploadedDocument(models.Model):
    """An uploaded file and what is known about it. Subclass it, adding what it belongs to."""

    file = models.FileField(upload_to=upload_to, max_length=200)
    original_name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return extension_of(self.original_name).upper()


def document_store(document: UploadedDocument, uploaded, *, by) -> UploadedDocument:
    """Fill `document` from a checked upload and save it (file first, then the row)."""
    check_upload(uploaded)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    ext = extension_of(uploaded.name)
    document.original_name = safe_name(uploaded.name)
    document.content_type = ALLOWED[ext][0]
    document.size = uploaded.size
    document.sha256 = digest.hexdigest()
    document.uploaded_by = by if by is not None and by.is_authenticated else None
    document.uploaded_at = timezone.now()
    document.file.save(f"upload.{ext}", uploaded, save=False)
    document.save()
    return document


def document_response(document: UploadedDocument) -> FileResponse:
    """The download of a document whose reader the caller has already checked."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
