"""Making a compact-proofing report (the app's one write).

A report is never edited: a changed draft is proofed again as a new report. The draft's
text is checked against the compact's current version and kept with the findings; an
uploaded file is kept too (through `core.uploads`), for the organisation's members to
download.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from localcompact.compacts.models import Compact
from localcompact.core.logging import audit_log
from localcompact.core.uploads import document_store
from localcompact.organisations.models import Organisation

from .checks import proof
from .models import DraftKind, ProofingDocument, ProofingReport

MAX_TEXT = 200_000  # characters: a long policy document; more is refused, not truncated


class Refused(Exception):
    """A service would not do what was asked; `message` says why."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def text_from_upload(uploaded) -> str:
    """The text of an uploaded plain-text draft (UTF-8, as `core.uploads` checks)."""
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused("The selected file must be saved as UTF-8 text", field="document") from None


@transaction.atomic
def report_create(
    *,
    organisation: Organisation,
    compact: Compact,
    kind: str,
    title: str,
    text: str = "",
    uploaded=None,
    by,
    now: dt.datetime,
) -> ProofingReport:
    """Proof a draft (pasted `text`, or an `uploaded` plain-text file) against the
    compact's current version and keep the report."""
    if kind not in DraftKind.values:
        raise Refused("Select what the draft is", field="kind")
    version = compact.current_version
    if version is None:
        raise Refused(f"The {compact.name} has not been loaded yet", field="compact")
    if uploaded is not None:
        text = text_from_upload(uploaded)
    text = (text or "").strip()
    if not text:
        field = "document" if uploaded is not None else "text"
        raise Refused("The draft has no text to check", field=field)
    if len(text) > MAX_TEXT:
        raise Refused(
            f"The draft is longer than {MAX_TEXT:,} characters: check it in parts",
            field="document" if uploaded is not None else "text",
        )
    proofed = proof(text=text, kind=kind, version=version)
    report = ProofingReport.objects.create(
        organisation=organisation,
        compact=compact,
        version=version,
        kind=kind,
        title=title.strip(),
        text=text,
        findings=proofed.findings,
        measures=proofed.measures,
        passes=proofed.blocking == 0,
        blocking=proofed.blocking,
        created_by=by,
        created_at=now,
    )
    if uploaded is not None:
        document_store(ProofingDocument(report=report), uploaded, by=by)
    audit_log(
        "proofing.report-made",
        report=report.pk,
        organisation=organisation.pk,
        compact=compact.pk,
        passes=report.passes,
        by=by,
    )
    return report
