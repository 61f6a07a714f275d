"""Running a compact: its part of a person's data (see localcompact.accounts.personal_data).

What the app holds about a person: the news, events and training they published, the
events they signed up for, the stories they sent in (or decided on), the concerns they
raised and the replies they wrote, the votes they cast for their organisation, the
nominations they made, the compacts whose news they follow, the progress they reported on
actions, the decisions they recorded, the seats they hold on a compact's bodies, and the
changes to the compact's records they made (its history, and the history of the action
plans' actions that names them as making a change).

A vote is recorded as "this organisation voted for this seat", with who cast it; whom it
was for only added to the candidates' counts, so the file cannot say, and does not.

On erasure, what is only personal goes: their event sign-ups are deleted (the event's
organiser has no further use for them) and their news subscriptions end (so no more
digests). A seat they hold on a body stays, as the body's make-up is the compact's record
and its quotas are counted from it, but the name recorded on it becomes "a former user"
(in the seat and in the history entry that added it) and the seat is no longer linked to
the account, so keeping the body's roles in step never gives the erased account a role
again. The rest is the compact's record and is kept, naming the anonymised account:
posts, stories, concerns and replies (the two organisations' correspondence), votes (one
per organisation per seat), nominations, progress updates, decisions, the records they
made and the history (an action's history rows keep naming the anonymised account).

The file leaves out other people's names that only the support team sees: the history
entries that name a body member or candidate are listed without their subject. Names
published on public pages (a candidate's on the election page) are given as published.
"""

import datetime as dt

from localcompact.accounts.personal_data import FORMER_USER
from localcompact.core.logging import audit_log

from . import selectors
from .models import (
    Action,
    ActionUpdate,
    BodyMember,
    Concern,
    Decision,
    GovernanceEvent,
    Nomination,
    Post,
    SignUp,
    Story,
    Subscription,
    VoteCast,
)

# History entries whose subject is a person's name (a body member or a candidate).
NAMES_SOMEONE = frozenset({"member-added", "member-removed", "nominated"})
HISTORY_KINDS = {"+": "added", "~": "changed", "-": "deleted"}


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _seat_title(composition, seat: str) -> str:
    found = selectors.seat_of(composition.body_definition, seat)
    return found["title"] if found else seat


