"""Compact-proofing's part of a person's data (see localcompact.accounts.personal_data).

A report, the file it was made from, and its attachment as evidence, were made for an
organisation and are its record: on erasure they are kept, still pointing at the
anonymised account, so the pages then name "a former user". Nothing here is only
personal, so nothing is deleted. The download lists the reports a person made, the files
they uploaded, the reports they attached and the evidence they removed, by name; the
drafts' text is the organisation's and is left out.
"""

import datetime as dt

from localcompact.core.logging import audit_log

from .models import ProofingDocument, ProofingEvidence, ProofingReport


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(sender=None, *, user, **kwargs) -> dict:
    return {
        "compact_proofing_reports_made": [
            {
                "title": r.title,
                "organisation": r.organisation.name,
                "compact": r.compact.name,
                "draft": r.get_kind_display(),
                "passes": r.passes,
                "made": _iso(r.created_at),
            }
            for r in ProofingReport.objects.filter(created_by=user)
            .select_related("organisation", "compact")
            .order_by("created_at", "pk")
        ],
        "compact_proofing_files_uploaded": [
            {
                "report": d.report.title,
                "file_name": d.original_name,
                "size": d.size,
                "uploaded": _iso(d.uploaded_at),
            }
            for d in ProofingDocument.objects.filter(uploaded_by=user)
            .select_related("report")
            .order_by("uploaded_at", "pk")
        ],
        "compact_proofing_reports_attached": [
            {
                "report": e.report.title,
                "attached_to": str(e.target),
                "attached": _iso(e.attached_at),
            }
            for e in ProofingEvidence.objects.filter(attached_by=user)
            .select_related("report", "consultation", "plan")
            .order_by("attached_at", "pk")
        ],
        "compact_proofing_evidence_removed": [
            {
                "report": h.report.title,
                "removed_from": str(h.consultation or h.plan),
                "removed": _iso(h.history_date),
            }
            for h in ProofingEvidence.history.filter(history_user=user, history_type="-")
            .select_related("report", "consultation", "plan")
            .order_by("history_date", "history_id")
        ],
    }


# What erasure keeps: every user foreign key of the app (the organisation's record).
KEPT = (
    (ProofingReport, "created_by"),
    (ProofingDocument, "uploaded_by"),
    (ProofingEvidence, "attached_by"),
)


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    """Nothing to delete: count the records kept, now naming "a former user"."""
    kept = sum(model.objects.filter(**{field: user}).count() for model, field in KEPT)
    audit_log("proofing.personal_data_erased", user=user, by=by, records_kept=kept)
    return {"compact-proofing records kept": kept}
