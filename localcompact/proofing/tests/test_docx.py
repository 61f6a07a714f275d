"""Word drafts: the text of a real .docx (made here with python-docx) is read with its
headings and tables, and what is not a safe Word document is refused with a message
that says what to do: a renamed text file, a zip bomb, a macro-enabled file (named
.docm, or renamed .docx), a password-protected one."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from localcompact.proofing import docx_text, services
from localcompact.proofing.models import ProofingDocument, ProofingReport

from .conftest import NOW
from .factories import consultation

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word_file(*, paragraphs=(), heading="", table=(), name="draft.docx") -> SimpleUploadedFile:
    document = docx.Document()
    if heading:
        document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=DOCX)


def rezip(uploaded: SimpleUploadedFile, *, name="draft.docx", extra=(), replace=None):
    """A copy of a .docx with parts added or changed."""
    source = zipfile.ZipFile(io.BytesIO(uploaded.read()))
    uploaded.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if replace and item.filename in replace:
                data = replace[item.filename](data)
            target.writestr(item.filename, data)
        for part_name, data in extra:
            target.writestr(part_name, data)
    return SimpleUploadedFile(name, out.getvalue(), content_type=DOCX)


# The text ------------------------------------------------------------------------------


def test_the_text_keeps_headings_paragraphs_and_table_cells_in_reading_order():
    uploaded = word_file(
        heading="Draft parks strategy",
        paragraphs=["We keep to the Leicester Compact.", "", "Tell us what you think."],
        table=[("When", "What"), ("1 March 2027", "The consultation opens")],
    )
    text = docx_text.text_of(uploaded)
    assert text.splitlines() == [
        "Draft parks strategy",
        "We keep to the Leicester Compact.",
        "",
        "Tell us what you think.",
        "",
        "When",
        "What",
        "1 March 2027",
        "The consultation opens",
    ]


def test_a_merged_cell_is_read_once():
    document = docx.Document()
    grid = document.add_table(rows=1, cols=3)
    merged = grid.cell(0, 0).merge(grid.cell(0, 1))
    merged.text = "Across two columns"
    grid.cell(0, 2).text = "Alone"
    buffer = io.BytesIO()
    document.save(buffer)
    text = docx_text.text_of(SimpleUploadedFile("t.docx", buffer.getvalue()))
    assert text.splitlines() == ["Across two columns", "Alone"]


# What is refused -------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = rezip(
        word_file(paragraphs=["Hello"]), extra=[("word/media/zeros.bin", b"\0" * (5 << 20))]
    )
    with pytest.raises(docx_text.Unreadable, match="unpacks to far more than its size"):
        docx_text.text_of(bomb)


def test_too_much_unpacked_in_all_is_refused(monkeypatch):
    monkeypatch.setattr(docx_text, "MAX_UNCOMPRESSED", 10_000)
    uploaded = word_file(paragraphs=["Hello"])
    with pytest.raises(docx_text.Unreadable, match="unpacks to more than"):
        docx_text.text_of(uploaded)


def test_a_main_document_part_too_large_to_parse_is_refused(monkeypatch):
    monkeypatch.setattr(docx_text, "MAX_TEXT_PART", 100)
    with pytest.raises(docx_text.Unreadable, match="too long to check in one go"):
        docx_text.text_of(word_file(paragraphs=["Hello"]))


def test_an_archive_of_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(docx_text, "MAX_MEMBERS", 5)
    with pytest.raises(docx_text.Unreadable, match="more than 5 parts"):
        docx_text.text_of(word_file(paragraphs=["Hello"]))


def _macro_enabled(data: bytes) -> bytes:
    return data.replace(
        b"wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )


def test_a_macro_enabled_document_renamed_docx_is_refused():
    renamed = rezip(
        word_file(paragraphs=["Hello"]),
        extra=[("word/vbaProject.bin", b"macro")],
        replace={"[Content_Types].xml": _macro_enabled},
    )
    with pytest.raises(docx_text.Unreadable, match="contains macros"):
        docx_text.text_of(renamed)


def test_a_password_protected_document_is_refused():
    ole = SimpleUploadedFile("secret.docx", docx_text.OLE + b"\0" * 600)
    with pytest.raises(docx_text.Unreadable, match="password-protected"):
        docx_text.text_of(ole)


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(docx_text.Unreadable, match="not a real Word document"):
        docx_text.text_of(SimpleUploadedFile("x.docx", out.getvalue()))


def test_a_damaged_archive_is_refused():
    damaged = SimpleUploadedFile("x.docx", b"PK\x03\x04" + b"\x01" * 200)
    with pytest.raises(docx_text.Unreadable, match="could not be read"):
        docx_text.text_of(damaged)


# Through the service and the form ----------------------------------------------------------


@pytest.mark.django_db
def test_a_word_draft_is_checked_and_the_file_kept(world):
    uploaded = word_file(
        heading="Library consultation",
        paragraphs=consultation(weeks=6).split(". "),
        name="library.docx",
    )
    made = services.report_create(
        organisation=world.council,
        compact=world.leicester,
        kind="consultation",
        title="Library",
        uploaded=uploaded,
        by=world.user("officer"),
        now=NOW,
    )
    assert made.text.startswith("Library consultation\n")
    assert any(
        f["kind"] == "consultation-period" and f["level"] == "blocking" for f in made.findings
    )
    document = ProofingDocument.objects.get(report=made)
    assert document.original_name == "library.docx"
    assert document.content_type == DOCX


def _post(client, world, uploaded):
    client.force_login(world.user("officer"))
    return client.post(
        reverse("proofing:new", args=[world.council.slug]),
        {
            "title": "Draft",
            "kind": "other",
            "compact": str(world.leicester.pk),
            "document": uploaded,
        },
    )


@pytest.mark.django_db
def test_the_form_takes_a_word_document(client, world):
    response = _post(client, world, word_file(paragraphs=["We keep to the Leicester Compact."]))
    made = ProofingReport.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.text == "We keep to the Leicester Compact."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "uploaded, message",
    [
        (
            SimpleUploadedFile("renamed.docx", b"Just some text, renamed."),
            "The selected file is not a real DOCX file",
        ),
        (
            SimpleUploadedFile("macros.docm", b"PK\x03\x04 anything"),
            "The selected file contains macros",
        ),
        (
            SimpleUploadedFile("secret.docx", docx_text.OLE + b"\0" * 600),
            "The selected file is password-protected",
        ),
    ],
    ids=["renamed-text", "docm", "encrypted"],
)
def test_the_form_refuses_what_is_not_a_safe_word_document(client, world, uploaded, message):
    response = _post(client, world, uploaded)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProofingReport.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_a_zip_bomb_and_keeps_nothing(client, world):
    bomb = rezip(word_file(paragraphs=["Hi"]), extra=[("word/media/zeros.bin", b"\0" * (5 << 20))])
    response = _post(client, world, bomb)
    assert response.status_code == 400
    assert "unpacks to far more than its size" in response.content.decode()
    assert not ProofingReport.objects.exists()
    assert not ProofingDocument.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_a_renamed_macro_enabled_document(client, world):
    renamed = rezip(
        word_file(paragraphs=["Hello"]),
        extra=[("word/vbaProject.bin", b"macro")],
        replace={"[Content_Types].xml": _macro_enabled},
    )
    response = _post(client, world, renamed)
    assert response.status_code == 400
    assert "contains macros" in response.content.decode()
