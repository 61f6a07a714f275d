"""Who may see and do what, page by page and action by action, for every role.

The cast is in factories: the council runs the board and its officers manage it; the
trust sits on it; Herefordshire's support team sees the board's records but not its
restricted items; Leicester's support team, an outsider and an officer of an unrelated
organisation see only the public pages. Anonymous visitors are sent to sign in (302).

Each role's test walks every case in turn, each inside a savepoint that is rolled back,
so an action that works (302) leaves the next case the same world.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from localcompact.partnerships import services
from localcompact.partnerships.models import (
    Consent,
    Decision,
    FoiRequest,
    Meeting,
    MeetingCalendar,
    Nomination,
    Paper,
    RequestToAct,
    WithheldReport,
)

from .factories import (
    ROLES,
    TODAY,
    Cast,
    held,
    meeting,
    sign_in,
)

pytestmark = pytest.mark.django_db
SIGN_IN = 302
DONE = 302


@dataclass
class Objects:
    future: Meeting
    past: Meeting
    paper: Paper
    decision: Decision
    calendar: MeetingCalendar
    nomination: Nomination
    request: RequestToAct
    withheld: WithheldReport
    consent: Consent
    foi: FoiRequest


@pytest.fixture
def objects(cast: Cast) -> Objects:
    officer = cast.officer
    calendar = services.calendar_create(
        group=cast.group, year_kind="calendar", year=2026, by=officer, today=TODAY
    )
    future = meeting(cast, days=40)
    item = services.item_add(
        meeting=future,
        title="Grants",
        description="",
        sensitivity="",
        embargo_until=None,
        by=officer,
        today=TODAY,
    )
    paper = services.paper_add(
        meeting=future,
        title="Grants paper",
        item=item,
        sent_on=None,
        tabled=False,
        tabled_reason="",
        sensitivity="",
        embargo_until=None,
        by=officer,
        today=TODAY,
    )
    past = held(cast, meeting(cast, days=0, title="Today's meeting"))
    services.item_add(
        meeting=past,
        title="Budget",
        description="",
        sensitivity="",
        embargo_until=None,
        by=officer,
        today=TODAY,
    )
    decision = services.decision_record(
        meeting=past,
        item=None,
        text="Adopt the budget",
        method="consensus",
        votes_for=None,
        votes_against=None,
        abstentions=None,
        by=officer,
        today=TODAY,
    )
    services.minutes_save(meeting=past, minutes="We met.", by=officer, today=TODAY)
    nomination = services.nomination_request(
        group=cast.group,
        infrastructure_body=cast.infra,
        constituency="Youth groups",
        role_description="Speak for them",
        by=officer,
        today=TODAY,
    )
    request = services.request_make(
        compact=cast.compact,
        group=None,
        from_organisation=cast.council,
        to_organisation=cast.trust,
        title="Send figures",
        details="Please",
        received_on=TODAY,
        action_due_on=TODAY + dt.timedelta(days=28),
        emergency=False,
        emergency_reason="",
        by=officer,
        today=TODAY,
    )
    withheld = services.withheld_report(
        compact=cast.compact,
        group=None,
        reported_by=cast.trust,
        about=cast.council,
        information="The closure date",
        risk="Contracts",
        by=cast.user("partner"),
        today=TODAY,
    )
    consent = services.consent_ask(
        compact=cast.compact,
        holder=cast.council,
        about=cast.trust,
        information="Returns",
        recipient="The health trust",
        legal_basis="",
        by=officer,
        today=TODAY,
    )
    foi = services.foi_record(
        compact=cast.compact,
        public_body=cast.council,
        organisation=cast.trust,
        reference="F1",
        request_summary="Reports",
        material="The trust's reports",
        received_on=TODAY,
        by=officer,
        today=TODAY,
    )
    return Objects(
        future, past, paper, decision, calendar, nomination, request, withheld, consent, foi
    )


def everyone(status=200):
    return dict.fromkeys(ROLES, status)


def record_readers(ok=200):
    return {
        "anonymous": SIGN_IN,
        "outsider": 403,
        "elsewhere": 403,
        "member": ok,
        "officer": ok,
        "administrator": ok,
        "partner": ok,
        "partner_member": ok,
        "support": ok,
        "other_support": 403,
        "staff": ok,
    }


def managers(ok):
    return {**dict.fromkeys(ROLES, 403), "anonymous": SIGN_IN, "officer": ok, "administrator": ok}


def council_members(ok=200):
    return {**managers(ok), "member": ok}


def both_organisations(ok=200):
    return {**council_members(ok), "partner": ok, "partner_member": ok}


def only(*roles, ok=DONE):
    return {**dict.fromkeys(ROLES, 403), "anonymous": SIGN_IN, **dict.fromkeys(roles, ok)}


def date(name, day):
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def g(o, c):
    return {"slug": c.group.slug}


def fm(o, c):
    return {"slug": c.group.slug, "pk": o.future.pk}


def pm(o, c):
    return {"slug": c.group.slug, "pk": o.past.pk}


def council(o, c):
    return {"slug": c.council.slug}


def terms_data(o, c):
    return {
        "aims_and_tasks": "Plan together",
        "authority": "decides",
        "decision_method": "majority",
        "finality": "final",
        "quorum": "2",
        "electronic_means": "E-mail",
    }


def member_data(o, c):
    return {
        "name": "New Person",
        "organisation": c.trust.pk,
        "role": "decision_making",
        "voting": "yes",
        "represents": "own_organisation",
        **date("joined_on", TODAY),
    }


def attendance_data(o, c):
    return {f"member_{m.pk}": "present" for m in c.members.values()}


# (label, method, url name, url kwargs, POST data, expected status by role)
CASES = [
    ("the list of groups", "get", "index", lambda o, c: {}, None, everyone()),
    ("a group", "get", "group", g, None, everyone()),
    ("its calendar feed", "get", "feed", g, None, everyone()),
    ("its history", "get", "history", g, None, record_readers()),
    ("a meeting", "get", "meeting", fm, None, record_readers()),
    (
        "a register of interests",
        "get",
        "interests",
        lambda o, c: {"slug": c.group.slug, "pk": c.members["trust"].pk},
        None,
        record_readers(),
    ),
    ("the terms form", "get", "terms", g, None, managers(200)),
    ("changing the terms", "post", "terms", g, terms_data, managers(DONE)),
    ("the member form", "get", "member_new", g, None, managers(200)),
    ("adding a member", "post", "member_new", g, member_data, managers(DONE)),
    (
        "the role form",
        "get",
        "member_change",
        lambda o, c: {"slug": c.group.slug, "pk": c.members["adviser"].pk},
        None,
        managers(200),
    ),
    (
        "changing a member's role",
        "post",
        "member_change",
        lambda o, c: {"slug": c.group.slug, "pk": c.members["adviser"].pk},
        lambda o, c: {
            "role": "decision_making",
            "voting": "yes",
            "represents": "wider_constituency",
            "constituency": "Carers",
        },
        managers(DONE),
    ),
    (
        "a member leaving",
        "post",
        "member_leave",
        lambda o, c: {"slug": c.group.slug, "pk": c.members["adviser"].pk},
        lambda o, c: date("left_on", TODAY),
        managers(DONE),
    ),
    (
        "confirming access",
        "post",
        "access",
        lambda o, c: {"slug": c.group.slug, "pk": c.members["trust"].pk},
        lambda o, c: {},
        only("officer", "administrator", "partner"),
    ),
    (
        "registering an interest",
        "post",
        "interest_new",
        lambda o, c: {"slug": c.group.slug, "pk": c.members["trust"].pk},
        lambda o, c: {"description": "Trustee of a charity", **date("registered_on", TODAY)},
        only("officer", "administrator", "partner"),
    ),
    (
        "asking for a nomination",
        "post",
        "nomination_new",
        g,
        lambda o, c: {
            "infrastructure_body": c.infra.pk,
            "constituency": "Older people",
            "role_description": "Speak",
        },
        managers(DONE),
    ),
    (
        "recording a nomination",
        "post",
        "nomination",
        lambda o, c: {"slug": c.group.slug, "pk": o.nomination.pk},
        lambda o, c: {
            "nominee_name": "Nia",
            "voting": "no",
            **date("term_starts_on", TODAY),
            **date("term_ends_on", TODAY + dt.timedelta(days=365)),
        },
        managers(DONE),
    ),
    (
        "starting a calendar",
        "post",
        "calendar_new",
        g,
        lambda o, c: {"year_kind": "calendar", "year": "2027"},
        managers(DONE),
    ),
    (
        "publishing a calendar",
        "post",
        "calendar_publish",
        lambda o, c: {"slug": c.group.slug, "pk": o.calendar.pk},
        lambda o, c: {},
        managers(DONE),
    ),
    ("the meeting form", "get", "meeting_new", g, None, managers(200)),
    (
        "adding a meeting",
        "post",
        "meeting_new",
        g,
        lambda o, c: {
            "title": "Extra",
            "time": "10:00",
            "decision_making": "yes",
            **date("date", TODAY + dt.timedelta(days=50)),
        },
        managers(DONE),
    ),
    (
        "recording notice",
        "post",
        "notice",
        fm,
        lambda o, c: date("given_on", TODAY),
        managers(DONE),
    ),
    (
        "adding an item",
        "post",
        "item_new",
        fm,
        lambda o, c: {"title": "Any other business", "sensitivity": ""},
        managers(DONE),
    ),
    (
        "adding a paper",
        "post",
        "paper_new",
        fm,
        lambda o, c: {"title": "Report", "sensitivity": "", **date("sent_on", TODAY)},
        managers(DONE),
    ),
    (
        "recording a paper sent",
        "post",
        "paper_sent",
        lambda o, c: {**fm(o, c), "paper": o.paper.pk},
        lambda o, c: date("sent_on", TODAY),
        managers(DONE),
    ),
    ("the attendance form", "get", "attendance", pm, None, managers(200)),
    ("recording attendance", "post", "attendance", pm, attendance_data, managers(DONE)),
    (
        "recording a declaration",
        "post",
        "declaration_new",
        pm,
        lambda o, c: {
            "item": o.past.items.get().pk,
            "member": c.members["trust"].pk,
            "interest": "Grant applicant",
            "participation": "left_room",
        },
        managers(DONE),
    ),
    (
        "recording a decision",
        "post",
        "decision_new",
        pm,
        lambda o, c: {
            "text": "Agree",
            "method": "majority",
            "votes_for": "2",
            "votes_against": "0",
        },
        managers(DONE),
    ),
    (
        "minuting an objection",
        "post",
        "objection_new",
        lambda o, c: {"slug": c.group.slug, "pk": o.decision.pk},
        lambda o, c: {
            "member": c.members["trust"].pk,
            "objection": "No",
            "how_represented": "Report to members",
        },
        managers(DONE),
    ),
    (
        "drafting minutes",
        "post",
        "minutes",
        pm,
        lambda o, c: {"minutes": "We met again."},
        managers(DONE),
    ),
    ("approving minutes", "post", "minutes_approve", pm, lambda o, c: {}, managers(DONE)),
    ("cancelling a meeting", "post", "meeting_cancel", fm, lambda o, c: {}, managers(DONE)),
    (
        "an electronic decision (refused for want of access)",
        "post",
        "decision_electronic",
        g,
        lambda o, c: {
            "text": "Agree",
            "means": "email",
            "method": "consensus",
            **date("decided_on", TODAY),
        },
        managers(400),
    ),
    ("an organisation's partnership page", "get", "organisation", council, None, council_members()),
    (
        "setting up a group",
        "post",
        "group_new",
        council,
        lambda o, c: {
            "name": "Youth forum",
            "kind": "forum",
            "compact": c.compact.pk,
            **date("set_up_on", TODAY),
        },
        managers(DONE),
    ),
    (
        "asking a partner to act",
        "post",
        "request_new",
        council,
        lambda o, c: {
            "to_organisation": c.trust.pk,
            "compact": c.compact.pk,
            "title": "Act",
            "details": "Please",
            **date("received_on", TODAY),
            **date("action_due_on", TODAY + dt.timedelta(days=28)),
        },
        managers(DONE),
    ),
    (
        "a request to act",
        "get",
        "request",
        lambda o, c: {"pk": o.request.pk},
        None,
        {**both_organisations(), "support": 200, "staff": 200},
    ),
    (
        "acting on a request",
        "post",
        "request_done",
        lambda o, c: {"pk": o.request.pk},
        lambda o, c: {**date("done_on", TODAY), "note": "Done"},
        only("partner"),
    ),
    (
        "reporting information withheld",
        "post",
        "withheld_new",
        council,
        lambda o, c: {
            "about": c.trust.pk,
            "compact": c.compact.pk,
            "information": "X",
            "risk": "Y",
        },
        managers(DONE),
    ),
    (
        "a withheld-information report",
        "get",
        "withheld",
        lambda o, c: {"pk": o.withheld.pk},
        None,
        only("partner", "partner_member", "support", "staff", ok=200),
    ),
    (
        "considering it",
        "post",
        "withheld",
        lambda o, c: {"pk": o.withheld.pk},
        lambda o, c: {"outcome": "Raised with the council"},
        only("support", "staff"),
    ),
    (
        "the support team's list of reports",
        "get",
        "withheld_list",
        lambda o, c: {"slug": c.compact.slug},
        None,
        only("support", "staff", ok=200),
    ),
    (
        "asking consent",
        "post",
        "consent_new",
        council,
        lambda o, c: {
            "about": c.trust.pk,
            "compact": c.compact.pk,
            "information": "Returns",
            "recipient": "The police",
        },
        managers(DONE),
    ),
    ("a consent", "get", "consent", lambda o, c: {"pk": o.consent.pk}, None, both_organisations()),
    (
        "deciding a consent",
        "post",
        "consent",
        lambda o, c: {"pk": o.consent.pk},
        lambda o, c: {"decision": "give"},
        only("partner"),
    ),
    (
        "recording an FOI request",
        "post",
        "foi_new",
        council,
        lambda o, c: {
            "organisation": c.trust.pk,
            "compact": c.compact.pk,
            "request_summary": "Reports",
            "material": "Reports",
            **date("received_on", TODAY),
        },
        managers(DONE),
    ),
    ("an FOI request", "get", "foi", lambda o, c: {"pk": o.foi.pk}, None, both_organisations()),
    (
        "commenting on or deciding it",
        "post",
        "foi",
        lambda o, c: {"pk": o.foi.pk},
        lambda o, c: {"comment": "Keep names out", "outcome": "part", "reasons": "Names removed"},
        only("officer", "administrator", "partner"),
    ),
]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_and_do_what(client, cast, objects, role):
    sign_in(client, cast, role)
    wrong = []
    for label, method, name, kwargs, data, expected in CASES:
        with transaction.atomic():
            url = reverse(f"partnerships:{name}", kwargs=kwargs(objects, cast))
            response = client.get(url) if method == "get" else client.post(url, data(objects, cast))
            status = response.status_code
            if status != expected[role]:
                wrong.append(f"{label}: {status}, expected {expected[role]}")
            elif status == 403:
                page = response.content.decode()
                if "You cannot" not in page or "Only " not in page:
                    wrong.append(f"{label}: a 403 that does not say who may")
            elif (
                status == SIGN_IN
                and role == "anonymous"
                and not response["Location"].startswith(reverse("core:login") + "?next=")
            ):
                wrong.append(f"{label}: not sent to sign in")
            transaction.set_rollback(True)
    assert wrong == []


def test_refused_actions_change_nothing(client, cast, objects):
    sign_in(client, cast, "member")
    client.post(reverse("partnerships:minutes_approve", kwargs=pm(objects, cast)))
    client.post(reverse("partnerships:notice", kwargs=fm(objects, cast)), date("given_on", TODAY))
    objects.past.refresh_from_db()
    objects.future.refresh_from_db()
    assert objects.past.minutes_status == "draft"
    assert objects.future.notice_given_on is None


def test_actions_need_the_csrf_token(cast, objects):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer)
    response = client.post(reverse("partnerships:minutes_approve", kwargs=pm(objects, cast)))
    assert response.status_code == 403
    objects.past.refresh_from_db()
    assert objects.past.minutes_status == "draft"


def test_a_refusal_goes_to_the_audit_log(client, cast, objects, caplog):
    sign_in(client, cast, "outsider")
    with caplog.at_level("WARNING", logger="localcompact.audit"):
        client.get(reverse("partnerships:meeting", kwargs=fm(objects, cast)))
    assert any(r.getMessage() == "permission.refused" for r in caplog.records)


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/groups/nowhere/",
        "/partnerships/groups/testshire-partnership-board/meetings/999999/",
        "/partnerships/requests/999999/",
        "/partnerships/foi/999999/",
        "/partnerships/consents/999999/",
        "/partnerships/withheld/999999/",
        "/partnerships/organisations/nowhere/",
    ],
)
def test_what_does_not_exist_is_not_found(client, cast, url):
    sign_in(client, cast, "officer")
    assert client.get(url).status_code == 404


def test_a_meeting_of_another_group_is_not_found_under_this_one(client, cast, objects):
    other = services.group_create(
        compact=cast.compact,
        convener=cast.council,
        name="Other group",
        kind="forum",
        set_up_on=TODAY,
        by=cast.officer,
        today=TODAY,
    )
    sign_in(client, cast, "officer")
    url = reverse("partnerships:meeting", kwargs={"slug": other.slug, "pk": objects.future.pk})
    assert client.get(url).status_code == 404
