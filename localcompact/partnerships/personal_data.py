"""Partnerships' part of a person's data (see localcompact.accounts.personal_data).

What the app holds about a person: the seats on partnership groups linked to their
account (with the access to the group's electronic means they confirmed, their register
of interests and the interests they declared at meetings), and the records they made:
groups set up, meetings scheduled, interests registered and declarations, decisions and
objections recorded, nominations asked for, access confirmed for others, requests to act,
reports of withheld information, consents and freedom-of-information requests, and the
groups' history entries naming them as the person who made a change.

The file leaves out restricted matters they may no longer be entitled to see: an interest
declared on an agenda item that is still restricted is listed without the item's title.

On erasure a seat linked to the account stays, as the group's make-up, attendance,
declarations and minutes are the compact's record, but the name recorded on it becomes
"a former user" (in the seat and in the group's history entries that name it) and the
seat is no longer linked to the account. Everything else is the compact's record and is
kept, its foreign keys pointing at the anonymised account, which pages then name as "a
former user": minutes and decisions, objections, declarations, registers, requests,
reports, consents, FOI records and the history.
"""

import datetime as dt

from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone

from localcompact.accounts.personal_data import FORMER_USER
from localcompact.core.logging import audit_log

from .models import (
    Consent,
    Decision,
    Declaration,
    FoiRequest,
    GroupEvent,
    GroupMember,
    Meeting,
    Nomination,
    Objection,
    PaperDocument,
    PartnershipGroup,
    RegisteredInterest,
    RequestToAct,
    WithheldReport,
)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _item(declaration: Declaration, today: dt.date) -> str:
    item = declaration.item
    if item.restricted_on(today):
        return f"item {item.number} (restricted)"
    return f"item {item.number}: {item.title}"


def _declaration(d: Declaration, today: dt.date) -> dict:
    return {
        "group": d.item.meeting.group.name,
        "meeting": d.item.meeting.title,
        "meeting_date": _iso(d.item.meeting.date),
        "item": _item(d, today),
        "member": d.member.name,
        "interest": d.interest,
        "participation": d.get_participation_display(),
        "recorded": _iso(d.recorded_at),
    }


