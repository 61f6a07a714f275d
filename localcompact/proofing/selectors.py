"""Reads for compact-proofing: what a report may be attached to, and the evidence
attached to a consultation or a commissioning plan (a fixed number of queries each)."""

from __future__ import annotations

from django.db.models import QuerySet

from localcompact.consultations.models import Consultation
from localcompact.funding.models import CommissioningPlan

from .models import ProofingEvidence, ProofingReport


def attach_targets(report: ProofingReport) -> tuple[list[Consultation], list[CommissioningPlan]]:
    """The organisation's consultations and commissioning plans under the report's
    compact, newest first, that the report is not yet attached to."""
    attached = ProofingEvidence.objects.filter(report=report)
    consultations = list(
        Consultation.objects.filter(lead_id=report.organisation_id, compact_id=report.compact_id)
        .exclude(pk__in=attached.filter(consultation__isnull=False).values("consultation_id"))
        .only("pk", "title", "status", "opens_on", "closes_on")
        .order_by("-opens_on", "-pk")
    )
    plans = list(
        CommissioningPlan.objects.filter(
            commissioner_id=report.organisation_id, version__compact_id=report.compact_id
        )
        .exclude(pk__in=attached.filter(plan__isnull=False).values("plan_id"))
        .only("pk", "title", "stage")
        .order_by("-created_at", "-pk")
    )
    return consultations, plans


def evidence_for(target) -> QuerySet[ProofingEvidence]:
    """The public reports attached to a consultation or a commissioning plan, oldest
    first, with what their summary shows (one query)."""
    if isinstance(target, Consultation):
        rows = ProofingEvidence.objects.filter(consultation=target)
    elif isinstance(target, CommissioningPlan):
        rows = ProofingEvidence.objects.filter(plan=target)
    else:
        raise TypeError(f"Reports are attached to consultations and plans, not {type(target)}")
    return (
        rows.filter(report__published_at__isnull=False)
        .select_related("report", "report__version")
        .only(
            "attached_at",
            "report__title",
            "report__kind",
            "report__passes",
            "report__blocking",
            "report__reference",
            "report__created_at",
            "report__published_at",
            "report__version__name",
        )
        .order_by("attached_at", "pk")
    )


def attached_to(report: ProofingReport) -> list[ProofingEvidence]:
    """Where a report is attached, for its page (one query)."""
    return list(
        ProofingEvidence.objects.filter(report=report)
        .select_related("consultation", "plan")
        .order_by("attached_at", "pk")
    )


def report_by_reference(reference: str) -> ProofingReport | None:
    """The passing report a mark's reference names, or None."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return (
        ProofingReport.objects.filter(reference=reference, passes=True)
        .select_related("organisation", "compact", "version")
        .first()
    )
