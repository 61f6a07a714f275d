"""Writes for partnership groups, meetings, requests to act, and confidentiality.

Each service is keyword-only and atomic, locks the row whose state moves, writes the
group's history (GroupEvent) or an audit line, and keeps the record's obligations in
step with `obligations_sync`. A refusal raises `Refused` with a message fit to show the
person who asked, naming the clause where a compact's standard is the reason; nothing is
changed then, except that a refused electronic decision is itself recorded in the
group's history (the issue asks that the platform show it refused).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from localcompact.compacts.models import Compact, Standard
from localcompact.core import refusals
from localcompact.core.logging import audit_log
from localcompact.core.uploads import document_store
from localcompact.obligations.models import Obligation
from localcompact.obligations.services import obligation_excuse, obligations_sync
from localcompact.organisations.models import Kind, Organisation, Sector
from localcompact.rulebook import (
    Clause,
    ExceptionKind,
    Excuse,
    ExcuseRefused,
    RequiredRecord,
    Status,
    long_date,
)

from .models import (
    ELECTRONIC_MEANS,
    AgendaItem,
    Attendance,
    Authority,
    Consent,
    Decision,
    DecisionMethod,
    Declaration,
    Finality,
    FoiRequest,
    GroupEvent,
    GroupMember,
    Means,
    Meeting,
    MeetingCalendar,
    Nomination,
    Objection,
    Paper,
    PaperDocument,
    PartnershipGroup,
    RegisteredInterest,
    Represents,
    RequestToAct,
    Role,
    Sensitivity,
    WithheldReport,
    YearKind,
)
from .sources import foi_due_on, notice_due_on, paper_name, standard_for


class Refused(refusals.Refused):
    """A partnerships service would not do what was asked; `message` says why."""


def _event(group, kind: str, text: str, *, by, today: dt.date) -> None:
    GroupEvent.objects.create(
        group=group,
        kind=kind,
        text=text[:500],
        by=by if by is not None and by.is_authenticated else None,
        on=today,
    )
    audit_log(f"partnerships.{kind}", group=group.slug, text=text[:200])


def _clause(compact: Compact, what: str) -> str:
    """ " (file clause)" for the compact's standard for `what`, or "" without one."""
    standard = standard_for(compact, what)
    return f" ({standard.source.file} {standard.clause_ref})" if standard else ""


def _clause_recording(compact: Compact, field: str) -> str:
    """ " (file clause)" for the compact's required-record standard that asks for `field`."""
    for standard in Standard.objects.select_related("source").filter(
        version_id=compact.current_version_id, rule_kind="required_record"
    ):
        if field in (standard.params or {}).get("fields", ()):
            return f" ({standard.source.file} {standard.clause_ref})"
    return ""


# Groups and terms of reference ------------------------------------------------------------


def _free_slug(name: str) -> str:
    base = slugify(name)[:100].strip("-") or "group"
    slug, n = base, 1
    while PartnershipGroup.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def group_create(
    *,
    compact: Compact,
    convener: Organisation,
    name: str,
    kind: str,
    set_up_on: dt.date,
    by: AbstractBaseUser,
    today: dt.date,
) -> PartnershipGroup:
    group = PartnershipGroup.objects.create(
        compact=compact,
        convener=convener,
        name=name.strip(),
        slug=_free_slug(name),
        kind=kind,
        set_up_on=set_up_on,
        created_by=by,
    )
    _event(group, "group.created", f"Group set up by {convener.name}", by=by, today=today)
    obligations_sync(source=group, today=today, by=by)
    return group


def terms_record(group: PartnershipGroup, members=None) -> dict:
    """The group's terms of reference as the compact's required-record rule reads them."""
    members = list(group.members.all()) if members is None else members
    current = [m for m in members if m.left_on is None]
    roles_stated = bool(current) and all(m.role for m in current)
    finality = group.finality
    if finality == Finality.CAN_BE_OVERTURNED and not group.overturned_where.strip():
        finality = ""
    return {
        "aims-and-tasks": group.aims_and_tasks,
        "authority": group.authority,
        "decision-method": group.decision_method,
        "finality-of-decisions": finality,
        "member-roles": roles_stated,
        "quorum": group.quorum,
    }


def terms_verdict(group: PartnershipGroup, members=None):
    """The verdict of the compact's terms-of-reference standard, or None without one.

    Without such a standard the group's own list (the same six things) is used, so a
    group under any compact has terms of reference to complete.
    """
    standard = standard_for(group.compact, "terms")
    record = terms_record(group, members)
    if standard is None:
        rule = RequiredRecord(fields=tuple(record), clause=Clause("the group's own list", "-"))
        return rule.check(record)
    return standard.rule().check(record)


def _refresh_terms(group: PartnershipGroup, *, by, today: dt.date) -> None:
    complete = terms_verdict(group).status is Status.MET
    if complete and group.terms_complete_on is None:
        group.terms_complete_on = today
        group.save(update_fields=["terms_complete_on"])
        _event(group, "terms.complete", "Terms of reference complete", by=by, today=today)
    elif not complete and group.terms_complete_on is not None:
        group.terms_complete_on = None
        group.save(update_fields=["terms_complete_on"])
        _event(
            group, "terms.incomplete", "Terms of reference no longer complete", by=by, today=today
        )
    obligations_sync(source=group, today=today, by=by)