def _interest(i: RegisteredInterest) -> dict:
    return {
        "group": i.member.group.name,
        "member": i.member.name,
        "description": i.description,
        "registered": _iso(i.registered_on),
        "ended": _iso(i.ended_on),
    }


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """Their seats on groups, their interests and declarations, and what they recorded."""
    today = timezone.localdate()
    seats = list(
        GroupMember.objects.filter(user=user)
        .select_related("group", "organisation")
        .order_by("joined_on", "pk")
    )
    seat_ids = [s.pk for s in seats]
    declarations = Declaration.objects.select_related("item__meeting__group", "member").order_by(
        "recorded_at", "pk"
    )
    interests = RegisteredInterest.objects.select_related("member__group").order_by(
        "registered_on", "pk"
    )
    return {
        "partnership_group_seats": [
            {
                "group": s.group.name,
                "organisation": s.organisation.name,
                "name": s.name,
                "role": s.get_role_display(),
                "voting": s.voting,
                "represents": s.get_represents_display(),
                "constituency": s.constituency,
                "joined": _iso(s.joined_on),
                "left": _iso(s.left_on),
                "access_confirmed": _iso(s.access_confirmed_on),
            }
            for s in seats
        ],
        "partnership_interests_registered": [
            _interest(i) for i in interests.filter(member_id__in=seat_ids)
        ],
        "partnership_interests_declared": [
            _declaration(d, today) for d in declarations.filter(member_id__in=seat_ids)
        ],
        "partnership_records_made": {
            "groups_set_up": [
                {"group": g.name, "set_up": _iso(g.set_up_on)}
                for g in PartnershipGroup.objects.filter(created_by=user).order_by("pk")
            ],
            "meetings_scheduled": [
                {"group": m.group.name, "meeting": m.title, "starts": _iso(m.starts_at)}
                for m in Meeting.objects.filter(created_by=user)
                .select_related("group")
                .order_by("pk")
            ],
            "papers_uploaded": [
                {
                    "group": d.paper.meeting.group.name,
                    "meeting": d.paper.meeting.title,
                    "paper": d.paper.title,
                    "file": d.original_name,
                    "uploaded": _iso(d.uploaded_at),
                }
                for d in PaperDocument.objects.filter(uploaded_by=user)
                .select_related("paper__meeting__group")
                .order_by("pk")
            ],
            "access_confirmed": [
                {
                    "group": s.group.name,
                    "member": s.name,
                    "confirmed": _iso(s.access_confirmed_on),
                }
                for s in GroupMember.objects.filter(access_confirmed_by=user)
                .select_related("group")
                .order_by("pk")
            ],
            "interests_registered": [_interest(i) for i in interests.filter(recorded_by=user)],
            "declarations_recorded": [
                _declaration(d, today) for d in declarations.filter(recorded_by=user)
            ],
            "decisions_recorded": [
                {
                    "group": d.group.name,
                    "decision": d.text,
                    "means": d.get_means_display(),
                    "decided": _iso(d.decided_on),
                }
                for d in Decision.objects.filter(recorded_by=user)
                .select_related("group")
                .order_by("pk")
            ],
            "objections_recorded": [
                {
                    "group": o.decision.group.name,
                    "decision": o.decision.text,
                    "member": o.member.name,
                    "objection": o.objection,
                }
                for o in Objection.objects.filter(recorded_by=user)
                .select_related("decision__group", "member")
                .order_by("pk")
            ],
            "nominations_asked": [
                {
                    "group": n.group.name,
                    "infrastructure_body": n.infrastructure_body.name,
                    "constituency": n.constituency,
                    "asked": _iso(n.requested_on),
                }
                for n in Nomination.objects.filter(requested_by=user)
                .select_related("group", "infrastructure_body")
                .order_by("pk")
            ],
            "requests_to_act_made": [
                {
                    "from": r.from_organisation.name,
                    "to": r.to_organisation.name,
                    "title": r.title,
                    "details": r.details,
                    "received": _iso(r.received_on),
                    "action_due": _iso(r.action_due_on),
                }
                for r in RequestToAct.objects.filter(made_by=user)
                .select_related("from_organisation", "to_organisation")
                .order_by("pk")
            ],
            "withheld_information_reported": [
                {
                    "reported_by": w.reported_by.name,
                    "about": w.about.name,
                    "information": w.information,
                    "risk": w.risk,
                    "reported": _iso(w.reported_on),
                }
                for w in WithheldReport.objects.filter(made_by=user)
                .select_related("reported_by", "about")
                .order_by("pk")
            ],
            "withheld_information_considered": [
                {"about": w.about.name, "outcome": w.outcome, "considered": _iso(w.considered_on)}
                for w in WithheldReport.objects.filter(considered_by=user)
                .select_related("about")
                .order_by("pk")
            ],
            "consents_asked": [
                {
                    "holder": c.holder.name,
                    "about": c.about.name,
                    "information": c.information,
                    "recipient": c.recipient,
                    "asked": _iso(c.asked_on),
                }
                for c in Consent.objects.filter(asked_by=user)
                .select_related("holder", "about")
                .order_by("pk")
            ],
            "consents_decided": [
                {
                    "about": c.about.name,
                    "status": c.get_status_display(),
                    "note": c.note,
                    "decided": _iso(c.decided_on),
                }
                for c in Consent.objects.filter(decided_by=user)
                .select_related("about")
                .order_by("pk")
            ],
            "foi_requests": [
                {
                    "public_body": f.public_body.name,
                    "organisation": f.organisation.name,
                    "reference": f.reference,
                    "what_you_did": ", ".join(
                        what
                        for what, field in (
                            ("recorded", "recorded_by_id"),
                            ("commented", "commented_by_id"),
                            ("decided", "decided_by_id"),
                        )
                        if getattr(f, field) == user.pk
                    ),
                    "comment": f.comment if f.commented_by_id == user.pk else "",
                    "reasons": f.reasons if f.decided_by_id == user.pk else "",
                }
                for f in (
                    FoiRequest.objects.filter(recorded_by=user)
                    | FoiRequest.objects.filter(commented_by=user)
                    | FoiRequest.objects.filter(decided_by=user)
                )
                .select_related("public_body", "organisation")
                .order_by("pk")
            ],
            "group_history_entries": [
                {"group": e.group.name, "what": e.text, "on": _iso(e.on)}
                for e in GroupEvent.objects.filter(by=user)
                .select_related("group")
                .order_by("at", "pk")
            ],
        },
    }


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    """Take their name off the group seats linked to the account (and the group history
    entries naming it) and unlink them; the rest is the compact's record (see above)."""
    today = timezone.localdate()
    seats = list(
        GroupMember.objects.select_for_update(of=("self",))
        .filter(user=user)
        .select_related("group", "organisation")
        .order_by("pk")
    )
    renamed = 0
    for seat in seats:
        name = seat.name
        if name and name != FORMER_USER:
            # The history is append-only for the group's changes; this is the erasure
            # taking a person's name out of it, as governance does for its seats.
            renamed += GroupEvent.objects.filter(group=seat.group, text__contains=name).update(
                text=Replace(F("text"), Value(name), Value(FORMER_USER))
            )
        seat.name, seat.user = FORMER_USER, None
        seat.save(update_fields=["name", "user"])
        GroupEvent.objects.create(
            group=seat.group,
            kind="member.erased",
            text=f"The name on a seat for {seat.organisation.name} removed: the account was erased",
            by=by if by is not None and by.is_authenticated else None,
            on=today,
        )
    audit_log(
        "partnerships.personal_data_erased",
        user=user,
        by=by,
        seats_anonymised=len(seats),
        history_anonymised=renamed,
    )
    return {"group seats anonymised": len(seats), "history entries anonymised": renamed}
