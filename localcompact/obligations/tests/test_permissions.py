"""Who may see and do what, page by page and action by action, for every role.

The council owes an obligation to the trust (see page_factories for who is who): its
members see it, its officers and administrators act on it; the trust's officer sees
what is owed to the trust and changes nothing; staff see every obligation and
activity but act for no one and see no organisation's dashboards; an outsider sees
only the public pages. Anonymous visitors are sent to sign in (302).
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from localcompact.obligations.feeds import calendar_feed_create
from localcompact.obligations.models import Activity, CalendarFeed, Obligation, Status
from localcompact.obligations.services import obligation_excuse

from .page_factories import ROLES, TODAY, World, record, sign_in, world_fixture  # noqa: F401

SIGN_IN = 302  # anonymous visitors are redirected to the sign-in page
MOVED = 302  # an action done: redirected to its result


@dataclass
class Objects:
    obligation: Obligation
    excused: Obligation
    activity: Activity
    feed: CalendarFeed
    token: str


@pytest.fixture
def objects(world: World) -> Objects:
    activity, obligation = record(
        world, "decision-record", title="Budget decision", start_on=TODAY - dt.timedelta(days=3)
    )
    _, excused = record(
        world, "decision-record", title="Older decision", start_on=TODAY - dt.timedelta(days=9)
    )
    excused = obligation_excuse(
        obligation=excused,
        kind="stated_reasons",
        reason="Deferred to the next meeting.",
        today=TODAY,
        by=world.user("officer"),
    )
    feed, token = calendar_feed_create(organisation=world.council, by=world.user("officer"))
    return Objects(obligation, excused, activity, feed, token)


def everyone(status):
    return dict.fromkeys(ROLES, status)


def members_only(ok=200):
    return {
        "anonymous": SIGN_IN,
        "outsider": 403,
        "member": ok,
        "officer": ok,
        "administrator": ok,
        "trust_officer": 403,
        "staff": 403,
    }


def actors_only(ok):
    return {**members_only(ok), "member": 403}


def involved_or_staff(ok=200):
    return {**members_only(ok), "trust_officer": ok, "staff": ok}


def slug(o: Objects) -> dict:
    return {"slug": "testshire-council"}


def done_on(day: dt.date) -> dict:
    return {"done_on-day": day.day, "done_on-month": day.month, "done_on-year": day.year}


def activity_post(o: Objects) -> dict:
    start = TODAY + dt.timedelta(days=20)
    return {
        "title": "Decision on the grants round",
        "start_on-day": start.day,
        "start_on-month": start.month,
        "start_on-year": start.year,
    }


# (name, method, url name, url kwargs, POST data, expected status by role)
CASES = [
    (
        "the list of your organisations",
        "get",
        "obligations:dashboard",
        lambda o: {},
        None,
        {
            "anonymous": SIGN_IN,
            "outsider": 200,
            "member": 302,
            "officer": 302,
            "administrator": 302,
            "trust_officer": 302,
            "staff": 200,
        },
    ),
    ("what the council owes", "get", "obligations:owing", slug, None, members_only()),
    ("what the council is owed", "get", "obligations:owed", slug, None, members_only()),
    (
        "an obligation",
        "get",
        "obligations:obligation",
        lambda o: {"pk": o.obligation.pk},
        None,
        involved_or_staff(),
    ),
    (
        "excusing an obligation",
        "post",
        "obligations:excuse",
        lambda o: {"pk": o.obligation.pk},
        lambda o: {"kind": "stated_reasons", "reason": "The decision was deferred."},
        actors_only(MOVED),
    ),
    (
        "the confirmation of an excuse",
        "get",
        "obligations:excused",
        lambda o: {"pk": o.excused.pk},
        None,
        involved_or_staff(),
    ),
    (
        "an activity",
        "get",
        "obligations:activity",
        lambda o: {"pk": o.activity.pk},
        None,
        involved_or_staff(),
    ),
    (
        "the confirmation of an activity recorded",
        "get",
        "obligations:activity_recorded",
        lambda o: {"pk": o.activity.pk},
        None,
        involved_or_staff(),
    ),
    (
        "marking an activity as done",
        "post",
        "obligations:activity_done",
        lambda o: {"pk": o.activity.pk},
        lambda o: done_on(TODAY),
        actors_only(MOVED),
    ),
    (
        "the page to withdraw an activity",
        "get",
        "obligations:activity_withdraw",
        lambda o: {"pk": o.activity.pk},
        None,
        actors_only(200),
    ),
    (
        "withdrawing an activity",
        "post",
        "obligations:activity_withdraw",
        lambda o: {"pk": o.activity.pk},
        lambda o: {"reason": "Recorded twice."},
        actors_only(MOVED),
    ),
    (
        "choosing a standard to record an activity under",
        "get",
        "obligations:activity_new",
        slug,
        None,
        actors_only(200),
    ),
    (
        "the form to record an activity",
        "get",
        "obligations:activity_new_details",
        lambda o: {**slug(o), "compact": "testshire", "standard": "decision-record"},
        None,
        actors_only(200),
    ),
    (
        "recording an activity",
        "post",
        "obligations:activity_new_details",
        lambda o: {**slug(o), "compact": "testshire", "standard": "decision-record"},
        activity_post,
        actors_only(MOVED),
    ),
    ("the calendar links", "get", "obligations:calendar", slug, None, members_only()),
    (
        "making a calendar link",
        "post",
        "obligations:calendar_create",
        slug,
        lambda o: {},
        members_only(),
    ),
    (
        "the page to revoke someone else's calendar link",
        "get",
        "obligations:calendar_revoke",
        lambda o: {**slug(o), "feed": o.feed.pk},
        None,
        actors_only(200),
    ),
    (
        "revoking someone else's calendar link",
        "post",
        "obligations:calendar_revoke",
        lambda o: {**slug(o), "feed": o.feed.pk},
        lambda o: {},
        actors_only(MOVED),
    ),
    (
        "the compliance figures",
        "get",
        "obligations:compliance",
        lambda o: {"slug": "testshire"},
        None,
        everyone(200),
    ),
    (
        "the compliance figures as CSV",
        "get",
        "obligations:compliance_csv",
        lambda o: {"slug": "testshire"},
        None,
        everyone(200),
    ),
    (
        "the calendar feed, by its token",
        "get",
        "obligations:feed",
        lambda o: {"token": o.token},
        None,
        everyone(200),
    ),
]

TABLE = [
    pytest.param(role, method, name, kwargs, data, expected[role], id=f"{label}, as {role}")
    for label, method, name, kwargs, data, expected in CASES
    for role in ROLES
]


@pytest.mark.parametrize("role,method,name,kwargs,data,expected", TABLE)
def test_who_may_see_and_do_what(
    client, world, objects, role, method, name, kwargs, data, expected
):
    sign_in(client, world, role)
    url = reverse(name, kwargs=kwargs(objects))
    response = client.get(url) if method == "get" else client.post(url, data(objects))
    assert response.status_code == expected, response.content.decode()[:2000]
    if role == "anonymous" and expected == SIGN_IN:
        assert response["Location"].startswith(reverse("core:login") + "?next=")
    if expected == 403:
        page = response.content.decode()
        assert "You cannot" in page
        assert "Only " in page  # says who can


def test_the_trust_s_officer_sees_what_is_owed_to_the_trust(client, world, objects):
    sign_in(client, world, "trust_officer")
    response = client.get(reverse("obligations:owed", kwargs={"slug": world.trust.slug}))
    assert response.status_code == 200
    assert "Reasons for the decision recorded: Budget decision" in response.content.decode()


def test_a_council_member_cannot_see_the_trust_s_dashboards(client, world, objects):
    sign_in(client, world, "member")
    for name in ("obligations:owing", "obligations:owed", "obligations:calendar"):
        assert client.get(reverse(name, kwargs={"slug": world.trust.slug})).status_code == 403


def test_a_member_may_revoke_a_calendar_link_they_made(client, world):
    feed, _ = calendar_feed_create(organisation=world.council, by=world.user("member"))
    sign_in(client, world, "member")
    url = reverse(
        "obligations:calendar_revoke", kwargs={"slug": world.council.slug, "feed": feed.pk}
    )
    assert client.post(url).status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_refused_actions_change_nothing(client, world, objects):
    sign_in(client, world, "member")
    client.post(
        reverse("obligations:excuse", kwargs={"pk": objects.obligation.pk}),
        {"kind": "stated_reasons", "reason": "No."},
    )
    client.post(
        reverse("obligations:activity_withdraw", kwargs={"pk": objects.activity.pk}),
        {"reason": "No."},
    )
    objects.obligation.refresh_from_db()
    objects.activity.refresh_from_db()
    assert objects.obligation.status == Status.MISSED
    assert objects.activity.withdrawn_on is None


def test_actions_answer_only_posts(client, world, objects):
    sign_in(client, world, "officer")
    for name, kwargs in [
        ("obligations:excuse", {"pk": objects.obligation.pk}),
        ("obligations:activity_done", {"pk": objects.activity.pk}),
        ("obligations:calendar_create", {"slug": world.council.slug}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 405


def test_actions_need_the_csrf_token(world, objects):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("officer"))
    response = client.post(
        reverse("obligations:excuse", kwargs={"pk": objects.obligation.pk}),
        {"kind": "stated_reasons", "reason": "Deferred."},
    )
    assert response.status_code == 403
    objects.obligation.refresh_from_db()
    assert objects.obligation.status == Status.MISSED


def test_a_refusal_goes_to_the_audit_log(client, world, objects, caplog):
    sign_in(client, world, "outsider")
    with caplog.at_level("WARNING", logger="localcompact.audit"):
        client.get(reverse("obligations:obligation", kwargs={"pk": objects.obligation.pk}))
    assert any(r.getMessage() == "permission.refused" for r in caplog.records)


@pytest.mark.parametrize(
    "url",
    [
        "/organisations/nowhere/obligations/",
        "/obligations/999999/",
        "/activities/999999/",
        "/compacts/nowhere/compliance/",
        "/organisations/testshire-council/activities/new/testshire/no-such-standard/",
        "/organisations/testshire-council/activities/new/testshire/consultation-period-0x/",
    ],
)
def test_what_does_not_exist_is_not_found(client, world, url):
    sign_in(client, world, "officer")
    assert client.get(url).status_code == 404


def test_a_standard_without_a_date_cannot_be_recorded_against(client, world, tmp_path):
    sign_in(client, world, "officer")
    # seat quotas are not a dated rule; Testshire has none, so ask for a made-up ident
    url = reverse(
        "obligations:activity_new_details",
        kwargs={"slug": "testshire-council", "compact": "testshire", "standard": "seats"},
    )
    assert client.get(url).status_code == 404