def _lock_group(group: PartnershipGroup) -> PartnershipGroup:
    return (
        PartnershipGroup.objects.select_for_update(of=("self",))
        .select_related("compact")
        .get(pk=group.pk)
    )


@transaction.atomic
def terms_update(
    *,
    group: PartnershipGroup,
    aims_and_tasks: str,
    authority: str,
    decision_method: str,
    finality: str,
    overturned_where: str,
    quorum: int | None,
    representation_sought: str,
    electronic_means: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> PartnershipGroup:
    group = _lock_group(group)
    if finality == Finality.CAN_BE_OVERTURNED and not overturned_where.strip():
        raise Refused("Say where the group's decisions can be overturned", field="overturned_where")
    voting = group.members.current().voting().count()
    if quorum is not None and voting and quorum > voting:
        raise Refused(
            f"The quorum cannot be more than the {voting} voting members the group has",
            field="quorum",
        )
    group.aims_and_tasks = aims_and_tasks.strip()
    group.authority = authority
    group.decision_method = decision_method
    group.finality = finality
    group.overturned_where = overturned_where.strip() if finality else ""
    group.quorum = quorum
    group.representation_sought = representation_sought.strip()
    group.electronic_means = electronic_means.strip()
    group.save()
    _event(group, "terms.updated", "Terms of reference changed", by=by, today=today)
    _refresh_terms(group, by=by, today=today)
    return group


@transaction.atomic
def member_add(
    *,
    group: PartnershipGroup,
    organisation: Organisation,
    name: str,
    role: str,
    voting: bool,
    represents: str,
    constituency: str,
    joined_on: dt.date,
    by: AbstractBaseUser,
    today: dt.date,
    user=None,
) -> GroupMember:
    group = _lock_group(group)
    if role == Role.ADVISORY and voting:
        raise Refused("An advisory member cannot have a vote", field="voting")
    if represents == Represents.WIDER_CONSTITUENCY and not constituency.strip():
        raise Refused("Name the wider constituency the member represents", field="constituency")
    member = GroupMember.objects.create(
        group=group,
        organisation=organisation,
        name=name.strip(),
        user=user,
        role=role,
        voting=voting,
        represents=represents,
        constituency=constituency.strip() if represents == Represents.WIDER_CONSTITUENCY else "",
        joined_on=joined_on,
    )
    _event(
        group,
        "member.added",
        f"{member.name} joined for {organisation.name} ({member.get_role_display().lower()}, "
        f"{'voting' if voting else 'non-voting'})",
        by=by,
        today=today,
    )
    _refresh_terms(group, by=by, today=today)
    return member


@transaction.atomic
def member_change(
    *,
    member: GroupMember,
    role: str,
    voting: bool,
    represents: str,
    constituency: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> GroupMember:
    """Change a member's role, vote or who they represent."""
    member = (
        GroupMember.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=member.pk)
    )
    group = _lock_group(member.group)
    if member.left_on is not None:
        raise Refused(f"{member.name} has left the group")
    if role == Role.ADVISORY and voting:
        raise Refused("An advisory member cannot have a vote", field="voting")
    if represents == Represents.WIDER_CONSTITUENCY and not constituency.strip():
        raise Refused("Name the wider constituency the member represents", field="constituency")
    if group.quorum and member.voting and not voting:
        remaining = group.members.current().voting().exclude(pk=member.pk).count()
        if remaining < group.quorum:
            raise Refused(
                f"Without {member.name}'s vote the group would have {remaining} voting "
                f"members, fewer than its quorum of {group.quorum}: change the quorum first",
                field="voting",
            )
    member.role, member.voting, member.represents = role, voting, represents
    member.constituency = (
        constituency.strip() if represents == Represents.WIDER_CONSTITUENCY else ""
    )
    member.save(update_fields=["role", "voting", "represents", "constituency"])
    _event(
        group,
        "member.changed",
        f"{member.name} is now {member.get_role_display().lower()}, "
        f"{'voting' if voting else 'non-voting'}, representing {member.represents_text}",
        by=by,
        today=today,
    )
    _refresh_terms(group, by=by, today=today)
    return member


@transaction.atomic
def member_leave(
    *, member: GroupMember, left_on: dt.date, by: AbstractBaseUser, today: dt.date
) -> GroupMember:
    member = (
        GroupMember.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=member.pk)
    )
    if member.left_on is not None:
        raise Refused(f"{member.name} has already left the group")
    if left_on < member.joined_on:
        raise Refused("The date they left must be after the date they joined", field="left_on")
    group = _lock_group(member.group)
    if group.quorum and member.voting:
        remaining = group.members.current().voting().exclude(pk=member.pk).count()
        if remaining < group.quorum:
            raise Refused(
                f"Without {member.name} the group would have {remaining} voting members, "
                f"fewer than its quorum of {group.quorum}: change the quorum first"
            )
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    _event(group, "member.left", f"{member.name} left the group", by=by, today=today)
    _refresh_terms(group, by=by, today=today)
    return member


