"""Funding's part of a person's data (see localcompact.accounts.personal_data).

What a person did here was done for an organisation and is part of the compact's record:
the plans, opportunities and awards they recorded, the applications they submitted, the
sector involvement, returns reviewed, wind-down notices and changes they recorded, and
every step in the funding history made by them. All of it is kept on erasure, still
pointing at the anonymised account, so the pages then name "a former user". Nothing here
is only personal (no contact details, nothing sent to them), so nothing is deleted.

The download lists those records with what they wrote in them. It leaves out what
others wrote about them, such as the funder's reasons for an outcome or a reviewer's
note on a return someone else made.
"""

import datetime as dt

from localcompact.core.logging import audit_log

from .models import (
    Application,
    Award,
    CommissioningPlan,
    FundingChange,
    FundingEvent,
    Involvement,
    MonitoringReturn,
    Opportunity,
    WindDownNotice,
)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _subject(event: FundingEvent) -> str:
    for thing in (event.plan, event.opportunity, event.application, event.award):
        if thing is not None:
            return str(thing)
    return ""


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """The funding records the person made, and the steps in funding history they took."""
    return {
        "funding_plans_started": [
            {
                "title": p.title,
                "commissioner": p.commissioner.name,
                "summary": p.summary,
                "started": _iso(p.created_at),
            }
            for p in CommissioningPlan.objects.filter(created_by=user)
            .select_related("commissioner")
            .order_by("created_at", "pk")
        ],
        "funding_involvement_recorded": [
            {
                "plan": i.plan.title,
                "stage": i.get_stage_display(),
                "kind": i.get_kind_display(),
                "held_on": _iso(i.held_on),
                "description": i.description,
                "consultation": i.consultation,
                "recorded": _iso(i.created_at),
            }
            for i in Involvement.objects.filter(recorded_by=user)
            .select_related("plan")
            .order_by("created_at", "pk")
        ],
        "funding_opportunities_set_up": [
            {
                "code": o.code,
                "title": o.title,
                "funder": o.funder.name,
                "status": o.get_status_display(),
                "set_up": _iso(o.created_at),
            }
            for o in Opportunity.objects.filter(created_by=user)
            .select_related("funder")
            .order_by("created_at", "pk")
        ],
        "funding_applications_submitted": [
            {
                "opportunity": a.opportunity.title,
                "applicant": a.applicant.name,
                "title": a.title,
                "summary": a.summary,
                "direct_costs": str(a.direct_costs),
                "overheads": str(a.overheads),
                "overheads_basis": a.overheads_basis,
                "submitted_on": _iso(a.submitted_on),
                "status": a.get_status_display(),
            }
            for a in Application.objects.filter(submitted_by=user)
            .select_related("opportunity", "applicant")
            .order_by("submitted_on", "pk")
        ],
        "funding_awards_recorded": [
            {
                "title": a.title,
                "funder": a.funder.name,
                "recipient": a.recipient.name,
                "amount": str(a.amount),
                "starts": _iso(a.starts_on),
                "ends": _iso(a.ends_on),
                "recorded": _iso(a.created_at),
            }
            for a in Award.objects.filter(recorded_by=user)
            .select_related("funder", "recipient")
            .order_by("created_at", "pk")
        ],
        "funding_returns_reviewed": [
            {
                "award": r.award.title,
                "period": r.period,
                "reviewed_on": _iso(r.reviewed_on),
                "assessment": r.get_assessment_display(),
                "note": r.review_note,
            }
            for r in MonitoringReturn.objects.filter(reviewed_by=user)
            .select_related("award")
            .order_by("reviewed_on", "pk")
        ],
        "funding_wind_down_notices_recorded": [
            {
                "award": n.award.title,
                "service_ends_on": _iso(n.service_ends_on),
                "given_on": _iso(n.given_on),
                "reason": n.reason,
                "recorded": _iso(n.created_at),
            }
            for n in WindDownNotice.objects.filter(recorded_by=user)
            .select_related("award")
            .order_by("created_at", "pk")
        ],
        "funding_changes_recorded": [
            {
                "award": c.award.title,
                "summary": c.summary,
                "consultation": c.consultation,
                "takes_effect_on": _iso(c.takes_effect_on),
                "recorded": _iso(c.created_at),
            }
            for c in FundingChange.objects.filter(recorded_by=user)
            .select_related("award")
            .order_by("created_at", "pk")
        ],
        "funding_history": [
            {
                "about": _subject(e),
                "step": e.label,
                "note": e.note,
                "on": _iso(e.on),
                "at": _iso(e.at),
            }
            for e in FundingEvent.objects.filter(by=user)
            .select_related("plan", "opportunity", "application__applicant", "award")
            .order_by("at", "pk")
        ],
    }


# What erasure keeps: every user foreign key of the app (the compact's record).
KEPT = (
    (CommissioningPlan, "created_by"),
    (Involvement, "recorded_by"),
    (Opportunity, "created_by"),
    (Application, "submitted_by"),
    (Award, "recorded_by"),
    (MonitoringReturn, "reviewed_by"),
    (WindDownNotice, "recorded_by"),
    (FundingChange, "recorded_by"),
    (FundingEvent, "by"),
)


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    """Nothing to delete: count the records kept, now naming "a former user"."""
    kept = sum(model.objects.filter(**{field: user}).count() for model, field in KEPT)
    audit_log("funding.personal_data_erased", user=user, by=by, records_kept=kept)
    return {"funding records kept": kept}
