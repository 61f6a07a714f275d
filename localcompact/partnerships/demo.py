"""Demo data: a Herefordshire partnership board run by Northfield City Council.

Complete terms of reference; a year's meetings published in advance; two meetings held
(declarations of interest, a vote with a minuted objection, an inquorate meeting with a
tabled paper and a commercially sensitive item); one called at three weeks' notice, which
shows as short; an electronic decision refused because not every partner has confirmed
access; requests to act (one an emergency at five days), a report of withheld
information, a consent asked, and a freedom-of-information request. Everything is made
through the services, dated around the day the demo runs, so its obligations exist.
"""

import datetime as dt

from django.utils import timezone

from localcompact.obligations.services import obligations_sync

from . import services
from .models import Attendance, YearKind

DAY = dt.timedelta(days=1)


def _at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def _financial_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def seed(demo) -> str:
    today = demo.today
    people, orgs = demo.people, demo.organisations
    olivia, cara = people["olivia"], people["cara"]
    compact = demo.compact("herefordshire")
    council = orgs["northfield-council"]
    action = orgs["northfield-community-action"]
    youth = orgs["riverside-youth-trust"]
    health = orgs["westshire-health"]

    start = today - 200 * DAY
    group = services.group_create(
        compact=compact,
        convener=council,
        name="Northfield Health and Wellbeing Partnership Board",
        kind="board",
        set_up_on=start,
        by=olivia,
        today=start,
    )
    members = {}
    for key, organisation, name, role, voting, represents, constituency, user in [
        (
            "olivia",
            council,
            "Olivia Officer",
            "decision_making",
            True,
            "own_organisation",
            "",
            olivia,
        ),
        (
            "cara",
            action,
            "Cara Charity",
            "decision_making",
            True,
            "wider_constituency",
            "Small community groups in Northfield",
            cara,
        ),
        ("ravi", youth, "Ravi Rivers", "decision_making", True, "own_organisation", "", None),
        ("wendy", health, "Wendy West", "advisory", False, "own_organisation", "", None),
    ]:
        members[key] = services.member_add(
            group=group,
            organisation=organisation,
            name=name,
            role=role,
            voting=voting,
            represents=represents,
            constituency=constituency,
            joined_on=start,
            by=olivia,
            today=start,
            user=user,
        )
    services.terms_update(
        group=group,
        aims_and_tasks="Agree the area's health and wellbeing priorities, oversee the plan "
        "that delivers them, and decide how the shared prevention fund is spent.",
        authority="decides",
        decision_method="majority",
        finality="can_be_overturned",
        overturned_where="The council's cabinet, for spending over its delegated limit",
        quorum=3,
        representation_sought="The voluntary and community sector as a whole, through a "
        "representative of small community groups.",
        electronic_means="E-mail and video calls",
        by=olivia,
        today=start + DAY,
    )
    services.interest_register(
        member=members["cara"],
        description="Trustee of Northfield Food Bank",
        registered_on=start + DAY,
        by=cara,
        today=start + DAY,
    )

    # The year's meetings, published before each year starts.
    plan = [
        ("Board meeting", today - 90 * DAY),
        ("Board meeting", today - 30 * DAY),
        ("Extra board meeting on the budget", today + 21 * DAY),
        ("Board meeting", today + 60 * DAY),
        ("Board meeting", today + 150 * DAY),
    ]
    years = sorted({_financial_year(day) for _, day in plan})
    calendars = []
    for year in years:
        year_start = dt.date(year, 4, 1)
        calendars.append(
            services.calendar_create(
                group=group,
                year_kind=YearKind.FINANCIAL,
                year=year,
                by=olivia,
                today=min(year_start - 20 * DAY, today),
            )
        )
    meetings = []
    for title, day in plan:
        planned_on = min(day - 60 * DAY, today)
        meetings.append(
            services.meeting_schedule(
                group=group,
                title=title,
                starts_at=_at(day),
                location="Northfield Town Hall, Committee Room 2",
                decision_making=True,
                by=olivia,
                today=planned_on,
            )
        )
    for calendar in calendars:
        services.calendar_publish(
            calendar=calendar, by=olivia, today=min(calendar.starts_on - 10 * DAY, today)
        )

    first, second, short, fourth, _fifth = meetings
    for m in (first, second):
        services.meeting_give_notice(
            meeting=m,
            given_on=m.date - 35 * DAY,
            short_reason="",
            by=olivia,
            today=m.date - 35 * DAY,
        )
    services.meeting_give_notice(
        meeting=short,
        given_on=today,
        short_reason="The council's budget timetable moved forward, and the board must "
        "comment before cabinet meets.",
        by=olivia,
        today=today,
    )

    # The first meeting: papers in advance, declarations, a vote with an objection.
    day = first.date
    grants = services.item_add(
        meeting=first,
        title="Community grants round",
        description="Recommendations for this year's small grants.",
        sensitivity="",
        embargo_until=None,
        by=olivia,
        today=day - 10 * DAY,
    )
    plan_item = services.item_add(
        meeting=first,
        title="Youth services plan",
        description="",
        sensitivity="",
        embargo_until=None,
        by=olivia,
        today=day - 10 * DAY,
    )
    for title, item in [
        ("Grants recommendations", grants),
        ("Draft youth services plan", plan_item),
    ]:
        services.paper_add(
            meeting=first,
            title=title,
            item=item,
            sent_on=day - 8 * DAY,
            tabled=False,
            tabled_reason="",
            sensitivity="",
            embargo_until=None,
            by=olivia,
            today=day - 8 * DAY,
        )
    services.attendance_record(
        meeting=first,
        statuses={m.pk: Attendance.Status.PRESENT for m in members.values()},
        by=olivia,
        today=day,
    )
    services.declaration_record(
        item=grants,
        member=members["cara"],
        interest="Northfield Community Action has applied for a grant in this round",
        participation="left_room",
        by=olivia,
        today=day,
    )
    services.decision_record(
        meeting=first,
        item=grants,
        text="Award the small grants as recommended.",
        method="majority",
        votes_for=2,
        votes_against=0,
        abstentions=None,
        by=olivia,
        today=day,
    )
    plan_decision = services.decision_record(
        meeting=first,
        item=plan_item,
        text="Adopt the youth services plan for consultation.",
        method="majority",
        votes_for=2,
        votes_against=1,
        abstentions=None,
        by=olivia,
        today=day,
    )
    services.objection_record(
        decision=plan_decision,
        member=members["cara"],
        objection="The plan cuts outreach in the estates before the consultation has heard "
        "from young people there.",
        how_represented="Northfield Community Action will set out its view in its own "
        "consultation response and report the difference to the community groups it "
        "represents.",
        by=olivia,
        today=day,
    )
    services.minutes_save(
        meeting=first,
        minutes="The board agreed the grants round and adopted the youth services plan for "
        "consultation, with one objection minuted.",
        by=olivia,
        today=day + 3 * DAY,
    )
    services.minutes_approve(meeting=first, by=olivia, today=second.date)

    # The second: a tabled paper, a sensitive item, and too few voting members to decide.
    day = second.date
    advice = services.item_add(
        meeting=second,
        title="Commissioning of advice services: provider prices",
        description="",
        sensitivity="commercial",
        embargo_until=None,
        by=olivia,
        today=day - 10 * DAY,
    )
    services.paper_add(
        meeting=second,
        title="Late figures on hospital discharges",
        item=None,
        sent_on=None,
        tabled=True,
        tabled_reason="The figures were published the day before the meeting.",
        sensitivity="",
        embargo_until=None,
        by=olivia,
        today=day,
    )
    services.attendance_record(
        meeting=second,
        statuses={
            members["olivia"].pk: Attendance.Status.PRESENT,
            members["cara"].pk: Attendance.Status.PRESENT,
            members["ravi"].pk: Attendance.Status.APOLOGIES,
            members["wendy"].pk: Attendance.Status.PRESENT,
        },
        by=olivia,
        today=day,
    )
    services.declaration_record(
        item=advice,
        member=members["cara"],
        interest="Northfield Community Action provides advice services",
        participation="no_part",
        by=olivia,
        today=day,
    )
    services.minutes_save(
        meeting=second,
        minutes="The meeting was inquorate, so took no decisions; items were discussed and "
        "carried forward.",
        by=olivia,
        today=day + 2 * DAY,
    )

    # An electronic decision refused: not every partner has confirmed access.
    for key in ("olivia", "wendy"):
        services.access_confirm(member=members[key], by=olivia, today=today - 5 * DAY)
    try:
        services.decision_record_electronic(
            group=group,
            text="Respond to the council's budget consultation in the board's name.",
            means="email",
            method="consensus",
            votes_for=None,
            votes_against=None,
            abstentions=None,
            decided_on=today - 2 * DAY,
            by=olivia,
            today=today - 2 * DAY,
        )
    except services.Refused as refused:
        if "confirmed access" not in refused.message:  # pragma: no cover
            raise
    else:  # pragma: no cover - the demo is built to be refused
        raise AssertionError("the demo's electronic decision should have been refused")

    # Acting, confidentiality and freedom of information.
    services.request_make(
        compact=compact,
        group=group,
        from_organisation=council,
        to_organisation=action,
        title="Share the community groups' views on the health priorities",
        details="A summary of what small groups have said, for the board's next meeting.",
        received_on=today - 3 * DAY,
        action_due_on=today + 11 * DAY,
        emergency=False,
        emergency_reason="",
        by=olivia,
        today=today - 3 * DAY,
    )
    services.request_make(
        compact=compact,
        group=group,
        from_organisation=council,
        to_organisation=youth,
        title="Open the youth centre as a rest centre",
        details="After the flooding on the Riverside estate.",
        received_on=today,
        action_due_on=today + 5 * DAY,
        emergency=True,
        emergency_reason="Flooding: families need somewhere to stay this week.",
        by=olivia,
        today=today,
    )
    services.withheld_report(
        compact=compact,
        group=group,
        reported_by=action,
        about=health,
        information="That the discharge support contract would end early.",
        risk="Our volunteers were left supporting patients with no funding or notice.",
        by=cara,
        today=today - 4 * DAY,
    )
    services.consent_ask(
        compact=compact,
        holder=council,
        about=action,
        information="Northfield Community Action's monitoring returns for last year.",
        recipient="Westshire Health Partnership, for its needs assessment",
        legal_basis="",
        by=olivia,
        today=today - DAY,
    )
    services.foi_record(
        compact=compact,
        public_body=council,
        organisation=action,
        reference="FOI-2026-118",
        request_summary="All grant monitoring reports from voluntary groups since 2024.",
        material="Northfield Community Action's monitoring reports, which name some clients.",
        received_on=today - 5 * DAY,
        by=olivia,
        today=today - 5 * DAY,
    )

    # Bring every obligation's status up to today.
    group.refresh_from_db()
    for source in [
        group,
        *group.calendars.all(),
        *group.meetings.all(),
        *group.requests_to_act.all(),
    ]:
        obligations_sync(source=source, today=today, by=olivia)
    return (
        f"Partnerships: {group.name} with {len(meetings)} meetings (one at short notice), "
        "requests to act, a withheld-information report, a consent and an FOI request."
    )