@transaction.atomic
def access_confirm(*, member: GroupMember, by: AbstractBaseUser, today: dt.date) -> GroupMember:
    member = (
        GroupMember.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=member.pk)
    )
    if not member.group.electronic_means:
        raise Refused("The group's terms of reference name no electronic means to confirm")
    member.access_confirmed_on = today
    member.access_confirmed_by = by
    member.save(update_fields=["access_confirmed_on", "access_confirmed_by"])
    _event(
        member.group,
        "access.confirmed",
        f"{member.name} confirmed access to {member.group.electronic_means}",
        by=by,
        today=today,
    )
    return member


@transaction.atomic
def interest_register(
    *,
    member: GroupMember,
    description: str,
    registered_on: dt.date,
    by: AbstractBaseUser,
    today: dt.date,
) -> RegisteredInterest:
    interest = RegisteredInterest.objects.create(
        member=member, description=description.strip(), registered_on=registered_on, recorded_by=by
    )
    _event(
        member.group,
        "interest.registered",
        f"Interest registered for {member.name}",
        by=by,
        today=today,
    )
    return interest


# Representation: nominations by infrastructure bodies ----------------------------------


@transaction.atomic
def nomination_request(
    *,
    group: PartnershipGroup,
    infrastructure_body: Organisation,
    constituency: str,
    role_description: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> Nomination:
    if infrastructure_body.kind != Kind.INFRASTRUCTURE or infrastructure_body.sector != Sector.VCS:
        raise Refused(
            f"{infrastructure_body.name} is not registered as a voluntary sector "
            "infrastructure body: ask one that is",
            field="infrastructure_body",
        )
    nomination = Nomination.objects.create(
        group=group,
        infrastructure_body=infrastructure_body,
        constituency=constituency.strip(),
        role_description=role_description.strip(),
        requested_on=today,
        requested_by=by,
    )
    _event(
        group,
        "nomination.requested",
        f"{infrastructure_body.name} asked to nominate a representative of "
        f"{nomination.constituency}",
        by=by,
        today=today,
    )
    return nomination


@transaction.atomic
def nomination_record(
    *,
    nomination: Nomination,
    nominee_name: str,
    term_starts_on: dt.date,
    term_ends_on: dt.date,
    voting: bool,
    by: AbstractBaseUser,
    today: dt.date,
) -> Nomination:
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=nomination.pk)
    )
    if nomination.status != Nomination.Status.REQUESTED:
        raise Refused("This nomination has already been made or withdrawn")
    if term_ends_on <= term_starts_on:
        raise Refused("The term must end after it starts", field="term_ends_on")
    member = member_add(
        group=nomination.group,
        organisation=nomination.infrastructure_body,
        name=nominee_name,
        role=Role.DECISION_MAKING if voting else Role.ADVISORY,
        voting=voting,
        represents=Represents.WIDER_CONSTITUENCY,
        constituency=nomination.constituency,
        joined_on=term_starts_on,
        by=by,
        today=today,
    )
    nomination.status = Nomination.Status.NOMINATED
    nomination.nominee_name = member.name
    nomination.nominated_on = today
    nomination.term_starts_on = term_starts_on
    nomination.term_ends_on = term_ends_on
    nomination.member = member
    nomination.save()
    _event(
        nomination.group,
        "nomination.made",
        f"{nomination.infrastructure_body.name} nominated {member.name} until "
        f"{long_date(term_ends_on)}",
        by=by,
        today=today,
    )
    return nomination


# The year's meetings -----------------------------------------------------------------------


def year_bounds(year_kind: str, year: int) -> tuple[dt.date, dt.date]:
    if year_kind == YearKind.FINANCIAL:
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@transaction.atomic
def calendar_create(
    *, group: PartnershipGroup, year_kind: str, year: int, by: AbstractBaseUser, today: dt.date
) -> MeetingCalendar:
    group = _lock_group(group)
    starts_on, ends_on = year_bounds(year_kind, year)
    overlapping = group.calendars.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if overlapping.exists():
        raise Refused(
            "The group already has a calendar covering part of that year "
            f"({overlapping.first().label})",
            field="year",
        )
    calendar = MeetingCalendar.objects.create(
        group=group, year_kind=year_kind, starts_on=starts_on, ends_on=ends_on
    )
    _event(
        group,
        "calendar.created",
        f"Meeting calendar for the {calendar.label} started",
        by=by,
        today=today,
    )
    obligations_sync(source=calendar, today=today, by=by)
    return calendar


@transaction.atomic
def calendar_publish(
    *, calendar: MeetingCalendar, by: AbstractBaseUser, today: dt.date
) -> MeetingCalendar:
    calendar = (
        MeetingCalendar.objects.select_for_update(of=("self",))
        .select_related("group")
        .get(pk=calendar.pk)
    )
    if calendar.published_on is not None:
        raise Refused("This calendar is already published")
    meetings = calendar.group.meetings.filter(
        cancelled_on__isnull=True,
        starts_at__date__gte=calendar.starts_on,
        starts_at__date__lte=calendar.ends_on,
    )
    if not meetings.exists():
        raise Refused("Add the year's meetings before publishing its dates")
    calendar.published_on = today
    calendar.save(update_fields=["published_on"])
    _event(
        calendar.group,
        "calendar.published",
        f"Meeting dates for the {calendar.label} published",
        by=by,
        today=today,
    )
    obligations_sync(source=calendar, today=today, by=by)
    return calendar


