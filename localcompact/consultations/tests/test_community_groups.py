"""Longer for community groups (Redcar & Cleveland, 002_41c5fa4d4a1baeb0.txt, Community
groups and neighbourhoods code, key principle 2), formats and venue access, and the
calendar feed's links.

Reference case: a Redcar consultation announced on 1 January 2026, open from Thursday
8 January to Thursday 2 April 2026 (12 weeks). Good Friday (3 April) and Easter Monday
(6 April) are bank holidays in England, so two working days more for community groups
run to Wednesday 8 April.
"""

import datetime as dt

import pytest
from django.urls import reverse

from localcompact.compacts.models import Standard
from localcompact.obligations.models import Obligation
from localcompact.organisations.models import Kind, Membership, Organisation, Role

from .. import services, timing, views
from ..models import ExtraUnit, Response, ResponseKind, Status
from ..obligations import required_record_state
from .conftest import user

pytestmark = pytest.mark.django_db

ANNOUNCED = dt.date(2026, 1, 1)
OPENS = dt.date(2026, 1, 8)
CLOSES = dt.date(2026, 4, 2)
GROUPS_CLOSE = dt.date(2026, 4, 8)  # two working days after, over Easter


@pytest.fixture
def group(world):
    """An unconstituted community group, with an officer who acts for it."""
    org = Organisation.objects.create(
        name="Marsh Lane Neighbours",
        slug="marsh-lane",
        sector="vcs",
        kind=Kind.COMMUNITY_GROUP,
        unconstituted=True,
    )
    world.group_officer = user("group_officer")
    Membership.objects.create(user=world.group_officer, organisation=org, role=Role.ADMINISTRATOR)
    return org


def redcar(world, **kw):
    fields = {
        "today": ANNOUNCED,
        "opens_on": OPENS,
        "closes_on": CLOSES,
        "feedback_by": dt.date(2026, 6, 1),
        "community_group_extra": 2,
        "community_group_extra_unit": ExtraUnit.WORKING_DAYS,
        "accessible_information": "Easy Read on request.",
        "participation_support": "Travel costs for groups.",
    }
    fields.update(kw)
    c = world.plan("redcar-cleveland", **fields)
    services.consultation_open(consultation=c, by=world.officer, today=OPENS)
    c.refresh_from_db()
    return c


def respond(c, *, by, organisation, on, kind=ResponseKind.ORGANISATION):
    response, _ = services.response_save(
        consultation=c,
        kind=kind,
        by=by,
        today=on,
        submit=True,
        organisation=organisation,
        represents="Households on Marsh Lane",
        views_gathered="A street meeting",
        respondent_name="A Person",
        answer="Please light the green.",
    )
    return response


# --- The extended close -------------------------------------------------------------------


def test_working_days_for_community_groups_skip_the_easter_bank_holidays(world):
    c = redcar(world)
    assert c.community_groups_close_on == GROUPS_CLOSE
    assert c.community_group_extra_text == "2 working days"


def test_days_for_community_groups_are_calendar_days(world):
    c = redcar(world, community_group_extra=14, community_group_extra_unit=ExtraUnit.DAYS)
    assert c.community_groups_close_on == CLOSES + dt.timedelta(days=14)


def test_no_extra_time_gives_no_extended_close(world):
    c = redcar(world, community_group_extra=0)
    assert c.community_groups_close_on is None
    assert not c.is_open_to_community_groups_on(CLOSES + dt.timedelta(days=1))


def test_a_community_group_can_respond_until_its_last_extended_day(world, group):
    c = redcar(world)
    services.consultation_close(consultation=c, by=world.officer, today=CLOSES + dt.timedelta(1))
    c.refresh_from_db()
    assert c.status == Status.CLOSED
    response = respond(c, by=world.group_officer, organisation=group, on=GROUPS_CLOSE)
    assert response.submitted and response.submitted_on == GROUPS_CLOSE


def test_a_community_group_cannot_respond_the_day_after_its_extended_close(world, group):
    c = redcar(world)
    with pytest.raises(services.Refused, match="not open for responses"):
        respond(c, by=world.group_officer, organisation=group, on=GROUPS_CLOSE + dt.timedelta(1))
    assert not Response.objects.exists()


def test_other_organisations_and_people_cannot_use_the_extra_time(world, group):
    c = redcar(world)
    after = CLOSES + dt.timedelta(days=1)
    with pytest.raises(services.Refused, match="Only community groups can still respond"):
        respond(c, by=world.charity_officer, organisation=world.charity, on=after)
    with pytest.raises(services.Refused, match="Only community groups"):
        respond(c, by=world.group_officer, organisation=None, on=after, kind="individual")
    with pytest.raises(services.Refused, match="Only community groups"):
        services.response_save(
            consultation=c, kind="anonymous", by=None, today=after, submit=True, answer="No."
        )
    # on the general closing day everyone may respond
    respond(c, by=world.charity_officer, organisation=world.charity, on=CLOSES)


