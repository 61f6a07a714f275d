"""Informing notices' part of a person's data (see localcompact.accounts.personal_data).

What a person did here was done for a public body and is part of the compact's record:
the notices they drafted, every change they made to one (drafting, changing, publishing,
withdrawing, adding or removing a document) and the documents they uploaded. All of it
is kept on erasure, still pointing at the anonymised account, so the history pages then
name "a former user". Nothing here is only personal (no contact details of theirs, no
messages to them), so nothing is deleted.

The download names each notice by its reference and title. For a notice that was ever
restricted (embargoed or confidential) it gives the reference only and leaves out the
free text (a withdrawal reason, a document's title): that is the issuing body's
restricted information, not the person's, and the file may be passed on.
"""

import datetime as dt

from localcompact.core.logging import audit_log

from .models import Notice, NoticeDocument, NoticeEvent


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _open_text(notice: Notice, text: str) -> str:
    """Free text about a notice, unless the notice was restricted."""
    return "" if notice.is_restricted else text


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """The notices they drafted, the changes they made and the documents they uploaded."""
    return {
        "informing_notices_drafted": [
            {
                "reference": n.reference,
                "title": n.label,
                "issued_by": n.issued_by.name,
                "compact": n.compact.name,
                "status": n.get_status_display(),
                "drafted": _iso(n.created_at),
                "published_on": _iso(n.published_on),
                "withdrawn_on": _iso(n.withdrawn_on),
            }
            for n in Notice.objects.filter(created_by=user)
            .select_related("issued_by", "compact")
            .order_by("created_at", "pk")
        ],
        "informing_notice_changes_made": [
            {
                "notice": e.notice.reference,
                "title": e.notice.label,
                "change": e.get_kind_display(),
                "fields": e.changed,
                "note": _open_text(e.notice, e.note),
                "on": _iso(e.on),
                "at": _iso(e.at),
            }
            for e in NoticeEvent.objects.filter(by=user)
            .select_related("notice")
            .order_by("at", "pk")
        ],
        "informing_notice_documents_uploaded": [
            {
                "notice": d.notice.reference,
                "title": _open_text(d.notice, d.title),
                "file_name": _open_text(d.notice, d.original_name),
                "size": d.size,
                "uploaded": _iso(d.uploaded_at),
            }
            for d in NoticeDocument.objects.filter(uploaded_by=user)
            .select_related("notice")
            .order_by("uploaded_at", "pk")
        ],
    }


# What erasure keeps: every user foreign key of the app (the compact's record).
KEPT = ((Notice, "created_by"), (NoticeEvent, "by"), (NoticeDocument, "uploaded_by"))


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    """Nothing to delete: count the records kept, now naming "a former user"."""
    kept = sum(model.objects.filter(**{field: user}).count() for model, field in KEPT)
    audit_log("notices.personal_data_erased", user=user, by=by, records_kept=kept)
    return {"informing notice records kept": kept}
