"""Writes for running a compact. Each is atomic, refuses an invalid move with a
`Refused` whose message the form shows, keeps obligations in step (`obligations_sync`)
and writes a GovernanceEvent and an audit-log line."""

import copy
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import jsonschema
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import F

from localcompact.compacts.loader import Definition, check_meaning, digest_of, schema
from localcompact.compacts.models import Code, Compact, CompactVersion, Standard, Undertaking
from localcompact.compacts.services import compact_load
from localcompact.consultations import access
from localcompact.core import refusals
from localcompact.core.logging import audit_log
from localcompact.obligations.services import obligations_close_for, obligations_sync
from localcompact.organisations.models import CompactRole, CompactRoleKind, Organisation
from localcompact.organisations.selectors import is_current_signatory, signatories_current
from localcompact.organisations.services import Refused as OrganisationRefused
from localcompact.organisations.services import compact_role_grant, compact_role_revoke
from localcompact.rulebook import RespondWithin, SeatQuotas

from . import emails, selectors
from .models import (
    Action,
    ActionPlan,
    ActionUpdate,
    AgendaItem,
    BodyMember,
    Composition,
    Concern,
    Decision,
    Election,
    GovernanceEvent,
    Meeting,
    MeetingInvitation,
    Nomination,
    Post,
    Review,
    Revision,
    SignUp,
    Story,
    Subscription,
    VoteCast,
)
from .sources import APPLIES_TO_REVIEW, standard_for


class Refused(refusals.Refused):
    """A governance service would not do what was asked; `message` says why."""


def _event(compact, kind: str, subject: str, *, by, note: str = "") -> None:
    GovernanceEvent.objects.create(
        compact=compact, kind=kind, subject=str(subject)[:300], note=note, by=by
    )
    audit_log(f"governance.{kind}", compact=compact, subject=str(subject)[:120], by=by)


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# Bodies ------------------------------------------------------------------------------------


@transaction.atomic
def composition_create(
    *, compact: Compact, body: str, title: str, by: AbstractBaseUser
) -> Composition:
    version = compact.current_version
    body_def = selectors.body_of(version, body)
    if body_def is None:
        raise Refused(f"The {compact.name} has no body called {body!r}", field="body")
    composition = Composition.objects.create(
        compact=compact,
        version=version,
        body=body,
        title=title.strip() or body_def["name"],
        created_by=by,
    )
    _event(compact, "composition-created", composition.title, by=by)
    return composition


@transaction.atomic
def member_add(
    *,
    composition: Composition,
    seat: str,
    name: str,
    organisation: Organisation | None,
    user: AbstractBaseUser | None = None,
    independent: bool = False,
    how: str = "",
    by: AbstractBaseUser,
    now: dt.datetime,
) -> BodyMember:
    composition = _lock(Composition, composition)
    if composition.status == Composition.Status.PAST:
        raise Refused("This make-up has ended; members can no longer be added")
    seat_def = selectors.seat_of(composition.body_definition, seat)
    if seat_def is None:
        raise Refused("Choose one of the body's seats", field="seat")
    if not name.strip():
        raise Refused("Enter the member's name", field="name")
    if organisation is None and not independent:
        raise Refused(
            "Choose the organisation they sit for, or say they sit independently",
            field="organisation",
        )
    member = BodyMember.objects.create(
        composition=composition,
        seat=seat,
        name=name.strip(),
        user=user,
        organisation=organisation,
        independent=independent,
        how=how.strip(),
        added_by=by,
    )
    _event(
        composition.compact,
        "member-added",
        f"{member.name}, {seat_def['title']}",
        by=by,
        note=composition.title,
    )
    if composition.status == Composition.Status.CURRENT:
        roles_sync(compact=composition.compact, by=by, now=now)
    return member


@transaction.atomic
def member_remove(*, member: BodyMember, by: AbstractBaseUser, now: dt.datetime) -> None:
    composition = _lock(Composition, member.composition)
    if composition.status == Composition.Status.PAST:
        raise Refused("This make-up has ended and is kept as it was")
    _event(composition.compact, "member-removed", member.name, by=by, note=composition.title)
    leaving = {member.user_id} if member.user_id else set()
    member.delete()
    if composition.status == Composition.Status.CURRENT:
        roles_sync(compact=composition.compact, by=by, now=now, leaving=leaving)