def test_a_residents_association_counts_as_a_community_group(world):
    residents = Organisation.objects.create(
        name="Brook Street Residents", slug="brook", sector="vcs", kind=Kind.TENANTS_RESIDENTS
    )
    Membership.objects.create(user=world.charity_officer, organisation=residents, role="officer")
    c = redcar(world)
    respond(c, by=world.charity_officer, organisation=residents, on=GROUPS_CLOSE)


def test_the_analysis_waits_for_the_community_groups_extra_time(world):
    c = redcar(world)
    services.consultation_close(consultation=c, by=world.officer, today=CLOSES + dt.timedelta(1))
    with pytest.raises(services.Refused, match="Community groups can respond until"):
        services.consultation_start_analysis(consultation=c, by=world.officer, today=GROUPS_CLOSE)
    services.consultation_start_analysis(
        consultation=c, by=world.officer, today=GROUPS_CLOSE + dt.timedelta(1)
    )


def test_feedback_cannot_be_promised_before_community_groups_have_responded(world):
    with pytest.raises(services.Refused, match="last day community groups can respond") as e:
        redcar(world, feedback_by=dt.date(2026, 4, 7))
    assert e.value.field == "feedback_by"


@pytest.mark.parametrize("bad", [-1, 366, "7"])
def test_bad_extra_time_is_refused(world, bad):
    with pytest.raises(services.Refused) as e:
        redcar(world, community_group_extra=bad)
    assert e.value.field == "community_group_extra"


# --- What the compact asks ------------------------------------------------------------


def test_redcars_record_of_time_for_community_groups_is_met_only_by_extra_time(world):
    standard = Standard.objects.get(
        version=world.compacts["redcar-cleveland"].current_version,
        ident="consultation-community-group-arrangements",
    )
    with_time = redcar(world)
    verdict, _ = required_record_state(standard, with_time)
    assert not verdict.missing
    without = redcar(world, community_group_extra=0, title="Without extra time")
    verdict, _ = required_record_state(standard, without)
    assert verdict.missing == ("community-group-response-time",)


def test_no_shipped_compact_fixes_the_extra_time_so_the_default_is_none(world):
    for compact in world.compacts.values():
        standards = timing.applicable(
            version=compact.current_version, sector="public", level="consulting"
        )
        assert timing.community_group_extra_default(standards) == (0, ExtraUnit.DAYS)


@pytest.fixture
def fixed_extra_time(world):
    """A definition that fixes 10 working days more for community groups."""
    version = world.compacts["redcar-cleveland"].current_version
    model = Standard.objects.get(version=version, ident="consultation-minimum-period")
    return Standard.objects.create(
        version=version,
        code=model.code,
        source=model.source,
        clause_ref="test clause",
        ident="community-groups-extra-time",
        title="Ten working days more for community groups",
        summary="Community groups get ten working days more.",
        applies_to="consultation",
        owed_by="public-sector",
        owed_to="community-sector",
        rule_kind="minimum_period",
        params={
            "period": {"count": 10, "unit": "working_days"},
            "start": "closes",
            "end": timing.COMMUNITY_GROUPS_CLOSE,
        },
        strictness="must",
    )


def test_a_compact_that_fixes_the_extra_time_gives_the_default(world, fixed_extra_time):
    c = world.plan(
        "redcar-cleveland",
        today=ANNOUNCED,
        opens_on=OPENS,
        closes_on=CLOSES,
        feedback_by=dt.date(2026, 6, 1),
    )
    assert (c.community_group_extra, c.community_group_extra_unit) == (10, "working_days")
    # 10 working days after 2 April, skipping Good Friday and Easter Monday
    assert c.community_groups_close_on == dt.date(2026, 4, 20)
    obligation = Obligation.objects.get(
        source_id=c.pk, source_type__model="consultation", standard=fixed_extra_time
    )
    assert obligation.due_on == dt.date(2026, 4, 20) and obligation.met_on == obligation.due_on


def test_a_compact_that_fixes_the_extra_time_refuses_less(world, fixed_extra_time):
    with pytest.raises(services.Refused, match="at least 10 working days more") as e:
        redcar(world, community_group_extra=9)
    assert e.value.field == "community_group_extra"