@transaction.atomic
def meeting_schedule(
    *,
    group: PartnershipGroup,
    title: str,
    starts_at: dt.datetime,
    location: str,
    decision_making: bool,
    by: AbstractBaseUser,
    today: dt.date,
) -> Meeting:
    group = _lock_group(group)
    if group.closed_on is not None:
        raise Refused("The group has closed")
    if decision_making and not group.terms_complete:
        verdict = terms_verdict(group)
        raise Refused(
            "A decision-making meeting needs complete terms of reference first. "
            + verdict.explanation,
            field="decision_making",
        )
    meeting = Meeting.objects.create(
        group=group,
        title=title.strip(),
        starts_at=starts_at,
        location=location.strip(),
        decision_making=decision_making,
        created_by=by,
    )
    _event(
        group,
        "meeting.scheduled",
        f"{meeting.title} set for {long_date(meeting.date)}",
        by=by,
        today=today,
    )
    obligations_sync(source=meeting, today=today, by=by)
    return meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("group__compact__current_version", "group__convener")
        .get(pk=meeting.pk)
    )


def _not_locked(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise Refused("The minutes of this meeting are approved: its record cannot change")
    if meeting.cancelled_on is not None:
        raise Refused("This meeting was cancelled")


def notice_is_short(meeting: Meeting) -> bool:
    due = notice_due_on(meeting)
    return due is not None and meeting.notice_given_on is not None and meeting.notice_given_on > due


@transaction.atomic
def meeting_give_notice(
    *,
    meeting: Meeting,
    given_on: dt.date,
    short_reason: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> Meeting:
    meeting = _lock_meeting(meeting)
    _not_locked(meeting)
    if meeting.notice_given_on is not None:
        raise Refused("Notice of this meeting has already been recorded")
    if given_on > meeting.date:
        raise Refused("Notice must be given before the meeting", field="given_on")
    if given_on > today:
        raise Refused("The date notice was given cannot be in the future", field="given_on")
    due = notice_due_on(meeting)
    short = due is not None and given_on > due
    if short and not short_reason.strip():
        standard = standard_for(meeting.group.compact, "notice")
        raise Refused(
            f"Notice on {long_date(given_on)} is shorter than the {standard.rule().notice} the "
            f"compact asks for (it was due by {long_date(due)}, {standard.source.file} "
            f"{standard.clause_ref}): record the reason for the short notice",
            field="short_reason",
        )
    meeting.notice_given_on = given_on
    meeting.short_notice_reason = short_reason.strip() if short else ""
    meeting.save(update_fields=["notice_given_on", "short_notice_reason"])
    text = f"Notice of {meeting.title} given on {long_date(given_on)}"
    if short:
        text += f", short of the compact's period: {meeting.short_notice_reason}"
    _event(meeting.group, "meeting.notice", text, by=by, today=today)
    obligations_sync(source=meeting, today=today, by=by)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: AbstractBaseUser, today: dt.date) -> Meeting:
    meeting = _lock_meeting(meeting)
    if meeting.held:
        raise Refused("The meeting has been held: it cannot be cancelled")
    if meeting.cancelled_on is not None:
        raise Refused("The meeting is already cancelled")
    meeting.cancelled_on = today
    meeting.save(update_fields=["cancelled_on"])
    _event(meeting.group, "meeting.cancelled", f"{meeting.title} cancelled", by=by, today=today)
    obligations_sync(source=meeting, today=today, by=by)
    return meeting


@transaction.atomic
def item_add(
    *,
    meeting: Meeting,
    title: str,
    description: str,
    sensitivity: str,
    embargo_until: dt.date | None,
    by: AbstractBaseUser,
    today: dt.date,
) -> AgendaItem:
    meeting = _lock_meeting(meeting)
    _not_locked(meeting)
    if sensitivity == Sensitivity.EMBARGOED and embargo_until is None:
        raise Refused("Give the date the embargo ends", field="embargo_until")
    number = (meeting.items.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        number=number,
        title=title.strip(),
        description=description.strip(),
        sensitivity=sensitivity,
        embargo_until=embargo_until if sensitivity == Sensitivity.EMBARGOED else None,
    )
    _event(
        meeting.group,
        "item.added",
        f"Agenda item {number} added to {meeting.title}",
        by=by,
        today=today,
    )
    return item


@transaction.atomic
def paper_add(
    *,
    meeting: Meeting,
    title: str,
    item: AgendaItem | None,
    sent_on: dt.date | None,
    tabled: bool,
    tabled_reason: str,
    sensitivity: str,
    embargo_until: dt.date | None,
    by: AbstractBaseUser,
    today: dt.date,
    file=None,
) -> Paper:
    """Add a paper, with its file if one is given (checked by `document_store`)."""
    meeting = _lock_meeting(meeting)
    _not_locked(meeting)
    if tabled and sent_on is not None:
        raise Refused(
            "A tabled paper was not sent in advance: leave the sent date blank", field="sent_on"
        )
    if tabled and not tabled_reason.strip():
        clause = _clause(meeting.group.compact, "papers")
        raise Refused(
            f"Tabling papers is to be avoided{clause}: say why this one could not be sent "
            "in advance",
            field="tabled_reason",
        )
    if sent_on is not None and sent_on > today:
        raise Refused("The date it was sent cannot be in the future", field="sent_on")
    if sensitivity == Sensitivity.EMBARGOED and embargo_until is None:
        raise Refused("Give the date the embargo ends", field="embargo_until")
    paper = Paper.objects.create(
        meeting=meeting,
        item=item,
        title=title.strip(),
        sent_on=sent_on,
        tabled=tabled,
        tabled_reason=tabled_reason.strip() if tabled else "",
        sensitivity=sensitivity,
        embargo_until=embargo_until if sensitivity == Sensitivity.EMBARGOED else None,
    )
    if file is not None:
        document_store(PaperDocument(paper=paper), file, by=by)
    _event(
        meeting.group,
        "paper.added",
        f"Paper '{paper_name(paper)}' {'tabled at' if tabled else 'added to'} {meeting.title}",
        by=by,
        today=today,
    )
    obligations = obligations_sync(source=meeting, today=today, by=by)
    if tabled:
        _excuse_tabled(paper, obligations, by=by, today=today)
    return paper


def _excuse_tabled(paper: Paper, obligations: list[Obligation], *, by, today) -> None:
    """A tabled paper's obligation is excused with its reason, where the standard allows."""
    obligation = next((o for o in obligations if o.key == f"paper-{paper.pk}"), None)
    if obligation is None or obligation.standard.exception_kind != ExceptionKind.WHERE_NOT_POSSIBLE:
        return
    try:
        obligation_excuse(
            obligation=obligation,
            kind=ExceptionKind.WHERE_NOT_POSSIBLE,
            reason=paper.tabled_reason,
            today=today,
            by=by,
        )
    except ExcuseRefused:  # the standard changed its mind; the paper stays counted as tabled
        return


@transaction.atomic
def paper_mark_sent(
    *, paper: Paper, sent_on: dt.date, by: AbstractBaseUser, today: dt.date
) -> Paper:
    paper = Paper.objects.select_for_update(of=("self",)).get(pk=paper.pk)
    meeting = _lock_meeting(paper.meeting)
    _not_locked(meeting)
    if paper.tabled:
        raise Refused("This paper was tabled at the meeting")
    if sent_on > today:
        raise Refused("The date it was sent cannot be in the future", field="sent_on")
    paper.sent_on = sent_on
    paper.save(update_fields=["sent_on"])
    _event(
        meeting.group,
        "paper.sent",
        f"Paper '{paper_name(paper)}' sent on {long_date(sent_on)}",
        by=by,
        today=today,
    )
    obligations_sync(source=meeting, today=today, by=by)
    return paper


# Attendance, quorum, declarations, decisions, minutes -------------------------------------


def quorum_of(meeting: Meeting, attendance=None) -> dict:
    """Voting members present against the quorum in the terms of reference."""
    attendance = (
        list(meeting.attendance.select_related("member")) if attendance is None else attendance
    )
    present = [a for a in attendance if a.status == Attendance.Status.PRESENT]
    voting = [a for a in present if a.member.voting]
    quorum = meeting.group.quorum
    return {
        "recorded": meeting.attendance_recorded,
        "present": len(present),
        "voting_present": len(voting),
        "quorum": quorum,
        "quorate": meeting.attendance_recorded and quorum is not None and len(voting) >= quorum,
    }


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    statuses: Mapping[int, str],
    by: AbstractBaseUser,
    today: dt.date,
) -> dict:
    meeting = _lock_meeting(meeting)
    _not_locked(meeting)
    if meeting.date > today:
        raise Refused("Attendance is recorded on or after the day of the meeting")
    members = {
        m.pk: m
        for m in meeting.group.members.filter(joined_on__lte=meeting.date).exclude(
            left_on__lt=meeting.date
        )
    }
    unknown = set(statuses) - set(members)
    if unknown:
        raise Refused("Record attendance only for the group's members on the day")
    missing = [members[pk].name for pk in members if pk not in statuses]
    if missing:
        raise Refused(f"Say whether each member attended: {', '.join(sorted(missing))}")
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member=members[pk], status=s) for pk, s in statuses.items()]
    )
    meeting.attendance_recorded = True
    meeting.held = True
    meeting.save(update_fields=["attendance_recorded", "held"])
    result = quorum_of(meeting)
    _event(
        meeting.group,
        "meeting.attendance",
        f"Attendance at {meeting.title}: {result['voting_present']} voting members present, "
        f"quorum {result['quorum']}: {'quorate' if result['quorate'] else 'inquorate'}",
        by=by,
        today=today,
    )
    return result