@transaction.atomic
def composition_activate(
    *, composition: Composition, on: dt.date, by: AbstractBaseUser, now: dt.datetime
) -> Composition:
    """Make a draft the body's current make-up from `on`; the one before it ends then.
    A make-up that does not meet its quotas can still take effect (a body may sit with
    places unfilled), but the event records what the check said."""
    composition = _lock(Composition, composition)
    if composition.status != Composition.Status.DRAFT:
        raise Refused("Only a make-up being put together can take effect")
    leaving = set()
    for previous in Composition.objects.select_for_update().filter(
        compact=composition.compact, body=composition.body, status=Composition.Status.CURRENT
    ):
        leaving |= set(
            previous.members.filter(user__isnull=False).values_list("user_id", flat=True)
        )
        previous.status = Composition.Status.PAST
        previous.ended_on = on
        previous.save(update_fields=["status", "ended_on"])
    check = selectors.composition_check(composition)
    composition.status = Composition.Status.CURRENT
    composition.takes_effect_on = on
    composition.save(update_fields=["status", "takes_effect_on"])
    _event(
        composition.compact,
        "composition-in-effect",
        composition.title,
        by=by,
        note=check.verdict.explanation,
    )
    roles_sync(compact=composition.compact, by=by, now=now, leaving=leaving)
    return composition


def _wanted_roles(compact: Compact) -> tuple[set[tuple[int, str]], set[str]]:
    """The (user, role) pairs the current make-ups call for, and the role kinds they
    govern: only bodies recorded here govern their roles, so a compact that keeps its
    steering group elsewhere keeps the roles its support team gave by hand."""
    wanted, governed = set(), set()
    for composition in selectors.current_compositions(compact).prefetch_related("members"):
        body = composition.body_definition
        kind = body.get("kind")
        if kind == "steering_group":
            governed.add(CompactRoleKind.STEERING_GROUP)
        elif kind == "dispute_subgroup":
            governed |= {CompactRoleKind.SUBGROUP_CHAIR, CompactRoleKind.SUBGROUP_MEMBER}
        for member in composition.members.all():
            if member.user_id is None:
                continue
            if kind == "steering_group":
                wanted.add((member.user_id, CompactRoleKind.STEERING_GROUP))
            elif kind == "dispute_subgroup":
                chair = member.seat == body.get("chair_seat")
                role = CompactRoleKind.SUBGROUP_CHAIR if chair else CompactRoleKind.SUBGROUP_MEMBER
                wanted.add((member.user_id, role))
    return wanted, governed


@transaction.atomic
def roles_sync(
    *,
    compact: Compact,
    by: AbstractBaseUser,
    now: dt.datetime,
    leaving: frozenset[int] | set[int] = frozenset(),
) -> tuple[int, int]:
    """Keep the compact's body roles in step with the current make-ups: a member with an
    account who lacks the body's role is given it; someone `leaving` a seat (removed, or
    in a make-up that ended) loses it unless another current seat still calls for it.
    Roles the support team gave by hand to people with no seat recorded here are left
    alone. Returns (granted, revoked)."""
    from django.contrib.auth import get_user_model

    wanted, governed = _wanted_roles(compact)
    held = {
        (role.user_id, role.kind): role
        for role in CompactRole.objects.current()
        .select_for_update()
        .filter(compact=compact, kind__in=governed, case="")
    }
    users = get_user_model().objects.in_bulk({user_id for user_id, _ in wanted})
    granted = revoked = 0
    for user_id, kind in sorted(wanted - set(held)):
        try:
            compact_role_grant(compact=compact, user=users[user_id], kind=kind, by=by)
        except OrganisationRefused:
            continue
        granted += 1
    for key in sorted(set(held) - wanted):
        if key[0] not in leaving:
            continue
        try:
            compact_role_revoke(role=held[key], by=by, now=now)
        except OrganisationRefused:
            continue
        revoked += 1
    return granted, revoked


