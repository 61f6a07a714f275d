"""The records the open-data tests publish, or must not.

Built on the disagreement tests' cast (`make_cast`: Leicester, Herefordshire and City
Together loaded; Northfield Council and Northfield Community Action sign Leicester), with:

- a consultation by the council under Leicester walked to published feedback, with a
  named individual's response and an anonymous one (neither may appear in any
  download), and a second one still planned (no outcome yet);
- Leicester's annual meeting, held, with a published agenda, minutes and a decision, and
  a steering group meeting whose agenda is not published yet;
- a partnership group's meeting with a confidential agenda item (partnership records are
  not open data at all);
- a disagreement taken to a published finding, and one still confidential.

Every secret is a distinctive string listed in `SECRETS`, so a test can look for each
in every file the open data serves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from localcompact.consultations import services as consultations
from localcompact.consultations.models import Consultation, Response, ResponseKind
from localcompact.disputes.tests.conftest import TODAY, make_cast, raise_leicester, step, to_appeal
from localcompact.governance.models import AgendaItem, Decision, Meeting
from localcompact.partnerships.models import AgendaItem as GroupItem
from localcompact.partnerships.models import Meeting as GroupMeeting
from localcompact.partnerships.models import PartnershipGroup, Sensitivity

SECRETS = {
    "respondent": "Priya Hiddenname",
    "answer": "The named respondent's private answer QX-ANSWER-1",
    "anonymous answer": "An anonymous answer QX-ANSWER-2",
    "draft agenda": "Unpublished agenda item QX-AGENDA",
    "draft minutes": "Minutes not yet published QX-MINUTES",
    "confidential item": "Confidential partnership item QX-CONFIDENTIAL",
    "case title": "Consultation on youth services closed after three weeks",
    "case statement": "Two meetings with the service manager.",
    "written comments": "We disagree with the council's account.",
    "open case": "An open confidential disagreement QX-OPEN-CASE",
}


@dataclass
class Published:
    cast: object
    fed_back: Consultation
    planned: Consultation
    annual: Meeting
    steering: Meeting
    finding: object
    open_case: object
    extra: dict = field(default_factory=dict)


def consultation_fed_back(cast, *, title="Youth services review", today=dt.date(2025, 7, 1)):
    c = consultations.consultation_plan(
        compact=cast.leicester,
        lead=cast.council,
        by=cast.council_officer,
        today=today,
        title=title,
        summary="How youth services should run from next year.",
        open_to_change="Opening times and places.",
        who_affected="Young people and youth groups.",
        opens_on=today + dt.timedelta(days=7),
        closes_on=today + dt.timedelta(days=7 + 84),
        feedback_by=today + dt.timedelta(days=7 + 84 + 56),
    )
    consultations.consultation_open(consultation=c, by=cast.council_officer, today=c.opens_on)
    Response.objects.create(
        consultation=c,
        kind=ResponseKind.INDIVIDUAL,
        state=Response.State.SUBMITTED,
        respondent_name=SECRETS["respondent"],
        answer=SECRETS["answer"],
        started_on=c.opens_on,
        submitted_on=c.opens_on,
    )
    Response.objects.create(
        consultation=c,
        kind=ResponseKind.ANONYMOUS,
        state=Response.State.SUBMITTED,
        answer=SECRETS["anonymous answer"],
        started_on=c.opens_on,
        submitted_on=c.opens_on,
    )
    after = c.closes_on + dt.timedelta(days=1)
    consultations.consultation_close(consultation=c, by=cast.council_officer, today=after)
    consultations.consultation_start_analysis(consultation=c, by=cast.council_officer, today=after)
    consultations.consultation_decide(
        consultation=c,
        decision="Youth centres open on Saturdays.",
        reasons="Most respondents asked for weekend opening.",
        effect="Saturday opening was added.",
        petitions_considered="",
        by=cast.council_officer,
        today=after,
    )
    consultations.consultation_publish_feedback(
        consultation=c,
        what_you_told_us="You wanted weekend opening.",
        by=cast.council_officer,
        today=after + dt.timedelta(days=7),
    )
    c.refresh_from_db()
    return c


def consultation_planned(cast, *, title="Parks strategy", today=TODAY):
    return consultations.consultation_plan(
        compact=cast.leicester,
        lead=cast.council,
        by=cast.council_officer,
        today=today,
        title=title,
        summary="A new parks strategy.",
        open_to_change="Everything.",
        who_affected="Everyone who uses the parks.",
        opens_on=today + dt.timedelta(days=14),
        closes_on=today + dt.timedelta(days=14 + 84),
    )


def governance_meeting(cast, *, title="Annual meeting 2026", on=TODAY, published=True):
    meeting = Meeting.objects.create(
        compact=cast.leicester,
        version=cast.leicester.current_version,
        kind=Meeting.Kind.ANNUAL if published else Meeting.Kind.BODY,
        title=title,
        on=on,
        place="Town Hall",
        agenda_published_on=on - dt.timedelta(days=14) if published else None,
        held=published,
        minutes="The meeting agreed the plan." if published else SECRETS["draft minutes"],
        minutes_published_on=on if published else None,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        kind="compliance",
        title="Compliance with the standards" if published else SECRETS["draft agenda"],
    )
    if published:
        Decision.objects.create(meeting=meeting, text="The action plan is agreed.")
    return meeting


def partnership_meeting(cast):
    group = PartnershipGroup.objects.create(
        compact=cast.leicester,
        convener=cast.council,
        name="Youth partnership board",
        slug="youth-board",
        kind="board",
        set_up_on=dt.date(2025, 1, 6),
    )
    meeting = GroupMeeting.objects.create(
        group=group,
        title="Board meeting",
        starts_at=dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC),
    )
    GroupItem.objects.create(
        meeting=meeting,
        number=1,
        title=SECRETS["confidential item"],
        sensitivity=Sensitivity.CONFIDENTIAL,
    )
    return meeting


def publish_everything(cast) -> Published:
    fed_back = consultation_fed_back(cast)
    planned = consultation_planned(cast)
    annual = governance_meeting(cast)
    steering = governance_meeting(
        cast, title="Steering group", on=TODAY + dt.timedelta(days=30), published=False
    )
    partnership_meeting(cast)
    finding = to_appeal(cast, raise_leicester(cast))
    open_case = raise_leicester(cast)
    step(
        open_case,
        "submit-in-writing",
        cast.charity_admin,
        answers={"steps-already-taken": SECRETS["open case"]},
    )
    finding.refresh_from_db()
    assert finding.is_public
    return Published(cast, fed_back, planned, annual, steering, finding, open_case)


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def published(cast) -> Published:
    return publish_everything(cast)