@transaction.atomic
def declaration_record(
    *,
    item: AgendaItem,
    member: GroupMember,
    interest: str,
    participation: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> Declaration:
    meeting = _lock_meeting(item.meeting)
    _not_locked(meeting)
    if member.group_id != meeting.group_id:
        raise Refused("Choose a member of this group", field="member")
    declaration = Declaration.objects.create(
        item=item,
        member=member,
        interest=interest.strip(),
        participation=participation,
        recorded_by=by,
    )
    _event(
        meeting.group,
        "interest.declared",
        f"{member.name} declared an interest in item {item.number} of {meeting.title}",
        by=by,
        today=today,
    )
    return declaration


def _check_votes(method, votes_for, votes_against, abstentions, *, voters: int | None):
    if method == DecisionMethod.MAJORITY:
        if votes_for is None or votes_against is None:
            raise Refused("Give the number of votes for and against", field="votes_for")
        cast = votes_for + votes_against + (abstentions or 0)
        if voters is not None and cast > voters:
            raise Refused(
                f"{cast} votes were counted but only {voters} voting members could vote",
                field="votes_for",
            )
    elif any(v is not None for v in (votes_for, votes_against, abstentions)):
        raise Refused("A decision by consensus has no vote counts", field="votes_for")


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    item: AgendaItem | None,
    text: str,
    method: str,
    votes_for: int | None,
    votes_against: int | None,
    abstentions: int | None,
    by: AbstractBaseUser,
    today: dt.date,
) -> Decision:
    meeting = _lock_meeting(meeting)
    _not_locked(meeting)
    group = meeting.group
    if not meeting.decision_making:
        raise Refused("This meeting was not called to make decisions")
    if not group.terms_complete:
        raise Refused("The group's terms of reference are not complete, so it cannot decide")
    if group.authority and group.authority != Authority.DECIDES:
        raise Refused(
            f"The group's terms of reference say it {group.get_authority_display().lower()}: "
            "it does not make decisions"
        )
    result = quorum_of(meeting)
    if not result["recorded"]:
        raise Refused("Record the attendance first: a decision needs a quorum")
    if not result["quorate"]:
        raise Refused(
            f"The meeting is inquorate ({result['voting_present']} voting members present, "
            f"quorum {result['quorum']}): it cannot record decisions"
        )
    if item is not None and item.meeting_id != meeting.pk:
        raise Refused("Choose an item on this meeting's agenda", field="item")
    _check_votes(method, votes_for, votes_against, abstentions, voters=result["voting_present"])
    decision = Decision.objects.create(
        group=group,
        meeting=meeting,
        item=item,
        text=text.strip(),
        means=Means.MEETING,
        method=method,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        decided_on=meeting.date,
        recorded_by=by,
    )
    what = (
        f"a decision on restricted item {item.number}"
        if item is not None and item.sensitivity
        else decision.text[:200]
    )
    _event(
        group,
        "decision.recorded",
        f"Decision at {meeting.title}: {what}",
        by=by,
        today=today,
    )
    return decision