# Action plans ------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, compact: Compact, title: str, starts_on: dt.date, ends_on: dt.date, by: AbstractBaseUser
) -> ActionPlan:
    if ends_on < starts_on:
        raise Refused("The plan must end after it starts", field="ends_on")
    plan = ActionPlan.objects.create(
        compact=compact,
        version=compact.current_version,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    _event(compact, "plan-created", plan.title, by=by)
    return plan


@transaction.atomic
def plan_agree(
    *, plan: ActionPlan, on: dt.date, by: AbstractBaseUser, today: dt.date
) -> ActionPlan:
    plan = _lock(ActionPlan, plan)
    if plan.agreed_on is not None:
        raise Refused("This plan has already been agreed")
    if on > today:
        raise Refused("The date it was agreed cannot be in the future", field="on")
    plan.agreed_on = on
    plan.save(update_fields=["agreed_on"])
    _event(plan.compact, "plan-agreed", plan.title, by=by)
    for agreed in ActionPlan.objects.filter(compact=plan.compact, agreed_on__isnull=False):
        obligations_sync(source=agreed, today=today, by=by)
    return plan


def _outcome_ids(version: CompactVersion) -> set[str]:
    return {o["id"] for o in version.definition.get("outcomes", [])}


@transaction.atomic
def action_add(
    *,
    plan: ActionPlan,
    title: str,
    owner: Organisation,
    due_on: dt.date,
    description: str = "",
    outcome: str = "",
    code: Code | None = None,
    by: AbstractBaseUser,
) -> Action:
    if outcome and outcome not in _outcome_ids(plan.version):
        raise Refused("Choose one of the compact's outcomes", field="outcome")
    if code is not None and code.version_id != plan.version_id:
        raise Refused("Choose one of the compact's codes", field="code")
    action = Action(
        plan=plan,
        title=title.strip(),
        description=description.strip(),
        outcome=outcome,
        code=code,
        owner=owner,
        due_on=due_on,
    )
    action._history_user = by
    action.save()
    _event(plan.compact, "action-added", action.title, by=by, note=plan.title)
    return action


@transaction.atomic
def action_progress(
    *, action: Action, status: str, text: str, on: dt.date, by: AbstractBaseUser
) -> ActionUpdate:
    action = Action.objects.select_for_update().select_related("plan__compact").get(pk=action.pk)
    if status not in Action.Status.values:
        raise Refused("Choose the action's status", field="status")
    if not text.strip():
        raise Refused("Say what progress has been made", field="text")
    update = ActionUpdate.objects.create(
        action=action, on=on, text=text.strip(), status=status, by=by
    )
    action.status = status
    action.done_on = on if status == Action.Status.DONE else None
    action._history_user = by
    action.save(update_fields=["status", "done_on"])
    _event(action.plan.compact, "action-progress", action.title, by=by, note=status)
    return update


# Meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    compact: Compact,
    title: str,
    on: dt.date,
    place: str = "",
    kind: str = Meeting.Kind.ANNUAL,
    by: AbstractBaseUser,
    today: dt.date,
    host: Organisation | None = None,
    formats_offered: Sequence[str] = (),
    venue_access: Sequence[str] = (),
    venue_access_notes: str = "",
) -> Meeting:
    meeting = Meeting.objects.create(
        compact=compact,
        version=compact.current_version,
        kind=kind,
        title=title.strip(),
        on=on,
        place=place.strip(),
        host=host,
        formats_offered=access.clean_choices(formats_offered, access.OFFERED_FORMATS),
        venue_access=access.clean_choices(venue_access, access.VenueAccess.choices),
        venue_access_notes=venue_access_notes.strip(),
        created_by=by,
    )
    obligations_sync(source=meeting, today=today, by=by)
    _event(compact, "meeting-created", meeting.title, by=by)
    return meeting


@transaction.atomic
def meeting_access_set(
    *,
    meeting: Meeting,
    by: AbstractBaseUser,
    host: Organisation | None = None,
    formats_offered: Sequence[str] = (),
    venue_access: Sequence[str] = (),
    venue_access_notes: str = "",
) -> Meeting:
    """Record the meeting's host, the formats it offers and its venue's access."""
    meeting = _lock(Meeting, meeting)
    meeting.host = host
    meeting.formats_offered = access.clean_choices(formats_offered, access.OFFERED_FORMATS)
    meeting.venue_access = access.clean_choices(venue_access, access.VenueAccess.choices)
    meeting.venue_access_notes = venue_access_notes.strip()
    meeting.save(update_fields=["host", "formats_offered", "venue_access", "venue_access_notes"])
    _event(meeting.compact, "meeting-access", meeting.title, by=by)
    return meeting


@transaction.atomic
def meeting_invite(*, meeting: Meeting, by: AbstractBaseUser, today: dt.date) -> int:
    """Invite every current signatory not yet invited; returns how many were invited."""
    meeting = _lock(Meeting, meeting)
    if meeting.held:
        raise Refused("The meeting has been held")
    invited = set(meeting.invitations.values_list("organisation_id", flat=True))
    new = [
        MeetingInvitation(meeting=meeting, organisation=organisation, sent_on=today)
        for organisation in signatories_current(compact=meeting.compact).distinct()
        if organisation.pk not in invited
    ]
    if not new and not invited:
        raise Refused("The compact has no current signatories to invite")
    MeetingInvitation.objects.bulk_create(new)
    invited_now = [invitation.organisation for invitation in new]
    # e-mailed once the invitations are committed, never for a rolled-back invitation
    transaction.on_commit(lambda: _invitation_emails(meeting, invited_now))
    if meeting.invitations_sent_on is None:
        meeting.invitations_sent_on = today
        meeting.save(update_fields=["invitations_sent_on"])
    obligations_sync(source=meeting, today=today, by=by)
    _event(meeting.compact, "invitations-sent", meeting.title, by=by, note=f"{len(new)} invited")
    return len(new)


def _invitation_emails(meeting: Meeting, organisations: list[Organisation]) -> int:
    """One e-mail to each invited organisation's officers and administrators."""
    from localcompact.organisations.models import ACTING_ROLES, Membership

    addresses: dict[int, list[str]] = {}
    for org_id, email in (
        Membership.objects.filter(organisation__in=organisations, role__in=ACTING_ROLES)
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
    ):
        addresses.setdefault(org_id, []).append(email)
    sent = 0
    for organisation in organisations:
        if organisation.pk in addresses:
            sent += emails.send(
                "invitation",
                to=addresses[organisation.pk],
                context={"meeting": meeting, "organisation": organisation},
            )
    return sent


