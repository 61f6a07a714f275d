"""Who may see and do what, page by page and action by action, for every role.

The council funds the charity (see factories for who is who). Public pages answer
everyone; an organisation's funding page its members; an application its applicant's
and the funder's members, the support team and staff; actions the officers of the side
whose action it is. Anonymous visitors to a private page are sent to sign in (302).
"""

import datetime as dt

import pytest
from django.urls import reverse

from localcompact.funding import services
from localcompact.funding.models import Award, FundingEvent, Opportunity

from .factories import (  # noqa: F401
    DAY,
    ROLES,
    TODAY,
    application_made,
    opportunity_made,
    sign_in,
    story_fixture,
    world_fixture,
)

SIGN_IN = 302
MOVED = 302


@pytest.fixture
def objects(story):
    second = opportunity_made(story, code="second-round")
    pending = application_made(story, second, story.charity, by=story.user("charity_officer"))
    story.things.update(second=second, pending=pending)
    return story.things


def everyone(status=200):
    return dict.fromkeys(ROLES, status)


def only(ok, *roles, default=403):
    table = {role: default for role in ROLES}
    table["anonymous"] = SIGN_IN
    for role in roles:
        table[role] = ok
    return table


def council_officer(ok=200):
    return only(ok, "council_officer")


def charity_officer(ok=200):
    return only(ok, "charity_officer")