def access_missing(group: PartnershipGroup) -> list[GroupMember]:
    """The current members who have not confirmed access to the electronic means."""
    return [
        m
        for m in group.members.current().select_related("organisation")
        if m.access_confirmed_on is None
    ]


def decision_record_electronic(
    *,
    group: PartnershipGroup,
    text: str,
    means: str,
    method: str,
    votes_for: int | None,
    votes_against: int | None,
    abstentions: int | None,
    decided_on: dt.date,
    by: AbstractBaseUser,
    today: dt.date,
) -> Decision:
    """A decision by e-mail or video: only when every current member has confirmed access
    to the means (003, 11.2.9). A refusal for want of access is kept in the history."""
    group = PartnershipGroup.objects.select_related("compact").get(pk=group.pk)
    if means not in ELECTRONIC_MEANS:
        raise Refused("Choose e-mail or video conference", field="means")
    if not group.terms_complete:
        raise Refused("The group's terms of reference are not complete, so it cannot decide")
    if not group.electronic_means:
        raise Refused("The group's terms of reference name no electronic means of deciding")
    missing = access_missing(group)
    if missing:
        clause = _clause_recording(group.compact, "all-partners-have-access")
        names = ", ".join(f"{m.name} ({m.organisation.name})" for m in missing)
        message = (
            f"Not every partner has confirmed access to {group.electronic_means}, so the "
            f"decision cannot be taken {Means(means).label.lower()}{clause}. Still to "
            f"confirm: {names}"
        )
        with transaction.atomic():
            _event(
                group,
                "decision.refused",
                f"Electronic decision refused for want of access: {text.strip()[:200]} "
                f"({len(missing)} not confirmed)",
                by=by,
                today=today,
            )
        raise Refused(message)
    if decided_on > today:
        raise Refused("The date of the decision cannot be in the future", field="decided_on")
    with transaction.atomic():
        group = _lock_group(group)
        voters = group.members.current().voting().count()
        _check_votes(method, votes_for, votes_against, abstentions, voters=voters)
        decision = Decision.objects.create(
            group=group,
            text=text.strip(),
            means=means,
            method=method,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            decided_on=decided_on,
            recorded_by=by,
        )
        _event(
            group,
            "decision.recorded",
            f"Decision {Means(means).label.lower()}: {decision.text[:200]}",
            by=by,
            today=today,
        )
    return decision