@transaction.atomic
def agenda_generate(*, meeting: Meeting, by: AbstractBaseUser, today: dt.date) -> list[AgendaItem]:
    meeting = _lock(Meeting, meeting)
    if meeting.agenda_published_on is not None:
        raise Refused("The agenda has been published and is kept as it was")
    meeting.agenda.all().delete()
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, kind=kind, title=title, lines=lines)
        for n, (kind, title, lines) in enumerate(selectors.agenda_for(meeting, today), 1)
    )
    _event(meeting.compact, "agenda-generated", meeting.title, by=by)
    return items


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by: AbstractBaseUser, today: dt.date) -> Meeting:
    meeting = _lock(Meeting, meeting)
    if not meeting.agenda.exists():
        raise Refused("Make the agenda before publishing it")
    if meeting.agenda_published_on is None:
        meeting.agenda_published_on = today
        meeting.save(update_fields=["agenda_published_on"])
        _event(meeting.compact, "agenda-published", meeting.title, by=by)
    return meeting


@transaction.atomic
def decision_add(*, meeting: Meeting, text: str, by: AbstractBaseUser) -> Decision:
    if not text.strip():
        raise Refused("Enter the decision", field="text")
    decision = Decision.objects.create(meeting=meeting, text=text.strip(), recorded_by=by)
    _event(meeting.compact, "decision-recorded", meeting.title, by=by, note=decision.text[:200])
    return decision


@transaction.atomic
def meeting_record(
    *, meeting: Meeting, minutes: str, by: AbstractBaseUser, today: dt.date, now: dt.datetime
) -> Meeting:
    """Record that the meeting was held, with its minutes (published). Make-ups elected
    at it take effect from the meeting's date."""
    meeting = _lock(Meeting, meeting)
    if meeting.on > today:
        raise Refused("A meeting cannot be recorded as held before its date")
    if not minutes.strip():
        raise Refused("Enter the minutes", field="minutes")
    for election in meeting.elections.exclude(status=Election.Status.CLOSED):
        raise Refused(f"Publish the results of the {election} first")
    meeting.held = True
    meeting.minutes = minutes.strip()
    meeting.minutes_published_on = today
    meeting.save(update_fields=["held", "minutes", "minutes_published_on"])
    for composition in Composition.objects.filter(
        elections__meeting=meeting, status=Composition.Status.DRAFT
    ).distinct():
        composition.meeting = meeting
        composition.save(update_fields=["meeting"])
        composition_activate(composition=composition, on=meeting.on, by=by, now=now)
    for held in Meeting.objects.filter(compact=meeting.compact, kind=meeting.kind, held=True):
        obligations_sync(source=held, today=today, by=by)
    _event(meeting.compact, "meeting-held", meeting.title, by=by)
    return meeting


# Elections ---------------------------------------------------------------------------------


def elected_seats(composition: Composition, public_count: int) -> list[tuple[dict, int]]:
    """The body's elected seats that have places, with their number of places."""
    body = composition.body_definition
    return [
        (seat, places)
        for seat in body["seats"]
        if seat.get("appointment") == "elected"
        and (places := SeatQuotas.required_places(seat, body, public_count)) > 0
    ]


@transaction.atomic
def election_create(
    *, meeting: Meeting, composition: Composition, by: AbstractBaseUser
) -> Election:
    if composition.status != Composition.Status.DRAFT:
        raise Refused("An election fills a make-up that is being put together", field="composition")
    if composition.compact_id != meeting.compact_id:
        raise Refused("Choose a make-up of this compact's bodies", field="composition")
    if meeting.held:
        raise Refused("The meeting has been held")
    public = selectors.public_signatory_count(meeting.compact)
    if not elected_seats(composition, public):
        raise Refused("This body has no elected seats", field="composition")
    election = Election.objects.create(meeting=meeting, composition=composition)
    _event(meeting.compact, "election-created", str(election), by=by, note=meeting.title)
    return election


def _eligible(seat: dict, organisation: Organisation, compact: Compact) -> str:
    """Why the organisation cannot stand or vote for the seat, or ""."""
    if not is_current_signatory(organisation=organisation, compact=compact):
        return f"{organisation.name} has not signed the {compact.name}"
    sector = seat.get("sector", "any")
    if sector in ("public", "vcs") and organisation.sector != sector:
        label = "public sector" if sector == "public" else "voluntary and community sector"
        return f"'{seat['title']}' is for the {label}"
    return ""


FLAG_WORDS = {
    "receives_public_funding": "receives public funding",
    "unfunded": "is unfunded",
    "bme_led": "is led by and for black and minority ethnic communities",
    "equality_and_diversity": "is an equality and diversity organisation",
    "infrastructure": "is an infrastructure organisation",
}


