"""Funding's part of a person's data: in their download, and kept on erasure.

The story (factories.story_made): the council officer started a plan, set up the
programmes, decided the applications and recorded the award with its schedule, return
and risk; the charity's and the rival's officers each submitted an application.
"""

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model

from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import (
    FORMER_USER,
    account_erase,
    personal_data_collect,
    personal_data_json,
)
from localcompact.funding import services
from localcompact.funding.models import (
    Application,
    Award,
    CommissioningPlan,
    FundingEvent,
    MonitoringReturn,
    Opportunity,
    WindDownNotice,
)

from .factories import DAY, TODAY, story_fixture, world_fixture  # noqa: F401

NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)
SECTIONS = {
    "funding_plans_started",
    "funding_involvement_recorded",
    "funding_opportunities_set_up",
    "funding_applications_submitted",
    "funding_awards_recorded",
    "funding_returns_reviewed",
    "funding_wind_down_notices_recorded",
    "funding_changes_recorded",
    "funding_history",
}


@pytest.fixture
def more(story):
    """The charity's officer gives notice of winding down; the council's officer
    reviews the return."""
    award = story.things["award"]
    services.wind_down_give(
        award=award,
        service_ends_on=TODAY + 120 * DAY,
        given_on=TODAY,
        reason="The hall is closing.",
        by=story.user("charity_officer"),
        today=TODAY,
    )
    services.return_review(
        item=story.things["item"],
        assessment="concern",
        note="Attendance has fallen.",
        by=story.user("council_officer"),
        today=TODAY,
    )
    return story


def test_the_funder_s_officer_finds_what_they_recorded(more):
    data = personal_data_collect(more.user("council_officer"), now=NOW)
    assert set(data) >= SECTIONS
    assert [p["title"] for p in data["funding_plans_started"]] == ["Wellbeing plan"]
    assert {o["code"] for o in data["funding_opportunities_set_up"]} == {
        "community-grants",
        "draft-contract",
    }
    assert [a["title"] for a in data["funding_awards_recorded"]] == ["Community project grant"]
    assert data["funding_returns_reviewed"] == [
        {
            "award": "Community project grant",
            "period": "First quarter",
            "reviewed_on": TODAY.isoformat(),
            "assessment": "A performance concern",
            "note": "Attendance has fallen.",
        }
    ]
    steps = {e["step"] for e in data["funding_history"]}
    assert {"Plan started", "Application decided", "Award recorded", "Risk recorded"} <= steps
    assert data["funding_applications_submitted"] == []
    json.loads(personal_data_json(more.user("council_officer"), now=NOW))  # serialisable


def test_an_applicant_finds_their_application_and_notice(more):
    data = personal_data_collect(more.user("charity_officer"), now=NOW)
    assert [a["title"] for a in data["funding_applications_submitted"]] == [
        "Fundshire Charity's project"
    ]
    assert data["funding_applications_submitted"][0]["status"] == "Successful"
    assert [n["reason"] for n in data["funding_wind_down_notices_recorded"]] == [
        "The hall is closing."
    ]
    assert {e["step"] for e in data["funding_history"]} == {
        "Application submitted",
        "Notice of winding the service down",
    }
    assert data["funding_plans_started"] == data["funding_awards_recorded"] == []


def test_nothing_others_wrote_or_did_is_in_it(more):
    text = personal_data_json(more.user("rival_officer"), now=NOW)
    data = json.loads(text)
    assert [a["title"] for a in data["funding_applications_submitted"]] == ["Rival bid"]
    assert data["funding_applications_submitted"][0]["status"] == "Unsuccessful"
    # the funder's reasons, the other applicant's work and the award's private parts
    for theirs in ("Confidential scoring notes", "Fundshire Charity's project", "Secret risk"):
        assert theirs not in text
    outsider = personal_data_collect(more.user("outsider"), now=NOW)
    assert all(outsider[name] == [] for name in SECTIONS)


def test_erasure_keeps_the_funding_record_naming_a_former_user(more, caplog):
    person = more.user("charity_officer")
    staff = more.user("staff")
    deletion = DeletionRequest.objects.create(user=person, reason="Leaving.")
    mine = FundingEvent.objects.filter(by=person).count()
    assert mine == 2
    with caplog.at_level("INFO", logger="localcompact.audit"):
        counts = account_erase(deletion=deletion, by=staff, now=NOW)
    # the application, the wind-down notice and the two steps they took
    assert counts["funding records kept"] == 4
    person = get_user_model().objects.get(pk=person.pk)
    assert person.get_full_name() == FORMER_USER
    application = Application.objects.get(pk=more.things["won"].pk)
    assert application.submitted_by_id == person.pk
    assert WindDownNotice.objects.get().recorded_by_id == person.pk
    assert FundingEvent.objects.filter(by=person).count() == mine
    assert any(r.getMessage() == "funding.personal_data_erased" for r in caplog.records)
    # their download now holds the same records, naming no one
    data = personal_data_collect(person, now=NOW)
    assert len(data["funding_applications_submitted"]) == 1


def test_erasing_the_funder_s_officer_keeps_every_record(more):
    person = more.user("council_officer")
    before = {
        "plans": CommissioningPlan.objects.filter(created_by=person).count(),
        "opportunities": Opportunity.objects.filter(created_by=person).count(),
        "awards": Award.objects.filter(recorded_by=person).count(),
        "returns": MonitoringReturn.objects.filter(reviewed_by=person).count(),
        "events": FundingEvent.objects.filter(by=person).count(),
    }
    deletion = DeletionRequest.objects.create(user=person)
    counts = account_erase(deletion=deletion, by=more.user("staff"), now=NOW)
    assert counts["funding records kept"] == sum(before.values())
    assert before == {
        "plans": CommissioningPlan.objects.filter(created_by=person).count(),
        "opportunities": Opportunity.objects.filter(created_by=person).count(),
        "awards": Award.objects.filter(recorded_by=person).count(),
        "returns": MonitoringReturn.objects.filter(reviewed_by=person).count(),
        "events": FundingEvent.objects.filter(by=person).count(),
    }