@transaction.atomic
def objection_record(
    *,
    decision: Decision,
    member: GroupMember,
    objection: str,
    how_represented: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> Objection:
    if decision.meeting_id is not None:
        _not_locked(_lock_meeting(decision.meeting))
    if member.group_id != decision.group_id:
        raise Refused("Choose a member of this group", field="member")
    if not how_represented.strip():
        clause = _clause_recording(decision.group.compact, "how-differences-represented")
        raise Refused(
            f"Explain how the difference will be represented outside the meeting{clause}",
            field="how_represented",
        )
    record = Objection.objects.create(
        decision=decision,
        member=member,
        objection=objection.strip(),
        how_represented=how_represented.strip(),
        recorded_by=by,
    )
    _event(
        decision.group,
        "objection.minuted",
        f"Objection by {member.name} minuted",
        by=by,
        today=today,
    )
    return record


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, minutes: str, by: AbstractBaseUser, today: dt.date
) -> Meeting:
    meeting = _lock_meeting(meeting)
    _not_locked(meeting)
    if not meeting.held:
        raise Refused("Record the attendance before writing the minutes")
    meeting.minutes = minutes.strip()
    meeting.minutes_status = Meeting.Minutes.DRAFT
    meeting.save(update_fields=["minutes", "minutes_status"])
    _event(
        meeting.group,
        "minutes.draft",
        f"Draft minutes of {meeting.title} saved",
        by=by,
        today=today,
    )
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, by: AbstractBaseUser, today: dt.date) -> Meeting:
    meeting = _lock_meeting(meeting)
    if meeting.minutes_status != Meeting.Minutes.DRAFT:
        raise Refused("Only draft minutes can be approved")
    meeting.minutes_status = Meeting.Minutes.APPROVED
    meeting.minutes_approved_on = today
    meeting.save(update_fields=["minutes_status", "minutes_approved_on"])
    _event(
        meeting.group,
        "minutes.approved",
        f"Minutes of {meeting.title} approved",
        by=by,
        today=today,
    )
    return meeting


# Requests to act (003, 11.3) --------------------------------------------------------------


def request_check(
    *, compact: Compact, received_on: dt.date, action_due_on: dt.date, emergency_reason: str = ""
):
    """The verdict of the compact's request-to-act standard for these dates, or None.

    With an emergency reason the standard's emergency exception is claimed; ExcuseRefused
    if the standard allows none.
    """
    standard = standard_for(compact, "request")
    if standard is None:
        return None
    excuse = None
    if emergency_reason.strip():
        excuse = Excuse(
            kind=ExceptionKind.EMERGENCY, reason=emergency_reason.strip(), recorded_on=received_on
        )
    return standard.rule().check(
        start=received_on, end=action_due_on, cal=standard.version.calendar, excuse=excuse
    )