def _seat(election: Election, seat: str) -> tuple[dict, int]:
    public = selectors.public_signatory_count(election.meeting.compact)
    for seat_def, places in elected_seats(election.composition, public):
        if seat_def["id"] == seat:
            return seat_def, places
    raise Refused("Choose one of the seats being elected", field="seat")


@transaction.atomic
def nomination_add(
    *,
    election: Election,
    seat: str,
    candidate: str,
    organisation: Organisation,
    statement: str = "",
    by: AbstractBaseUser,
) -> Nomination:
    election = _lock(Election, election)
    if election.status != Election.Status.NOMINATIONS:
        raise Refused("Nominations have closed")
    seat_def, _ = _seat(election, seat)
    compact = election.meeting.compact
    if reason := _eligible(seat_def, organisation, compact):
        raise Refused(f"Not eligible: {reason}", field="organisation")
    for flag in seat_def.get("requires_flags", ()):
        if flag not in organisation.flags:
            raise Refused(
                f"Not eligible: '{seat_def['title']}' needs an organisation that "
                f"{FLAG_WORDS.get(flag, flag)}, and {organisation.name} is not recorded so",
                field="organisation",
            )
    if not candidate.strip():
        raise Refused("Enter the candidate's name", field="candidate")
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                election=election,
                seat=seat,
                candidate=candidate.strip(),
                organisation=organisation,
                statement=statement.strip(),
                nominated_by=by,
            )
    except IntegrityError:
        raise Refused(
            "This candidate is already nominated for the seat", field="candidate"
        ) from None
    _event(compact, "nominated", f"{nomination.candidate} for {seat_def['title']}", by=by)
    return nomination


@transaction.atomic
def voting_open(*, election: Election, by: AbstractBaseUser) -> Election:
    election = _lock(Election, election)
    if election.status != Election.Status.NOMINATIONS:
        raise Refused("Voting has already opened")
    election.status = Election.Status.VOTING
    election.save(update_fields=["status"])
    _event(election.meeting.compact, "voting-opened", str(election), by=by)
    return election