def date(name: str, day: dt.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def award_url(name, **extra):
    return lambda o: {"pk": o["award"].pk, **extra}


def award_post():
    return {
        "compact": "fundshire",
        "recipient": "",  # filled in below: the charity's pk
        "kind": "grant",
        "title": "Direct grant",
        "description": "A grant.",
        "amount": "3000",
        "overheads": "300",
        **date("award_date", TODAY),
        **date("agreed_on", TODAY),
        **date("starts_on", TODAY + 90 * DAY),
        **date("ends_on", TODAY + 400 * DAY),
    }


# (label, method, url name, url kwargs, POST data, expected status by role)
CASES = [
    ("the funding index", "get", "funding:index", lambda o: {}, None, everyone()),
    ("funding by funder", "get", "funding:funders", lambda o: {}, None, everyone()),
    (
        "one funder's awards",
        "get",
        "funding:funder",
        lambda o: {"slug": "fundshire-council"},
        None,
        everyone(),
    ),
    ("funding by recipient", "get", "funding:recipients", lambda o: {}, None, everyone()),
    (
        "one recipient's awards",
        "get",
        "funding:recipient",
        lambda o: {"slug": "fundshire-charity"},
        None,
        everyone(),
    ),
    ("funding by programme", "get", "funding:programmes", lambda o: {}, None, everyone()),
    ("the commissioning plans", "get", "funding:plans", lambda o: {}, None, everyone()),
    ("a plan", "get", "funding:plan", lambda o: {"pk": o["plan"].pk}, None, everyone()),
    (
        "an open opportunity",
        "get",
        "funding:opportunity",
        lambda o: {"code": o["opportunity"].code},
        None,
        everyone(),
    ),
    (
        "a draft opportunity",
        "get",
        "funding:opportunity",
        lambda o: {"code": o["draft"].code},
        None,
        {**everyone(404), "council_officer": 200},
    ),
    ("an award", "get", "funding:award", lambda o: {"pk": o["award"].pk}, None, everyone()),
    ("the open data page", "get", "funding:data", lambda o: {}, None, everyone()),
    ("the 360Giving JSON", "get", "funding:data_360_json", lambda o: {}, None, everyone()),
    ("the 360Giving CSV", "get", "funding:data_360_csv", lambda o: {}, None, everyone()),
    ("the OCDS JSON", "get", "funding:data_ocds", lambda o: {}, None, everyone()),
    (
        "the council's funding work",
        "get",
        "funding:organisation",
        lambda o: {"slug": "fundshire-council"},
        None,
        only(200, "council_member", "council_officer"),
    ),
    (
        "the winning application",
        "get",
        "funding:application",
        lambda o: {"pk": o["won"].pk},
        None,
        only(
            200,
            "council_member",
            "council_officer",
            "charity_member",
            "charity_officer",
            "support",
            "staff",
        ),
    ),
    (
        "the losing application",
        "get",
        "funding:application",
        lambda o: {"pk": o["lost"].pk},
        None,
        only(200, "council_member", "council_officer", "rival_officer", "support", "staff"),
    ),
    (
        "starting a plan",
        "get",
        "funding:plan_new",
        lambda o: {"slug": "fundshire-council"},
        None,
        council_officer(),
    ),
    (
        "starting a plan, sent",
        "post",
        "funding:plan_new",
        lambda o: {"slug": "fundshire-council"},
        lambda o: {"compact": "fundshire", "title": "New plan", "summary": "Needs."},
        council_officer(MOVED),
    ),
    (
        "recording involvement",
        "get",
        "funding:plan_involvement",
        lambda o: {"pk": o["plan"].pk},
        None,
        council_officer(),
    ),
    (
        "recording involvement, sent",
        "post",
        "funding:plan_involvement",
        lambda o: {"pk": o["plan"].pk},
        lambda o: {"kind": "needs_analysis", **date("held_on", TODAY), "description": "Met."},
        council_officer(MOVED),
    ),
    (
        "moving a plan on",
        "get",
        "funding:plan_advance",
        lambda o: {"pk": o["plan"].pk},
        None,
        council_officer(),
    ),
    (
        "setting up an opportunity",
        "get",
        "funding:opportunity_new",
        lambda o: {"slug": "fundshire-council"},
        None,
        council_officer(),
    ),
    (
        "opening an opportunity",
        "get",
        "funding:opportunity_open",
        lambda o: {"code": o["draft"].code},
        None,
        {**everyone(404), "anonymous": SIGN_IN, "council_officer": 200},  # drafts stay hidden
    ),
    (
        "closing an opportunity, sent",
        "post",
        "funding:opportunity_close",
        lambda o: {"code": o["second"].code},
        lambda o: {},
        council_officer(MOVED),
    ),
    (
        "applying",
        "get",
        "funding:apply",
        lambda o: {"code": o["second"].code},
        None,
        only(200, "charity_officer", "rival_officer"),
    ),
    (
        "applying, sent",
        "post",
        "funding:apply",
        lambda o: {"code": o["second"].code},
        lambda o: {
            "title": "Rival's second bid",
            "summary": "Work.",
            "direct_costs": "100",
            "overheads": "10",
            "eligibility_confirmed": "on",
        },
        {**only(MOVED, "rival_officer"), "charity_officer": 400},  # the charity has applied
    ),
    (
        "deciding an application",
        "get",
        "funding:application_decide",
        lambda o: {"pk": o["pending"].pk},
        None,
        council_officer(),
    ),
    (
        "deciding an application, sent",
        "post",
        "funding:application_decide",
        lambda o: {"pk": o["pending"].pk},
        lambda o: {"outcome": "successful", **date("decided_on", TODAY)},
        council_officer(MOVED),
    ),
    (
        "recording when an applicant was told",
        "get",
        "funding:application_notified",
        lambda o: {"pk": o["lost"].pk},
        None,
        council_officer(),
    ),
    (
        "recording an award",
        "get",
        "funding:award_new",
        lambda o: {"slug": "fundshire-council"},
        None,
        council_officer(),
    ),
    (
        "recording an award, sent",
        "post",
        "funding:award_new",
        lambda o: {"slug": "fundshire-council"},
        lambda o: {**award_post(), "recipient": o["award"].recipient_id},
        council_officer(MOVED),
    ),
    (
        "confirming an amount, sent",
        "post",
        "funding:award_confirm",
        award_url("confirm"),
        lambda o: date("confirmed_on", TODAY),
        council_officer(MOVED),
    ),
    (
        "setting the monitoring",
        "get",
        "funding:award_monitoring",
        award_url("monitoring"),
        None,
        council_officer(),
    ),
    (
        "scheduling a payment, sent",
        "post",
        "funding:payment_new",
        award_url("payment"),
        lambda o: {
            "amount": "100",
            **date("due_on", TODAY),
            **date("expenditure_starts_on", TODAY),
        },
        council_officer(MOVED),
    ),
    (
        "recording a payment as paid",
        "get",
        "funding:payment_paid",
        lambda o: {"pk": o["award"].pk, "payment": o["payment"].pk},
        None,
        council_officer(),
    ),
    (
        "expecting a return",
        "get",
        "funding:return_new",
        award_url("return"),
        None,
        council_officer(),
    ),
    (
        "receiving a return",
        "get",
        "funding:return_received",
        lambda o: {"pk": o["award"].pk, "item": o["item"].pk},
        None,
        council_officer(),
    ),
    (
        "reviewing a return, sent",
        "post",
        "funding:return_review",
        lambda o: {"pk": o["award"].pk, "item": o["item"].pk},
        lambda o: {"assessment": "excellent", "note": "Well done."},
        council_officer(MOVED),
    ),
    ("adding a risk", "get", "funding:risk_new", award_url("risk"), None, council_officer()),
    (
        "notice of the end",
        "get",
        "funding:end_notice",
        award_url("end"),
        None,
        council_officer(),
    ),
    (
        "recording a change",
        "get",
        "funding:change_new",
        award_url("change"),
        None,
        council_officer(),
    ),
    (
        "the recipient's terms",
        "get",
        "funding:recipient_terms",
        award_url("terms"),
        None,
        charity_officer(),
    ),
    (
        "the recipient's terms, sent",
        "post",
        "funding:recipient_terms",
        award_url("terms"),
        lambda o: {**date("terms_accepted_on", TODAY), "end_plan": "Find other funds."},
        charity_officer(MOVED),
    ),
    (
        "giving notice of winding down",
        "get",
        "funding:wind_down",
        award_url("wind"),
        None,
        charity_officer(),
    ),
    (
        "giving notice of winding down, sent",
        "post",
        "funding:wind_down",
        award_url("wind"),
        lambda o: {
            **date("service_ends_on", TODAY + 120 * DAY),
            **date("given_on", TODAY),
            "reason": "The hall is closing.",
        },
        charity_officer(MOVED),
    ),
]


@pytest.mark.parametrize(
    "method,name,kwargs,data,expected",
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_who_may_see_and_do_what(client, objects, story, method, name, kwargs, data, expected):
    """Each role in turn (the roles that may act come before those refused after them,
    so an action one role makes cannot change what a later role is answered)."""
    wrong = []
    for role in ROLES:
        client.logout()
        sign_in(client, story, role)
        url = reverse(name, kwargs=kwargs(objects))
        response = client.get(url) if method == "get" else client.post(url, data(objects))
        page = response.content.decode()
        if response.status_code != expected[role]:
            wrong.append((role, expected[role], response.status_code, page[:1500]))
            continue
        if role == "anonymous" and expected[role] == SIGN_IN:
            assert response["Location"].startswith(reverse("core:login") + "?next=")
        if expected[role] == 403:
            assert "You cannot" in page and "Only " in page, role
    assert wrong == []


PRIVATE = ("Secret risk about the venue", "First half", "Payment schedule")


@pytest.mark.parametrize("role", ROLES)
def test_an_award_s_private_parts_are_seen_only_by_its_parties(client, story, role):
    sign_in(client, story, role)
    page = client.get(reverse("funding:award", args=[story.things["award"].pk])).content.decode()
    assert "Community project grant" in page and "£10,000" in page
    sees = role in (
        "council_member",
        "council_officer",
        "charity_member",
        "charity_officer",
        "support",
        "staff",
    )
    for text in PRIVATE:
        assert (text in page) is sees, (role, text)


@pytest.mark.parametrize("role", ROLES)
def test_reasons_and_applications_do_not_leak_to_public_pages(client, story, role):
    sign_in(client, story, role)
    urls = [
        reverse("funding:opportunity", args=["community-grants"]),
        reverse("funding:programmes"),
        reverse("funding:index"),
        reverse("funding:data_360_json"),
        reverse("funding:data_ocds"),
        reverse("funding:data_360_csv"),
        reverse("funding:recipient", args=["fundshire-charity"]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert "Confidential scoring notes" not in page
        assert "Secret risk" not in page
    opportunity = client.get(urls[0]).content.decode()
    # the funder's officers see the list of applicants; the applicant sees its own
    assert ("Rival Trust" in opportunity) is (role in ("council_officer", "rival_officer"))


def test_refused_actions_change_nothing(client, objects, story):
    sign_in(client, story, "charity_officer")
    before = FundingEvent.objects.count()
    client.post(
        reverse("funding:application_decide", args=[objects["pending"].pk]),
        {"outcome": "successful", **date("decided_on", TODAY)},
    )
    client.post(
        reverse("funding:payment_new", args=[objects["award"].pk]),
        {"amount": "100", **date("due_on", TODAY), **date("expenditure_starts_on", TODAY)},
    )
    assert FundingEvent.objects.count() == before
    objects["pending"].refresh_from_db()
    assert objects["pending"].status == "submitted"


def test_actions_need_the_csrf_token(objects, story):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(story.user("council_officer"))
    response = client.post(
        reverse("funding:award_confirm", args=[objects["award"].pk]), date("confirmed_on", TODAY)
    )
    assert response.status_code == 403
    assert Award.objects.get(pk=objects["award"].pk).confirmed_on is None


def test_a_refusal_goes_to_the_audit_log(client, objects, story, caplog):
    sign_in(client, story, "outsider")
    with caplog.at_level("WARNING", logger="localcompact.audit"):
        client.get(reverse("funding:application", args=[objects["won"].pk]))
    assert any(r.getMessage() == "permission.refused" for r in caplog.records)


@pytest.mark.parametrize(
    "url",
    [
        "/funding/funders/nobody/",
        "/funding/recipients/fundshire-council/",  # funds, receives nothing
        "/funding/plans/999999/",
        "/funding/opportunities/nothing/",
        "/funding/applications/999999/",
        "/funding/awards/999999/",
        "/funding/awards/999999/confirm/",
        "/funding/organisations/nobody/",
    ],
)
def test_what_does_not_exist_is_not_found(client, story, url):
    sign_in(client, story, "council_officer")
    assert client.get(url).status_code == 404


def test_a_closed_opportunity_cannot_be_applied_to(client, story):
    services.opportunity_close(
        opportunity=story.things["opportunity"], by=story.user("council_officer"), today=TODAY
    )
    sign_in(client, story, "rival_officer")
    assert client.get(reverse("funding:apply", args=["community-grants"])).status_code == 404
    assert Opportunity.objects.get(code="community-grants").status == "closed"