def _about(concern: Concern) -> str:
    item = concern.standard or concern.undertaking
    return str(item) if item is not None else ""


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """What they published, signed up for, wrote, voted, followed and changed here."""
    return {
        "governance_posts_published": [
            {
                "compact": p.compact.name,
                "kind": p.get_kind_display(),
                "title": p.title,
                "text": p.body,
                "organisation": p.organisation.name if p.organisation else None,
                "published": _iso(p.published_on),
                "starts": _iso(p.starts_at),
                "ends": _iso(p.ends_at),
                "place": p.place,
            }
            for p in Post.objects.filter(created_by=user)
            .select_related("compact", "organisation")
            .order_by("published_on", "pk")
        ],
        "governance_event_sign_ups": [
            {
                "compact": s.post.compact.name,
                "event": s.post.title,
                "kind": s.post.get_kind_display(),
                "starts": _iso(s.post.starts_at),
                "place": s.post.place,
                "for_organisation": s.organisation.name if s.organisation else None,
                "signed_up": _iso(s.at),
            }
            for s in SignUp.objects.filter(user=user)
            .select_related("post__compact", "organisation")
            .order_by("at", "pk")
        ],
        "governance_stories_sent_in": [
            {
                "compact": s.compact.name,
                "organisation": s.organisation.name,
                "title": s.title,
                "text": s.body,
                "compact_worked": s.worked,
                "status": s.get_status_display(),
                "sent_in": _iso(s.submitted_on),
                "decided": _iso(s.decided_on),
            }
            for s in Story.objects.filter(submitted_by=user)
            .select_related("compact", "organisation")
            .order_by("submitted_on", "pk")
        ],
        "governance_stories_decided": [
            {
                "compact": s.compact.name,
                "organisation": s.organisation.name,
                "title": s.title,
                "decision": s.get_status_display(),
                "decided": _iso(s.decided_on),
            }
            for s in Story.objects.filter(decided_by=user)
            .select_related("compact", "organisation")
            .order_by("decided_on", "pk")
        ],
        "governance_concerns_raised": [
            {
                "compact": c.compact.name,
                "for_organisation": c.raised_by_organisation.name,
                "raised_with": c.raised_with.name,
                "about": _about(c),
                "subject": c.subject,
                "text": c.text,
                "suggestion": c.suggestion,
                "raised": _iso(c.raised_on),
                "replied": _iso(c.replied_on),
            }
            for c in Concern.objects.filter(raised_by=user)
            .select_related(
                "compact", "raised_by_organisation", "raised_with", "standard", "undertaking"
            )
            .order_by("raised_on", "pk")
        ],
        "governance_concern_replies_written": [
            {
                "compact": c.compact.name,
                "concern": c.subject,
                "raised_by": c.raised_by_organisation.name,
                "for_organisation": c.raised_with.name,
                "reply": c.reply,
                "replied": _iso(c.replied_on),
            }
            for c in Concern.objects.filter(replied_by=user)
            .select_related("compact", "raised_by_organisation", "raised_with")
            .order_by("replied_on", "pk")
        ],
        # That they voted for their organisation; whom for is not stored anywhere.
        "governance_votes_cast": [
            {
                "compact": v.election.meeting.compact.name,
                "election": str(v.election),
                "meeting": v.election.meeting.title,
                "seat": _seat_title(v.election.composition, v.seat),
                "for_organisation": v.organisation.name,
            }
            for v in VoteCast.objects.filter(cast_by=user)
            .select_related(
                "election__meeting__compact",
                "election__composition__version",
                "organisation",
            )
            .order_by("election__meeting__on", "election_id", "seat")
        ],
        "governance_nominations_made": [
            {
                "compact": n.election.meeting.compact.name,
                "election": str(n.election),
                "seat": _seat_title(n.election.composition, n.seat),
                "candidate": n.candidate,
                "organisation": n.organisation.name,
                "statement": n.statement,
                "made": _iso(n.created_at),
            }
            for n in Nomination.objects.filter(nominated_by=user)
            .select_related(
                "election__meeting__compact", "election__composition__version", "organisation"
            )
            .order_by("created_at", "pk")
        ],
        "governance_news_followed": [
            {
                "compact": s.compact.name,
                "since": _iso(s.created_on),
                "last_digest": _iso(s.last_sent_on),
            }
            for s in Subscription.objects.filter(user=user)
            .select_related("compact")
            .order_by("created_on", "pk")
        ],
        "governance_progress_reported": [
            {
                "compact": u.action.plan.compact.name,
                "action_plan": u.action.plan.title,
                "action": u.action.title,
                "organisation": u.action.owner.name,
                "on": _iso(u.on),
                "status": u.get_status_display(),
                "text": u.text,
                "reported": _iso(u.at),
            }
            for u in ActionUpdate.objects.filter(by=user)
            .select_related("action__plan__compact", "action__owner")
            .order_by("at", "pk")
        ],
        "governance_decisions_recorded": [
            {
                "compact": d.meeting.compact.name,
                "meeting": d.meeting.title,
                "decision": d.text,
                "recorded": _iso(d.at),
            }
            for d in Decision.objects.filter(recorded_by=user)
            .select_related("meeting__compact")
            .order_by("at", "pk")
        ],
        "governance_body_seats": [
            {
                "compact": m.composition.compact.name,
                "body": m.composition.title,
                "make_up": m.composition.get_status_display(),
                "seat": _seat_title(m.composition, m.seat),
                "name_recorded": m.name,
                "organisation": m.organisation.name if m.organisation else None,
                "independent": m.independent,
                "how": m.how,
                "from": _iso(m.composition.takes_effect_on),
                "until": _iso(m.composition.ended_on),
            }
            for m in BodyMember.objects.filter(user=user)
            .select_related("composition__compact", "composition__version", "organisation")
            .order_by("added_at", "pk")
        ],
        "governance_changes_made": [
            {
                "compact": e.compact.name,
                "change": e.kind,
                "subject": None if e.kind in NAMES_SOMEONE else e.subject,
                "note": e.note,
                "at": _iso(e.at),
            }
            for e in GovernanceEvent.objects.filter(by=user)
            .select_related("compact")
            .order_by("at", "pk")
        ],
        "governance_action_changes_made": [
            {
                "action": h.title,
                "what": HISTORY_KINDS.get(h.history_type, h.history_type),
                "status": h.get_status_display(),
                "done": _iso(h.done_on),
                "at": _iso(h.history_date),
            }
            for h in Action.history.filter(history_user=user).order_by("history_date", "history_id")
        ],
    }


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    """Delete their event sign-ups, end their news subscriptions, and take their name off
    the body seats they hold (and the history entries that added them); the rest is the
    compact's record and is kept (see above)."""
    sign_ups = SignUp.objects.filter(user=user).delete()[1].get(SignUp._meta.label, 0)
    followed = Subscription.objects.filter(user=user).delete()[1].get(Subscription._meta.label, 0)

    seats = list(
        BodyMember.objects.select_for_update(of=("self",))
        .filter(user=user)
        .select_related("composition__compact", "composition__version")
        .order_by("pk")
    )
    renamed = 0
    for member in seats:
        composition = member.composition
        title = _seat_title(composition, member.seat)
        # The history is append-only for the compact's changes; this is the erasure
        # taking a person's name out of it, as organisations clears a claim's history.
        renamed += GovernanceEvent.objects.filter(
            compact=composition.compact,
            kind="member-added",
            subject=f"{member.name}, {title}"[:300],
            note=composition.title,
        ).update(subject=f"{FORMER_USER}, {title}"[:300])
        member.name, member.user = FORMER_USER, None
        member.save(update_fields=["name", "user"])
        GovernanceEvent.objects.create(
            compact=composition.compact,
            kind="member-erased",
            subject=f"{FORMER_USER}, {title}"[:300],
            note=composition.title,
            by=by,
        )
    counts = {
        "event sign-ups removed": sign_ups,
        "news subscriptions ended": followed,
        "body seats anonymised": len(seats),
        "history entries anonymised": renamed,
    }
    audit_log(
        "governance.personal_data_erased",
        user=user,
        by=by,
        sign_ups_removed=sign_ups,
        subscriptions_ended=followed,
        seats_anonymised=len(seats),
        history_anonymised=renamed,
    )
    return counts