# --- Pages --------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    day = {"today": OPENS}
    monkeypatch.setattr(views, "today", lambda: day["today"])
    return day


def test_the_page_shows_the_extra_time_and_the_formats_and_access(client, world, clock):
    c = redcar(
        world,
        formats_offered=["large_print", "easy_read", "nonsense"],
        venue_access=["step_free", "hearing_loop"],
        venue_access_notes="Level entrance from the car park.",
    )
    assert c.formats_offered == ["large_print", "easy_read"]
    page = client.get(reverse("consultations:detail", args=[c.pk])).text
    assert "community groups can respond until the end of 8 April 2026" in page
    assert "2 working days more than others" in page
    assert "Large print" in page and "Easy read" in page
    assert "Step-free access" in page and "Hearing loop" in page
    assert "Level entrance from the car park." in page
    link = reverse("volunteering:format_request_new", args=[world.council.slug])
    path = c.get_absolute_url().replace("/", "%2F")
    assert f'href="{link}?subject=Library+opening+hours&amp;from={path}"' in page


def test_after_the_general_close_only_community_groups_are_offered_a_way_in(
    client, world, group, clock
):
    c = redcar(world)
    clock["today"] = GROUPS_CLOSE
    page = client.get(reverse("consultations:detail", args=[c.pk])).text
    assert "Community groups can still respond until the end of 8 April 2026" in page
    client.force_login(world.group_officer)
    choose = client.get(reverse("consultations:respond_choose", args=[c.pk])).text
    assert "For a community group" in choose and "Anonymously" not in choose
    form = client.get(reverse("consultations:respond", args=[c.pk, "organisation"]))
    assert form.status_code == 200 and "Marsh Lane Neighbours" in form.text
    sent = client.post(
        reverse("consultations:respond", args=[c.pk, "organisation"]),
        {
            "organisation": group.pk,
            "represents": "Households on Marsh Lane",
            "views_gathered": "A street meeting",
            "answer": "Light the green.",
            "action": "send",
        },
    )
    assert sent.status_code == 302
    assert Response.objects.get().organisation == group
    client.force_login(world.charity_officer)
    refused = client.get(reverse("consultations:respond", args=[c.pk, "organisation"]))
    assert "This consultation is not open for responses" in refused.text
    assert "Community groups can still respond" in refused.text


def test_the_plan_form_records_the_extra_time_formats_and_access(client, world, clock):
    clock["today"] = ANNOUNCED
    client.force_login(world.officer)
    path = reverse("consultations:plan", args=[world.council.slug, "redcar-cleveland"])
    page = client.get(path).text
    assert "More time for community groups" in page
    assert "Extra time and support for community groups" in page  # Redcar's standard
    data = {
        "level": "consulting",
        "title": "Parks plan",
        "summary": "Which parks come first.",
        "open_to_change": "The order.",
        "who_affected": "Park users.",
        "response_methods": ["online"],
        "opens_on-day": "8",
        "opens_on-month": "1",
        "opens_on-year": "2026",
        "closes_on-day": "2",
        "closes_on-month": "4",
        "closes_on-year": "2026",
        "feedback_by-day": "1",
        "feedback_by-month": "6",
        "feedback_by-year": "2026",
        "community_group_extra": "2",
        "community_group_extra_unit": "working_days",
        "formats_offered": ["braille", "audio"],
        "venue_access": ["quiet_room"],
        "venue_access_notes": "",
    }
    bad = client.post(path, {**data, "community_group_extra": "lots"})
    assert bad.status_code == 400
    assert "Enter the extra time for community groups as a whole number" in bad.text
    made = client.post(path, data)
    assert made.status_code == 302
    c = world.council.consultations.get(title="Parks plan")
    assert c.community_groups_close_on == GROUPS_CLOSE
    assert c.formats_offered == ["braille", "audio"] and c.venue_access == ["quiet_room"]


def test_the_calendar_links_to_the_site_address_not_the_request_host(client, world, settings):
    settings.SITE_URL = "https://compact.example.org"
    opens = dt.date.today() + dt.timedelta(days=7)
    c = world.plan(
        "redcar-cleveland",
        today=dt.date.today(),
        opens_on=opens,
        closes_on=opens + dt.timedelta(weeks=12),
        feedback_by=opens + dt.timedelta(weeks=20),
        community_group_extra=7,
    )
    feed = client.get(reverse("consultations:calendar"), HTTP_HOST="localhost").content.decode()
    unfolded = feed.replace("\r\n ", "")
    assert f"URL:https://compact.example.org{c.get_absolute_url()}" in unfolded
    assert "localhost" not in unfolded
    assert "Community groups can respond until" in unfolded