@transaction.atomic
def vote_cast(
    *,
    election: Election,
    seat: str,
    organisation: Organisation,
    choices: list[Nomination],
    by: AbstractBaseUser,
) -> None:
    """One vote per signatory organisation per seat, for up to as many candidates as
    the seat has places. Who voted is recorded; whom for only adds to the counts."""
    election = _lock(Election, election)
    if election.status != Election.Status.VOTING:
        raise Refused("Voting is not open")
    seat_def, places = _seat(election, seat)
    compact = election.meeting.compact
    if reason := _eligible(seat_def, organisation, compact):
        raise Refused(f"{organisation.name} cannot vote for this seat: {reason}")
    if not choices:
        raise Refused("Choose at least one candidate", field="choices")
    if len(choices) > places:
        raise Refused(
            f"Choose at most {places} candidate{'s' if places > 1 else ''}", field="choices"
        )
    ids = {c.pk for c in choices}
    valid = set(
        Nomination.objects.filter(election=election, seat=seat, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if valid != ids:
        raise Refused("Choose candidates standing for this seat", field="choices")
    try:
        with transaction.atomic():
            VoteCast.objects.create(
                election=election, seat=seat, organisation=organisation, cast_by=by
            )
    except IntegrityError:
        raise Refused(f"{organisation.name} has already voted for this seat") from None
    Nomination.objects.filter(pk__in=ids).update(votes=F("votes") + 1)
    audit_log("governance.vote-cast", election=election.pk, seat=seat, by=by)


def results(election: Election) -> list[dict]:
    """Per seat: its places, the candidates by votes, who is elected, and what the
    meeting must settle (a tie for the last place, or too few candidates), since the
    compacts are silent on both."""
    public = selectors.public_signatory_count(election.meeting.compact)
    nominations = list(election.nominations.select_related("organisation"))
    out = []
    for seat, places in elected_seats(election.composition, public):
        standing = sorted(
            (n for n in nominations if n.seat == seat["id"]),
            key=lambda n: (-n.votes, n.candidate),
        )
        elected, flags = [], []
        if len(standing) <= places:
            elected = standing
            if len(standing) < places:
                flags.append(
                    f"'{seat['title']}': {places} place{'s' if places > 1 else ''} and "
                    f"{len(standing)} candidate{'s' if len(standing) != 1 else ''}; the "
                    "compact does not say how unfilled places are filled, so the meeting decides"
                )
        else:
            cutoff = standing[places - 1].votes
            above = [n for n in standing if n.votes > cutoff]
            at_cutoff = [n for n in standing if n.votes == cutoff]
            if len(above) + len(at_cutoff) > places:
                elected = above
                names = ", ".join(n.candidate for n in at_cutoff)
                flags.append(
                    f"'{seat['title']}': a tie for the last "
                    f"{places - len(above)} place(s) between {names} ({cutoff} votes each); "
                    "the compact does not say how a tie is broken, so the meeting decides"
                )
            else:
                elected = standing[:places]
        out.append(
            {
                "seat": seat,
                "places": places,
                "standing": standing,
                "elected": elected,
                "flags": flags,
            }
        )
    return out


@transaction.atomic
def election_close(
    *, election: Election, by: AbstractBaseUser, today: dt.date, now: dt.datetime
) -> Election:
    """Count, publish the results, and put those elected into the make-up being filled."""
    election = _lock(Election, election)
    if election.status != Election.Status.VOTING:
        raise Refused("Voting is not open")
    outcome = results(election)
    flags = []
    for seat in outcome:
        flags += seat["flags"]
        for nomination in seat["elected"]:
            nomination.elected = True
            nomination.save(update_fields=["elected"])
            member_add(
                composition=election.composition,
                seat=seat["seat"]["id"],
                name=nomination.candidate,
                organisation=nomination.organisation,
                how=f"Elected at {election.meeting.title}",
                by=by,
                now=now,
            )
    election.status = Election.Status.CLOSED
    election.results_published_on = today
    election.flags = flags
    election.save(update_fields=["status", "results_published_on", "flags"])
    _event(
        election.meeting.compact, "results-published", str(election), by=by, note="; ".join(flags)
    )
    return election


# Reviews and revisions ---------------------------------------------------------------------


@transaction.atomic
def review_schedule(
    *,
    compact: Compact,
    counts_from: dt.date,
    due_on: dt.date | None = None,
    by: AbstractBaseUser,
    today: dt.date,
) -> Review:
    """A review, due as the compact's review standard says; where the compact has none,
    on the date given."""
    version = compact.current_version
    standard = standard_for(version, APPLIES_TO_REVIEW, "respond_within")
    if standard is not None:
        rule = standard.rule()
        assert isinstance(rule, RespondWithin)
        due_on = rule.due_date(counts_from, version.calendar) or due_on
    if due_on is None:
        raise Refused(
            f"The {compact.name} sets no review date: enter the date the review is due",
            field="due_on",
        )
    if due_on < counts_from:
        raise Refused("The review must be due after the date it counts from", field="due_on")
    review = Review.objects.create(
        compact=compact,
        version=version,
        standard=standard,
        counts_from=counts_from,
        due_on=due_on,
        created_by=by,
    )
    obligations_sync(source=review, today=today, by=by)
    _event(compact, "review-scheduled", str(review), by=by)
    return review


@transaction.atomic
def review_record(
    *, review: Review, done_on: dt.date, findings: str, by: AbstractBaseUser, today: dt.date
) -> Review:
    review = _lock(Review, review)
    if review.done_on is not None:
        raise Refused("This review has already been recorded")
    if done_on > today:
        raise Refused("The review cannot be recorded as done in the future", field="done_on")
    if not findings.strip():
        raise Refused("Say what the review found", field="findings")
    review.done_on = done_on
    review.findings = findings.strip()
    review.save(update_fields=["done_on", "findings"])
    obligations_sync(source=review, today=today, by=by)
    _event(review.compact, "review-done", str(review), by=by)
    return review


@transaction.atomic
def review_delete(*, review: Review, by: AbstractBaseUser) -> None:
    obligations_close_for(source=review)
    _event(review.compact, "review-deleted", str(review), by=by)
    review.delete()


PERIOD_PARAMS = ("period", "limit", "notice")


def _target_item(definition: dict, target: str, target_id: str) -> dict | None:
    if target in (Revision.Target.STANDARD_SUMMARY, Revision.Target.STANDARD_PERIOD):
        items = definition.get("standards", [])
    elif target == Revision.Target.UNDERTAKING:
        items = [u for code in definition.get("codes", []) for u in code["undertakings"]]
    elif target == Revision.Target.OUTCOME:
        items = definition.get("outcomes", [])
    else:
        return None
    return next((item for item in items if item.get("id") == target_id), None)


def _period_key(standard: dict) -> str | None:
    return next((k for k in PERIOD_PARAMS if isinstance(standard["params"].get(k), dict)), None)


@transaction.atomic
def revision_propose(
    *,
    compact: Compact,
    title: str,
    reason_kind: str,
    reason: str,
    target: str,
    target_id: str,
    new_text: str = "",
    new_count: int | None = None,
    proposed_by: Organisation | None = None,
    by: AbstractBaseUser,
) -> Revision:
    version = compact.current_version
    item = _target_item(version.definition, target, target_id)
    if item is None:
        raise Refused("Choose what the revision changes", field="target_id")
    if target == Revision.Target.STANDARD_PERIOD:
        if _period_key(item) is None:
            raise Refused("That standard has no period to change", field="target_id")
        if new_count is None:
            raise Refused("Enter the new number", field="new_count")
    elif len(new_text.strip()) < 3:
        raise Refused("Enter the new wording", field="new_text")
    if not reason.strip():
        raise Refused("Say why the compact should change", field="reason")
    revision = Revision.objects.create(
        compact=compact,
        based_on=version,
        title=title.strip(),
        reason_kind=reason_kind,
        reason=reason.strip(),
        target=target,
        target_id=target_id,
        new_text=new_text.strip(),
        new_count=new_count,
        proposed_by=proposed_by,
        created_by=by,
    )
    _event(compact, "revision-proposed", revision.title, by=by)
    return revision


def revised_definition(revision: Revision, *, on: dt.date) -> dict:
    """The current definition with the revision applied and noted in its change log."""
    data = copy.deepcopy(revision.based_on.definition)
    item = _target_item(data, revision.target, revision.target_id)
    if revision.target == Revision.Target.STANDARD_PERIOD:
        key = _period_key(item)
        old = item["params"][key]["count"]
        item["params"][key]["count"] = revision.new_count
        change = f"{item['id']}: {key} {old} -> {revision.new_count} {item['params'][key]['unit']}"
    else:
        field = "text" if revision.target == Revision.Target.OUTCOME else "summary"
        item[field] = revision.new_text
        change = f"{item['id']}: new wording"
    data.setdefault("change_log", []).append(
        {
            "adopted_on": on.isoformat(),
            "summary": revision.title,
            "reason": revision.reason,
            "changes": [change],
        }
    )
    return data


@transaction.atomic
def revision_decide(
    *,
    revision: Revision,
    adopt: bool,
    on: dt.date,
    meeting: Meeting | None = None,
    by: AbstractBaseUser,
    now: dt.datetime,
) -> Revision:
    """Adopt (a new version of the compact, with its change log) or reject. Records made
    under the earlier version keep pointing at it."""
    revision = _lock(Revision, revision)
    compact = Compact.objects.select_for_update().get(pk=revision.compact_id)
    if revision.status != Revision.Status.PROPOSED:
        raise Refused("This revision has already been decided")
    if adopt:
        if compact.current_version_id != revision.based_on_id:
            raise Refused(
                "The compact has changed since this revision was proposed: propose it again "
                "against the current version"
            )
        data = revised_definition(revision, on=on)
        problems = [
            e.message for e in jsonschema.Draft202012Validator(schema()).iter_errors(data)
        ] + [f"{path}: {message}" for path, message in check_meaning(data)]
        if problems:
            raise Refused("The revised compact would not load: " + "; ".join(problems[:3]))
        source = Path(revision.based_on.source_file or f"{compact.slug}.yaml")
        result = compact_load(
            definition=Definition(path=source, data=data, digest=digest_of(data)),
            now=now,
            adopted_here=True,
        )
        revision.adopted_version = CompactVersion.objects.get(
            compact=compact, number=result.version
        )
        revision.status = Revision.Status.ADOPTED
    else:
        revision.status = Revision.Status.REJECTED
    revision.decided_on = on
    revision.meeting = meeting
    revision.save(update_fields=["status", "decided_on", "meeting", "adopted_version"])
    _event(compact, f"revision-{revision.status}", revision.title, by=by)
    return revision


# News, events, stories, concerns -----------------------------------------------------------


@transaction.atomic
def post_publish(
    *,
    compact: Compact,
    kind: str,
    title: str,
    body: str,
    organisation: Organisation | None,
    today: dt.date,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    place: str = "",
    places: int | None = None,
    by: AbstractBaseUser,
) -> Post:
    if kind != Post.Kind.NEWS and starts_at is None:
        raise Refused("Enter when the event starts", field="starts_at")
    if starts_at and ends_at and ends_at < starts_at:
        raise Refused("The event must end after it starts", field="ends_at")
    if organisation is not None and not is_current_signatory(
        organisation=organisation, compact=compact
    ):
        raise Refused(f"{organisation.name} has not signed the {compact.name}")
    post = Post.objects.create(
        compact=compact,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        organisation=organisation,
        published_on=today,
        starts_at=starts_at if kind != Post.Kind.NEWS else None,
        ends_at=ends_at if kind != Post.Kind.NEWS else None,
        place=place.strip(),
        places=places,
        created_by=by,
    )
    _event(compact, "post-published", post.title, by=by)
    return post


@transaction.atomic
def signup(
    *, post: Post, user: AbstractBaseUser, organisation: Organisation | None, now: dt.datetime
) -> SignUp:
    post = _lock(Post, post)
    if not post.is_event:
        raise Refused("Only events take sign-ups")
    if post.starts_at and post.starts_at < now:
        raise Refused("This event has started")
    if SignUp.objects.filter(post=post, user=user).exists():
        raise Refused("You have already signed up")
    if post.places is not None and post.signups.count() >= post.places:
        raise Refused("This event is full")
    return SignUp.objects.create(post=post, user=user, organisation=organisation)


@transaction.atomic
def story_submit(
    *,
    compact: Compact,
    organisation: Organisation,
    title: str,
    body: str,
    worked: bool,
    code: Code | None,
    by: AbstractBaseUser,
    today: dt.date,
) -> Story:
    if not is_current_signatory(organisation=organisation, compact=compact):
        raise Refused(f"{organisation.name} has not signed the {compact.name}")
    if code is not None and code.version_id != compact.current_version_id:
        raise Refused("Choose one of the compact's codes", field="code")
    story = Story.objects.create(
        compact=compact,
        organisation=organisation,
        title=title.strip(),
        body=body.strip(),
        worked=worked,
        code=code,
        submitted_by=by,
        submitted_on=today,
    )
    _event(compact, "story-submitted", story.title, by=by)
    return story


@transaction.atomic
def story_decide(*, story: Story, publish: bool, by: AbstractBaseUser, today: dt.date) -> Story:
    story = _lock(Story, story)
    if story.status != Story.Status.SUBMITTED:
        raise Refused("This story has already been decided")
    story.status = Story.Status.PUBLISHED if publish else Story.Status.DECLINED
    story.decided_on = today
    story.decided_by = by
    story.save(update_fields=["status", "decided_on", "decided_by"])
    _event(story.compact, f"story-{story.status}", story.title, by=by)
    return story


@transaction.atomic
def concern_raise(
    *,
    compact: Compact,
    raised_by_organisation: Organisation,
    raised_with: Organisation,
    subject: str,
    text: str,
    suggestion: str = "",
    undertaking: Undertaking | None = None,
    standard: Standard | None = None,
    by: AbstractBaseUser,
    today: dt.date,
) -> Concern:
    if raised_with.pk == raised_by_organisation.pk:
        raise Refused("Choose another organisation", field="raised_with")
    if undertaking is None and standard is None:
        raise Refused("Choose the undertaking or standard the concern is about", field="about")
    for item in (undertaking, standard):
        if item is not None and item.version_id != compact.current_version_id:
            raise Refused("Choose one of the compact's undertakings or standards", field="about")
    concern = Concern.objects.create(
        compact=compact,
        raised_by_organisation=raised_by_organisation,
        raised_with=raised_with,
        undertaking=undertaking,
        standard=standard,
        subject=subject.strip(),
        text=text.strip(),
        suggestion=suggestion.strip(),
        raised_on=today,
        raised_by=by,
    )
    # The concern's content is confidential to the two organisations: not in the
    # compact's public history, only in the audit log by id.
    audit_log("governance.concern-raised", concern=concern.pk, by=by)
    return concern


@transaction.atomic
def concern_reply(*, concern: Concern, reply: str, by: AbstractBaseUser, today: dt.date) -> Concern:
    concern = _lock(Concern, concern)
    if concern.replied_on is not None:
        raise Refused("This concern has already been answered")
    if not reply.strip():
        raise Refused("Enter your reply", field="reply")
    concern.reply = reply.strip()
    concern.replied_on = today
    concern.replied_by = by
    concern.save(update_fields=["reply", "replied_on", "replied_by"])
    audit_log("governance.concern-replied", concern=concern.pk, by=by)
    return concern


@transaction.atomic
def subscription_toggle(*, user: AbstractBaseUser, compact: Compact, today: dt.date) -> bool:
    """Follow the compact's news and events, or stop; returns whether now following."""
    deleted, _ = Subscription.objects.filter(user=user, compact=compact).delete()
    if deleted:
        return False
    Subscription.objects.create(user=user, compact=compact, created_on=today)
    return True


DIGEST_DAYS = 7


def digests_send(*, today: dt.date) -> int:
    """Send each subscriber what was published since their last digest, at most once a
    week and only when there is something new. Safe to run twice or from two workers: a
    guarded update claims each subscription for the day before anything is sent."""
    sent = 0
    due = Subscription.objects.filter(
        models.Q(last_sent_on__isnull=True)
        | models.Q(last_sent_on__lte=today - dt.timedelta(days=DIGEST_DAYS))
    ).select_related("user", "compact")
    for subscription in due:
        since = subscription.last_sent_on or (subscription.created_on - dt.timedelta(days=1))
        posts = list(
            Post.objects.filter(
                compact=subscription.compact, published_on__gt=since, published_on__lte=today
            ).select_related("compact")[:50]
        )
        if not posts or not subscription.user.email:
            continue
        claimed = Subscription.objects.filter(
            pk=subscription.pk, last_sent_on=subscription.last_sent_on
        ).update(last_sent_on=today)
        if claimed:
            sent += emails.send(
                "digest",
                to=[subscription.user.email],
                context={"compact": subscription.compact, "posts": posts},
            )
    return sent
