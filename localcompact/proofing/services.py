"""Making a compact-proofing report, attaching it as evidence and removing it again.

A report is never edited: a changed draft is proofed again as a new report. The draft's
text is checked against the compact's current version and kept with the findings; an
uploaded file is kept too (through `core.uploads`), for the organisation's members to
download. Attaching and removing evidence are recorded in the evidence's history (who,
when) and in the audit log.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from localcompact.compacts.models import Compact
from localcompact.core.logging import audit_log
from localcompact.core.uploads import document_store, extension_of
from localcompact.organisations.models import Organisation

from . import docx_text
from .checks import proof
from .models import DraftKind, ProofingDocument, ProofingEvidence, ProofingReport, new_reference

MAX_TEXT = 200_000  # characters: a long policy document; more is refused, not truncated


class Refused(Exception):
    """A service would not do what was asked; `message` says why."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def text_from_upload(uploaded) -> str:
    """The text of an uploaded draft: a Word document (read by `docx_text`, which
    refuses macros, encryption and zip bombs) or plain text (UTF-8, as `core.uploads`
    checks)."""
    if extension_of(uploaded.name) == "docx":
        try:
            return docx_text.text_of(uploaded)
        except docx_text.Unreadable as unreadable:
            raise Refused(str(unreadable), field="document") from None
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
    """Proof a draft (pasted `text`, or an `uploaded` .txt or .docx file) against the
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
        reference=new_reference() if proofed.blocking == 0 else None,
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


@transaction.atomic
def report_attach(
    *, report: ProofingReport, consultation=None, plan=None, by, now: dt.datetime
) -> ProofingEvidence:
    """Attach `report` as evidence to a consultation or a commissioning plan of the same
    organisation, checked against the same compact. Both are public, so the report is
    made public (`published_at`, set once and kept)."""
    if (consultation is None) == (plan is None):
        raise Refused("Choose a consultation or a commissioning plan", field="target")
    report = ProofingReport.objects.select_for_update().select_related("compact").get(pk=report.pk)
    if consultation is not None:
        owner, compact_id, what = consultation.lead_id, consultation.compact_id, "consultation"
    else:
        owner, compact_id, what = plan.commissioner_id, plan.version.compact_id, "plan"
    if owner != report.organisation_id:
        raise Refused(
            f"A report can only be attached to a {what} of the organisation it was made for",
            field="target",
        )
    if compact_id != report.compact_id:
        raise Refused(
            f"The report was checked against the {report.compact.name}; the {what} runs "
            "under another compact. Check the draft against its compact first.",
            field="target",
        )
    if ProofingEvidence.objects.filter(
        report=report, consultation=consultation, plan=plan
    ).exists():
        raise Refused(f"The report is already attached to this {what}", field="target")
    evidence = ProofingEvidence(
        report=report, consultation=consultation, plan=plan, attached_by=by, attached_at=now
    )
    evidence._history_user = by
    evidence._history_date = now
    evidence.save()
    if report.published_at is None:
        report.published_at = now
        report.save(update_fields=["published_at"])
    audit_log(
        "proofing.report-attached",
        report=report.pk,
        consultation=consultation.pk if consultation else None,
        plan=plan.pk if plan else None,
        published=True,
        by=by,
    )
    return evidence


def stays_public(report: ProofingReport, *, other_evidence: int) -> bool:
    """Whether a public report stays public once one of its attachments is removed: while
    it is evidence for something else, or while it passes (its compact mark's public page
    links to it; see models). A failing report attached nowhere is private again."""
    return report.published_at is not None and (other_evidence > 0 or report.passes)


@transaction.atomic
def evidence_remove(*, evidence: ProofingEvidence, by, now: dt.datetime) -> ProofingReport:
    """Remove a report as evidence for a consultation or a commissioning plan, and make
    the report private again if nothing public rests on it any more (`stays_public`).
    The removal is kept in the evidence's history, with what became of the report."""
    report = ProofingReport.objects.select_for_update().get(pk=evidence.report_id)
    row = ProofingEvidence.objects.filter(pk=evidence.pk, report=report).first()
    if row is None:
        raise Refused("The report is no longer evidence for this")
    others = ProofingEvidence.objects.filter(report=report).exclude(pk=row.pk).count()
    public = stays_public(report, other_evidence=others)
    row._history_user = by
    row._history_date = now
    row._change_reason = (
        "Removed as evidence; the report stays public"
        if public
        else "Removed as evidence; the report is no longer public"
    )
    row.delete()
    if report.published_at is not None and not public:
        report.published_at = None
        report.save(update_fields=["published_at"])
    audit_log(
        "proofing.evidence-removed",
        report=report.pk,
        consultation=row.consultation_id,
        plan=row.plan_id,
        published=public,
        by=by,
    )
    return report
