"""Consultations' part of a person's data (see localcompact.accounts.personal_data).

What the app holds about a person: the responses they wrote (as an individual, a
petition's sender, or for an organisation), the topics and areas they follow, the
consultations they planned, the changes they made to consultations and the documents they
added. Anonymous responses are linked to no one (no user, name or time is stored), so
they are in no one's file and no erasure can reach them.

On erasure the consultations' record is kept, naming "a former user": the consultations
they planned and ran, their history and documents, and every response they sent (the
lead body counted it, themed it and may have published it, and owes feedback on it).
What is only personal goes: the name they gave on a response sent as an individual, the
drafts they started as an individual or for a petition and never sent, and the topics and
areas they follow (so no more e-mails). Drafts for an organisation are the organisation's
and stay for its other officers to finish.
"""

import datetime as dt

from localcompact.core.logging import audit_log

from .models import (
    Consultation,
    ConsultationDocument,
    ConsultationEvent,
    Response,
    ResponseKind,
    Subscription,
)

# Only a person's own drafts are removed; an organisation's belong to it.
OWN_KINDS = (ResponseKind.INDIVIDUAL, ResponseKind.PETITION)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """The responses they wrote, the topics and areas they follow, the consultations they
    planned, the changes they made to consultations and the documents they added."""
    responses = (
        Response.objects.filter(user=user)
        .exclude(kind=ResponseKind.ANONYMOUS)
        .select_related("consultation__lead", "organisation")
        .prefetch_related("joint_organisations")
        .order_by("pk")
    )
    events = ConsultationEvent.objects.filter(by=user).select_related("consultation")
    return {
        "consultation_responses": [
            {
                "consultation": r.consultation.title,
                "lead_body": r.consultation.lead.name,
                "responding": r.get_kind_display(),
                "state": r.get_state_display(),
                "organisation": r.organisation.name if r.organisation else None,
                "joint_with": [o.name for o in r.joint_organisations.all()],
                "name_given": r.respondent_name,
                "represents": r.represents,
                "views_gathered": r.views_gathered,
                "petition_organiser": r.petition_organiser,
                "petition_signatures": r.petition_signatures,
                "answer": r.answer,
                "started": _iso(r.started_on),
                "sent": _iso(r.submitted_on),
                "acknowledged": _iso(r.acknowledged_on),
                "agreed_to_publication": r.consent_to_publish,
                "published": _iso(r.published_on),
                "published_text": r.published_text,
            }
            for r in responses
        ],
        "consultation_topics_followed": [
            {"kind": s.tag.get_kind_display(), "name": s.tag.name, "since": _iso(s.created_at)}
            for s in Subscription.objects.filter(user=user)
            .select_related("tag")
            .order_by("tag__kind", "tag__name")
        ],
        "consultations_planned": [
            {
                "title": c.title,
                "lead_body": c.lead.name,
                "compact": c.compact.name,
                "status": c.get_status_display(),
                "opens": _iso(c.opens_on),
                "closes": _iso(c.closes_on),
                "planned_at": _iso(c.created_at),
            }
            for c in Consultation.objects.filter(created_by=user)
            .select_related("lead", "compact")
            .order_by("created_at", "pk")
        ],
        "consultation_changes_made": [
            {
                "consultation": e.consultation.title,
                "change": e.kind,
                "from": e.from_status,
                "to": e.to_status,
                "on": _iso(e.on),
                "at": _iso(e.at),
                "note": e.note,
            }
            for e in events.order_by("at", "pk")
        ],
        "consultation_documents_added": [
            {
                "consultation": d.consultation.title,
                "title": d.title,
                "file_name": d.original_name,
                "added": _iso(d.uploaded_at),
            }
            for d in ConsultationDocument.objects.filter(uploaded_by=user)
            .select_related("consultation")
            .order_by("uploaded_at", "pk")
        ],
    }


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    """Unfollow every topic and area, remove their own unsent drafts, and clear the name
    they gave on the responses they sent as individuals; the rest is kept (see above)."""
    unfollowed, _ = Subscription.objects.filter(user=user).delete()
    drafts = Response.objects.filter(user=user, state=Response.State.DRAFT, kind__in=OWN_KINDS)
    drafts_removed = drafts.delete()[1].get(Response._meta.label, 0)
    names_cleared = (
        Response.objects.filter(user=user, kind=ResponseKind.INDIVIDUAL)
        .exclude(respondent_name="")
        .update(respondent_name="")
    )
    counts = {
        "consultation topics unfollowed": unfollowed,
        "consultation drafts removed": drafts_removed,
        "consultation response names cleared": names_cleared,
    }
    audit_log(
        "consultations.personal_data_erased",
        user=user,
        by=by,
        topics_unfollowed=unfollowed,
        drafts_removed=drafts_removed,
        names_cleared=names_cleared,
    )
    return counts
