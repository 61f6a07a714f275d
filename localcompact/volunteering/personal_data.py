"""Volunteering and inclusion's part of a person's data (see
localcompact.accounts.personal_data).

Two kinds of record here are about the person themselves, and may have been made
without signing in, by e-mail address alone:

- interest they expressed in an opportunity (their name, address and message, sent to
  the host): only personal, so erasure deletes it;
- requests they made for another format or language: erasure blanks their name,
  address and what they wrote, and changes the private link so the old one stops
  working. The request, its format and the organisation's answer stay, as the
  inclusive-city progress report counts requests made and met.

The rest was done for an organisation and is part of the compact's record, kept on
erasure and then naming "a former user": opportunities they created, policies and
figures they recorded, impact assessments, and the format requests they answered.

The download matches records made without signing in by the account's verified
addresses only (an address added to an account but never confirmed could be anyone's);
it leaves out other people's details (the requester of a request they answered, an
opportunity's key contact) and secrets (a request's private link). Erasure matches by
the confirmed addresses the erasure hook gives (``emails``), so the same rule holds.
"""

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db.models import Q

from localcompact.core.logging import audit_log

from .models import (
    EqualityPolicy,
    FormatRequest,
    ImpactAssessment,
    Interest,
    Opportunity,
    VolunteeringFigures,
    VolunteeringPolicy,
)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _theirs(user, emails: Iterable[str]) -> Q:
    """Made while signed in as `user`, or by one of `emails` (any case)."""
    query = Q(user=user)
    for email in emails:
        query |= Q(email__iexact=email)
    return query


def _verified(user) -> list[str]:
    from allauth.account.models import EmailAddress

    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """Interest they expressed, requests they made, and what they recorded for an
    organisation."""
    theirs = _theirs(user, _verified(user))
    return {
        "volunteering_interest_expressed": [
            {
                "opportunity": i.opportunity.title,
                "organisation": i.opportunity.organisation.name,
                "name": i.name,
                "email": i.email,
                "message": i.message,
                "sent": _iso(i.created_at),
            }
            for i in Interest.objects.filter(theirs)
            .select_related("opportunity__organisation")
            .order_by("created_at", "pk")
        ],
        "format_requests_made": [
            {
                "organisation": r.addressee,
                "subject": r.subject,
                "format": r.format_label,
                "details": r.details,
                "needed_by": _iso(r.needed_by),
                "name": r.name,
                "email": r.email,
                "made_on": _iso(r.made_on),
                "status": r.get_status_display(),
                "answer": r.answer,
                "answered_on": _iso(r.answered_on),
            }
            for r in FormatRequest.objects.filter(theirs)
            .select_related("organisation", "compact")
            .order_by("made_on", "pk")
        ],
        "format_requests_answered": [
            {
                "organisation": r.addressee,
                "subject": r.subject,
                "format": r.format_label,
                "status": r.get_status_display(),
                "answer": r.answer,
                "answered_on": _iso(r.answered_on),
            }
            for r in FormatRequest.objects.filter(answered_by=user)
            .select_related("organisation", "compact")
            .order_by("answered_on", "pk")
        ],
        "volunteering_opportunities_created": [
            {
                "title": o.title,
                "organisation": o.organisation.name,
                "status": o.get_status_display(),
                "created": _iso(o.created_at),
            }
            for o in Opportunity.objects.filter(created_by=user)
            .select_related("organisation")
            .order_by("created_at", "pk")
        ],
        "volunteering_policies_saved": [
            {"organisation": p.organisation.name, "saved": _iso(p.updated_at)}
            for p in VolunteeringPolicy.objects.filter(updated_by=user)
            .select_related("organisation")
            .order_by("updated_at", "pk")
        ],
        "volunteering_figures_recorded": [
            {
                "organisation": f.organisation.name,
                "year": f.year,
                "volunteers": f.volunteers,
                "hours": f.hours,
                "business_volunteers": f.business_volunteers,
                "recorded": _iso(f.recorded_at),
            }
            for f in VolunteeringFigures.objects.filter(recorded_by=user)
            .select_related("organisation")
            .order_by("recorded_at", "pk")
        ],
        "equality_policies_saved": [
            {
                "organisation": p.organisation.name,
                "kind": p.get_kind_display(),
                "saved": _iso(p.updated_at),
            }
            for p in EqualityPolicy.objects.filter(updated_by=user)
            .select_related("organisation")
            .order_by("updated_at", "pk")
        ],
        "equality_impact_assessments_recorded": [
            {
                "title": a.title,
                "organisation": a.organisation.name,
                "assessed_on": _iso(a.assessed_on),
                "recorded": _iso(a.created_at),
            }
            for a in ImpactAssessment.objects.filter(recorded_by=user)
            .select_related("organisation")
            .order_by("created_at", "pk")
        ],
    }


# What erasure keeps: the user foreign keys on the compact's record.
KEPT = (
    (Opportunity, "created_by"),
    (VolunteeringPolicy, "updated_by"),
    (VolunteeringFigures, "recorded_by"),
    (EqualityPolicy, "updated_by"),
    (ImpactAssessment, "recorded_by"),
    (FormatRequest, "answered_by"),
)


def _fresh_reference() -> str:
    while True:
        reference = secrets.token_urlsafe(12)
        if not FormatRequest.objects.filter(reference=reference).exists():
            return reference


def personal_data_erase(sender=None, *, user, by, emails: Iterable[str] = (), **kwargs) -> dict:
    """Delete their interest in opportunities; blank their format requests' personal
    details and change their private links; keep the organisations' records."""
    theirs = _theirs(user, list(emails))
    interests, _ = Interest.objects.filter(theirs).delete()
    requests = 0
    for request in FormatRequest.objects.select_for_update().filter(theirs).order_by("pk"):
        request.name, request.email, request.details = "", "", ""
        request.reference = _fresh_reference()
        request.save(update_fields=["name", "email", "details", "reference"])
        requests += 1
    kept = sum(model.objects.filter(**{field: user}).count() for model, field in KEPT)
    audit_log(
        "volunteering.personal_data_erased",
        user=user,
        by=by,
        interests_deleted=interests,
        format_requests_blanked=requests,
        records_kept=kept,
    )
    return {
        "volunteering interests deleted": interests,
        "format requests blanked": requests,
        "volunteering records kept": kept,
    }