@transaction.atomic
def request_make(
    *,
    compact: Compact,
    group: PartnershipGroup | None,
    from_organisation: Organisation,
    to_organisation: Organisation,
    title: str,
    details: str,
    received_on: dt.date,
    action_due_on: dt.date,
    emergency: bool,
    emergency_reason: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> RequestToAct:
    if to_organisation == from_organisation:
        raise Refused("Choose another partner to ask", field="to_organisation")
    if action_due_on < received_on:
        raise Refused(
            "The date action is due must be after the request is received", field="action_due_on"
        )
    if emergency and not emergency_reason.strip():
        raise Refused("Say what the emergency is", field="emergency_reason")
    try:
        verdict = request_check(
            compact=compact,
            received_on=received_on,
            action_due_on=action_due_on,
            emergency_reason=emergency_reason if emergency else "",
        )
    except ExcuseRefused as refused:
        raise Refused(str(refused), field="emergency") from refused
    if verdict is not None and verdict.status is Status.MISSED:
        raise Refused(
            f"Too little time to act: {verdict.explanation} Allow more time, or mark it as an "
            "emergency and say why.",
            field="action_due_on",
        )
    request = RequestToAct.objects.create(
        compact=compact,
        group=group,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        title=title.strip(),
        details=details.strip(),
        received_on=received_on,
        action_due_on=action_due_on,
        emergency=emergency,
        emergency_reason=emergency_reason.strip() if emergency else "",
        made_by=by,
    )
    audit_log("partnerships.request_made", request=request.pk, to=to_organisation.slug)
    obligations_sync(source=request, today=today, by=by)
    return request


@transaction.atomic
def request_done(
    *, request: RequestToAct, done_on: dt.date, note: str, by: AbstractBaseUser, today: dt.date
) -> RequestToAct:
    request = RequestToAct.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.done_on is not None:
        raise Refused("This request has already been acted on")
    if done_on < request.received_on or done_on > today:
        raise Refused("Give a date between receiving the request and today", field="done_on")
    request.done_on, request.done_note = done_on, note.strip()
    request.save(update_fields=["done_on", "done_note"])
    audit_log("partnerships.request_done", request=request.pk)
    obligations_sync(source=request, today=today, by=by)
    return request


@transaction.atomic
def withheld_report(
    *,
    compact: Compact,
    group: PartnershipGroup | None,
    reported_by: Organisation,
    about: Organisation,
    information: str,
    risk: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> WithheldReport:
    if about == reported_by:
        raise Refused("Choose the partner that withheld the information", field="about")
    report = WithheldReport.objects.create(
        compact=compact,
        group=group,
        reported_by=reported_by,
        about=about,
        information=information.strip(),
        risk=risk.strip(),
        reported_on=today,
        made_by=by,
    )
    audit_log("partnerships.withheld_reported", report=report.pk, compact=compact.slug)
    return report


@transaction.atomic
def withheld_consider(
    *, report: WithheldReport, outcome: str, by: AbstractBaseUser, today: dt.date
) -> WithheldReport:
    report = WithheldReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if report.considered_on is not None:
        raise Refused("This report has already been considered")
    report.considered_on, report.outcome, report.considered_by = today, outcome.strip(), by
    report.save(update_fields=["considered_on", "outcome", "considered_by"])
    audit_log("partnerships.withheld_considered", report=report.pk)
    return report


# Confidentiality and freedom of information (003, 12) ----------------------------------


@transaction.atomic
def consent_ask(
    *,
    compact: Compact,
    holder: Organisation,
    about: Organisation,
    information: str,
    recipient: str,
    legal_basis: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> Consent:
    """Ask an organisation's consent to pass on information about it; or, with a legal
    basis, record that it is passed on because the law requires it (003, 12.1)."""
    if about == holder:
        raise Refused("Choose the organisation the information is about", field="about")
    legal = bool(legal_basis.strip())
    consent = Consent.objects.create(
        compact=compact,
        holder=holder,
        about=about,
        information=information.strip(),
        recipient=recipient.strip(),
        status=Consent.Status.LEGAL_REQUIREMENT if legal else Consent.Status.ASKED,
        legal_basis=legal_basis.strip(),
        asked_on=today,
        asked_by=by,
        decided_on=today if legal else None,
    )
    audit_log("partnerships.consent_asked", consent=consent.pk, legal=legal)
    return consent


@transaction.atomic
def consent_decide(
    *, consent: Consent, give: bool, note: str, by: AbstractBaseUser, today: dt.date
) -> Consent:
    consent = Consent.objects.select_for_update(of=("self",)).get(pk=consent.pk)
    if consent.status != Consent.Status.ASKED:
        raise Refused("This consent has already been decided")
    consent.status = Consent.Status.GIVEN if give else Consent.Status.REFUSED
    consent.decided_on, consent.decided_by, consent.note = today, by, note.strip()
    consent.save(update_fields=["status", "decided_on", "decided_by", "note"])
    audit_log("partnerships.consent_decided", consent=consent.pk, given=give)
    return consent


@transaction.atomic
def foi_record(
    *,
    compact: Compact,
    public_body: Organisation,
    organisation: Organisation,
    reference: str,
    request_summary: str,
    material: str,
    received_on: dt.date,
    by: AbstractBaseUser,
    today: dt.date,
) -> FoiRequest:
    if public_body.sector != Sector.PUBLIC:
        raise Refused("Freedom of information requests are recorded by public bodies")
    if organisation.sector != Sector.VCS:
        raise Refused(
            "Choose the voluntary or community organisation whose material it concerns",
            field="organisation",
        )
    if received_on > today:
        raise Refused("The date received cannot be in the future", field="received_on")
    foi = FoiRequest.objects.create(
        compact=compact,
        public_body=public_body,
        organisation=organisation,
        reference=reference.strip(),
        request_summary=request_summary.strip(),
        material=material.strip(),
        received_on=received_on,
        disclosure_due_on=foi_due_on(compact, received_on),
        comment_invited_on=today,
        recorded_by=by,
    )
    audit_log("partnerships.foi_recorded", foi=foi.pk, organisation=organisation.slug)
    obligations_sync(source=foi, today=today, by=by)
    return foi


@transaction.atomic
def foi_comment(
    *, foi: FoiRequest, comment: str, by: AbstractBaseUser, today: dt.date
) -> FoiRequest:
    foi = FoiRequest.objects.select_for_update(of=("self",)).get(pk=foi.pk)
    if foi.decided_on is not None:
        raise Refused("The public body has already decided what to disclose")
    if foi.commented_on is not None:
        raise Refused("Your organisation has already commented")
    foi.comment, foi.commented_on, foi.commented_by = comment.strip(), today, by
    foi.save(update_fields=["comment", "commented_on", "commented_by"])
    audit_log("partnerships.foi_commented", foi=foi.pk)
    return foi


@transaction.atomic
def foi_decide(
    *, foi: FoiRequest, outcome: str, reasons: str, by: AbstractBaseUser, today: dt.date
) -> FoiRequest:
    foi = FoiRequest.objects.select_for_update(of=("self",)).get(pk=foi.pk)
    if foi.decided_on is not None:
        raise Refused("What to disclose has already been decided")
    foi.outcome, foi.reasons, foi.decided_on, foi.decided_by = outcome, reasons.strip(), today, by
    foi.save(update_fields=["outcome", "reasons", "decided_on", "decided_by"])
    audit_log("partnerships.foi_decided", foi=foi.pk, outcome=outcome)
    obligations_sync(source=foi, today=today, by=by)
    return foi
