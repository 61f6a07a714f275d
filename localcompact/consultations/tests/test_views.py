"""The pages, for each person who matters; the anonymous respondent's identity proof;
query counts at two sizes."""

import datetime as dt
import logging

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.obligations.models import ObligationEvent

from .. import selectors, services, views
from ..models import Consultation, Response, ResponseKind, Status, Subscription
from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    day = {"today": TODAY}
    monkeypatch.setattr(views, "today", lambda: day["today"])
    return day


def url(name, *args):
    return reverse(f"consultations:{name}", args=args)


def as_(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- Public pages -------------------------------------------------------------------------


def test_the_list_forward_plan_detail_and_calendar_are_public(client, world, clock):
    c = world.plan("herefordshire", topics=services.tags_from_text("topic", "Libraries"))
    page = client.get(url("list"))
    assert page.status_code == 200 and "Library opening hours" in page.text
    assert "Library opening hours" in client.get(url("forward_plan")).text
    detail = client.get(url("detail", c.pk))
    assert detail.status_code == 200
    assert "Twelve weeks for consultations on policies and plans" in detail.text
    assert "Running this consultation" not in detail.text
    feed = client.get(url("calendar"))
    assert feed["Content-Type"].startswith("text/calendar")
    assert b"Library opening hours" in feed.content and b"BEGIN:VEVENT" in feed.content


def test_the_list_searches_filters_and_pages(client, world, clock):
    for n in range(23):
        world.plan("herefordshire", title=f"Parks plan {n}")
    world.plan("leicester", title="Bus routes")
    assert "24 consultations" in client.get(url("list")).text
    found = client.get(url("list"), {"q": "bus"})
    assert "1 consultation found" in found.text and "Bus routes" in found.text
    by_compact = client.get(url("list"), {"compact": "leicester"})
    assert "Bus routes" in by_compact.text and "Parks plan 1" not in by_compact.text
    second = client.get(url("list"), {"page": "2"})
    assert "2 of 2" not in second.text and "1 of 2" in second.text
    assert client.get(url("list"), {"page": "x"}).status_code == 200


def test_the_forward_plan_pages_by_week_keeping_the_compact(client, world, clock, monkeypatch):
    monkeypatch.setattr(selectors, "FORWARD_PLAN_PAGE", 2)
    for n in range(3):  # two in the week of 9 March, one in the week after
        world.plan(
            "herefordshire",
            title=f"Parks plan {n}",
            opens_on=TODAY + dt.timedelta(days=7 * (n // 2 + 1)),
        )
    world.plan("leicester", title="Bus routes", opens_on=TODAY + dt.timedelta(days=7))
    first = client.get(url("forward_plan"), {"compact": "herefordshire"}).text
    assert "Parks plan 1" in first and "Parks plan 2" not in first and "Bus routes" not in first
    assert "(page 1 of 2)" in first and 'href="?compact=herefordshire&amp;page=2"' in first
    assert "from the week beginning 16 March 2026" in first
    last = client.get(url("forward_plan"), {"compact": "herefordshire", "page": "9"}).text
    assert "Parks plan 2" in last and "Parks plan 0" not in last  # past the end: the last
    assert "up to the week beginning 9 March 2026" in last and "(continued)" not in last
    assert "This week continues on the next page" in client.get(url("forward_plan")).text
    everything = client.get(url("forward_plan"), {"page": "2"}).text  # 3 in that week
    assert "Week beginning 9 March 2026 (continued)" in everything
    assert "Bus routes" in everything and "Week beginning 16 March 2026" in everything
    assert "Add the forward plan to your calendar" in everything
    assert client.get(url("forward_plan"), {"page": "x"}).status_code == 200
    empty = client.get(url("forward_plan"), {"compact": "not-one"}).text
    assert "(page 1 of 2)" in empty  # an unknown compact filters nothing out
    clock["today"] = TODAY + dt.timedelta(days=365)  # all closed by then
    none = client.get(url("forward_plan"), {"compact": "leicester"}).text
    assert "Nothing is planned or open under this compact" in none
    assert "govuk-pagination" not in none


def test_the_short_periods_reason_and_who_agreed_are_shown_publicly(client, world, clock):
    c = world.plan(
        "herefordshire",
        weeks=10,
        short_reason="Statutory budget date.",
        short_agreed_by="VCS Forum chair",
    )
    page = client.get(url("detail", c.pk)).text
    assert "Statutory budget date." in page and "Agreed by VCS Forum chair" in page
    assert "Excused" in page


def test_a_document_is_uploaded_by_the_lead_body_and_downloaded_safely(client, world, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = world.plan()
    upload = SimpleUploadedFile("../evil name.pdf", b"%PDF-1.4 test", "application/pdf")
    as_(client, world.other_officer)
    assert (
        client.post(url("document_new", c.pk), {"title": "Plan", "file": upload}).status_code == 403
    )
    as_(client, world.officer)
    upload.seek(0)
    response = client.post(url("document_new", c.pk), {"title": "Plan", "file": upload})
    assert response.status_code == 302
    document = c.documents.get()
    client.logout()
    download = client.get(url("document", c.pk, document.pk))
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        "evil name.pdf" in download["Content-Disposition"]
        and ".." not in download["Content-Disposition"]
    )
    assert download["X-Content-Type-Options"] == "nosniff"


# --- Planning, with the timing checks -------------------------------------------------------


def plan_form(**extra):
    opens = TODAY + dt.timedelta(days=7)
    closes = opens + dt.timedelta(weeks=10)
    data = {
        "level": "consulting",
        "title": "Library opening hours",
        "summary": "New hours.",
        "open_to_change": "Weekday hours.",
        "who_affected": "Library users.",
        "response_methods": ["online"],
        "anonymous_allowed": "on",
        "acknowledged": "on",
        "concerns_policies_and_plans": "on",
        "topics": "Libraries",
        "opens_on-day": opens.day,
        "opens_on-month": opens.month,
        "opens_on-year": opens.year,
        "closes_on-day": closes.day,
        "closes_on-month": closes.month,
        "closes_on-year": closes.year,
    }
    data.update(extra)
    return data


def test_planning_a_ten_week_herefordshire_consultation_is_refused_until_the_agreement_is_recorded(
    client, world, clock
):
    as_(client, world.officer)
    target = url("plan", "council", "herefordshire")
    assert client.get(target).status_code == 200
    refused = client.post(target, plan_form())
    assert refused.status_code == 400
    assert "only by agreement" in refused.text and "Error: Plan a consultation" in refused.text
    assert "Library opening hours" in refused.text  # nothing typed is lost
    assert not Consultation.objects.exists()
    agreed = client.post(
        target,
        plan_form(short_reason="The budget date.", short_agreed_by="Partnership board"),
    )
    assert agreed.status_code == 302
    c = Consultation.objects.get()
    assert agreed["Location"] == url("planned", c.pk)
    assert c.short_period_agreed_by == "Partnership board"
    assert "Consultation planned" in client.get(agreed["Location"]).text


def test_planning_warns_of_overlaps_and_can_link_them_as_joint(client, world, clock):
    first = world.plan(
        "herefordshire",
        lead=world.other_council,
        by=world.other_officer,
        topics=services.tags_from_text("topic", "Libraries"),
    )
    as_(client, world.officer)
    target = url("plan", "council", "herefordshire")
    twelve = TODAY + dt.timedelta(days=7, weeks=12)
    data = plan_form(
        **{
            "closes_on-day": twelve.day,
            "closes_on-month": twelve.month,
            "closes_on-year": twelve.year,
        }
    )
    warned = client.post(target, data)
    assert warned.status_code == 200 and "Run it jointly with" in warned.text
    assert first.title in warned.text and not Consultation.objects.exclude(pk=first.pk).exists()
    done = client.post(target, {**data, "overlap_seen": "1", "joint_with": [str(first.pk)]})
    assert done.status_code == 302
    second = Consultation.objects.exclude(pk=first.pk).get()
    assert list(second.joint_with.all()) == [first]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("outsider", 403),
        ("member", 403),
        ("other_officer", 403),
        ("staff", 403),
        ("officer", 200),
    ],
)
def test_only_the_lead_bodys_officers_plan_its_consultations(client, world, clock, who, status):
    as_(client, getattr(world, who) if who else None)
    assert client.get(url("plan", "council", "herefordshire")).status_code == status


# --- Running it: who may see and do what ---------------------------------------------------


@pytest.mark.parametrize(
    ("who", "responses", "move"),
    [
        (None, 302, 302),
        ("outsider", 403, 403),
        ("charity_officer", 403, 403),
        ("other_officer", 403, 403),
        ("member", 200, 403),
        ("staff", 200, 403),
        ("officer", 200, 302),
    ],
)
def test_responses_and_moves_are_for_the_lead_body(client, world, clock, who, responses, move):
    c = world.plan()
    clock["today"] = c.opens_on
    as_(client, getattr(world, who) if who else None)
    assert client.get(url("responses", c.pk)).status_code == responses
    assert client.get(url("analysis", c.pk)).status_code == responses
    moved = client.post(url("move", c.pk), {"to": "open"})
    assert moved.status_code == move
    c.refresh_from_db()
    assert (c.status == Status.OPEN) == (who == "officer")


def test_the_whole_run_through_the_pages(client, world, clock):
    c = world.opened()
    clock["today"] = c.opens_on
    services.response_save(
        consultation=c,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=c.opens_on,
        submit=True,
        answer="Evenings please",
        consent_to_publish=True,
    )
    as_(client, world.officer)
    assert client.post(url("move", c.pk), {"to": "close"}).status_code == 302
    c.refresh_from_db()
    assert c.status == Status.OPEN  # not before its closing date
    clock["today"] = c.closes_on + dt.timedelta(days=1)
    client.post(url("move", c.pk), {"to": "close"})
    client.post(url("move", c.pk), {"to": "analysis"})
    response = c.responses.get()
    theme = client.post(
        url("analysis", c.pk), {"name": "Evenings", "summary": "Many", "responses": [response.pk]}
    )
    assert theme.status_code == 302
    assert client.post(url("decide", c.pk), {"decision": ""}).status_code == 400
    client.post(
        url("decide", c.pk),
        {"decision": "Later hours", "reasons": "Demand", "effect": "We added evenings"},
    )
    client.post(
        url("response", c.pk, response.pk), {"action": "publish", "text": "Evenings please"}
    )
    published = client.post(
        url("publish_feedback", c.pk), {"what_you_told_us": "You want evenings"}
    )
    assert published["Location"] == url("feedback", c.pk)
    client.logout()
    page = client.get(url("feedback", c.pk))
    assert "What you told us, what we decided" in page.text
    assert "We added evenings" in page.text and "Evenings please" in page.text


def test_feedback_is_not_shown_before_it_is_published(client, world, clock):
    c = world.plan()
    assert client.get(url("feedback", c.pk)).status_code == 404


# --- Responding ---------------------------------------------------------------------------


def test_signed_in_respondents_save_drafts_and_change_them_until_closing(client, world, clock):
    c = world.opened()
    clock["today"] = c.opens_on
    as_(client, world.charity_officer)
    target = url("respond", c.pk, "organisation")
    refused = client.post(
        target, {"organisation": world.charity.pk, "answer": "Our view", "action": "send"}
    )
    assert refused.status_code == 400 and "Our view" in refused.text
    draft = client.post(
        target, {"organisation": world.charity.pk, "answer": "Our view", "action": "draft"}
    )
    response = Response.objects.get()
    assert draft["Location"] == url("response_edit", c.pk, response.pk)
    assert "Our view" in client.get(draft["Location"]).text
    sent = client.post(
        draft["Location"],
        {
            "organisation": world.charity.pk,
            "answer": "Our view",
            "represents": "40 groups",
            "views_gathered": "A survey",
            "action": "send",
        },
    )
    assert sent["Location"] == url("response_sent", c.pk, response.pk)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["charity_officer@example.org"]
    assert "Library opening hours" in client.get(url("my_responses")).text
    as_(client, world.outsider)
    assert client.get(url("response_edit", c.pk, response.pk)).status_code == 404


def test_responding_for_an_organisation_needs_an_officer(client, world, clock):
    c = world.opened()
    clock["today"] = c.opens_on
    as_(client, world.outsider)
    assert client.get(url("respond", c.pk, "organisation")).status_code == 403
    client.logout()
    assert client.get(url("respond", c.pk, "individual")).status_code == 302


def identifying_values(user, address):
    return {str(user.email), user.username, address, user.get_full_name()}


def test_an_anonymous_respondents_identity_is_stored_nowhere_and_logged_nowhere(
    client, world, clock, caplog
):
    """A signed-in person responds anonymously from a known address: afterwards no row
    in any table written by the response, and no log record, holds their id, name,
    e-mail or address; the response itself has no user, no organisation, no time."""
    c = world.opened()
    clock["today"] = c.opens_on
    person = world.charity_officer
    address = "203.0.113.77"
    as_(client, person)
    before = {
        model: set(model.objects.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.managed
    }
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    page = client.post(
        url("respond", c.pk, "anonymous"),
        {
            "answer": "The hours do not suit shift workers.",
            "action": "send",
            "consent_to_publish": "on",
        },
        REMOTE_ADDR=address,
    )
    assert page.status_code == 200 and "Your receipt code" in page.text
    code = page.context["code"]
    response = Response.objects.get()
    assert response.kind == ResponseKind.ANONYMOUS
    assert response.user_id is None and response.organisation_id is None
    assert not hasattr(response, "created_at") and not hasattr(response, "updated_at")
    # every row the response wrote, in every table
    secrets_ = identifying_values(person, address)
    user_model = get_user_model()
    for model, pks in before.items():
        new = model.objects.exclude(pk__in=pks)
        for row in new:
            for field in model._meta.concrete_fields:
                value = getattr(row, field.attname)
                if field.is_relation and field.related_model is user_model:
                    assert value is None, f"{model.__name__}.{field.name} names the person"
                assert str(value) not in secrets_ or value in (None, ""), (
                    f"{model.__name__}.{field.name} holds {value!r}"
                )
                assert code not in str(value), f"{model.__name__}.{field.name} holds the code"
    assert not ObligationEvent.objects.filter(by=person).exists()
    for record in caplog.records:
        text = (
            record.getMessage()
            + " "
            + " ".join(str(v) for v in vars(record).values() if isinstance(v, str | int | dict))
        )
        for secret in (address, person.email, code):
            assert secret not in text, f"log record {record.name} holds {secret}"
        assert getattr(record, "user_id", "-") in ("-", None)
    # and the code, only, opens it
    client.logout()
    status = client.post(url("receipt"), {"code": code})
    assert "Sent on" in status.text and "The hours do not suit shift workers." in status.text
    assert status["Cache-Control"].startswith("max-age=0")
    assert client.post(url("receipt"), {"code": "AAAA-AAAA-AAAA-AAAA"}).status_code == 400


def test_an_anonymous_draft_is_finished_and_changed_with_its_receipt_code(client, world, clock):
    c = world.opened()
    clock["today"] = c.opens_on
    page = client.post(url("respond", c.pk, "anonymous"), {"answer": "First", "action": "draft"})
    code = page.context["code"]
    assert "Draft saved" in page.text
    edit = client.post(url("receipt"), {"code": code, "action": "edit"})
    assert "First" in edit.text and 'name="code"' in edit.text
    done = client.post(url("receipt"), {"code": code, "action": "send", "answer": "Second"})
    assert "Your response is saved" in done.text
    response = Response.objects.get()
    assert response.answer == "Second" and response.submitted
    clock["today"] = c.closes_on + dt.timedelta(days=1)
    late = client.post(url("receipt"), {"code": code, "action": "send", "answer": "Third"})
    assert "Change your response" not in late.text
    response.refresh_from_db()
    assert response.answer == "Second"


def test_the_anonymous_form_is_not_offered_where_the_consultation_does_not_take_them(
    client, world, clock
):
    c = world.opened(anonymous_allowed=False)
    clock["today"] = c.opens_on
    assert client.get(url("respond", c.pk, "anonymous")).status_code == 404


def test_a_closed_consultation_takes_no_responses(client, world, clock):
    c = world.plan()
    page = client.get(url("respond", c.pk, "anonymous"))
    assert "not open for responses" in page.text
    assert not Response.objects.exists()


def test_following_topics_needs_sign_in_and_saves(client, world, clock):
    world.plan(topics=services.tags_from_text("topic", "Libraries"))
    assert client.get(url("follow")).status_code == 302
    as_(client, world.outsider)
    tag = world.council.consultations.get().tags.get()
    assert client.post(url("follow"), {"topic": [str(tag.pk)]}).status_code == 302
    assert world.outsider.consultation_follows.get().tag == tag


# --- Query counts -------------------------------------------------------------------------


def queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_list_detail_and_analysis_queries_do_not_grow_with_the_data(
    client, world, clock, monkeypatch
):
    monkeypatch.setattr(selectors, "FORWARD_PLAN_PAGE", 3)  # one page, then three
    topic = services.tags_from_text("topic", "Parks")
    c = world.opened(topics=topic)
    clock["today"] = c.opens_on
    as_(client, world.officer)

    def add(n):
        for i in range(n):
            world.plan("leicester", title=f"Plan {i}", topics=topic)
            services.response_save(
                consultation=c,
                kind=ResponseKind.ANONYMOUS,
                by=None,
                today=c.opens_on,
                submit=True,
                answer=f"View {i}",
            )

    add(2)
    small = [
        queries(client, p)
        for p in (
            url("list"),
            url("detail", c.pk),
            url("analysis", c.pk),
            url("responses", c.pk),
            url("forward_plan"),
            url("forward_plan") + "?compact=leicester&page=2",
        )
    ]
    add(6)
    large = [
        queries(client, p)
        for p in (
            url("list"),
            url("detail", c.pk),
            url("analysis", c.pk),
            url("responses", c.pk),
            url("forward_plan"),
            url("forward_plan") + "?compact=leicester&page=2",
        )
    ]
    assert small == large


def test_email_links_use_the_sites_address_not_the_requests_host(client, world, clock, settings):
    """A forged Host header (let through by a lax proxy) cannot put its address in the
    links the e-mails carry: they come from SITE_URL."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://compact.example.org"
    forged = {"HTTP_HOST": "evil.example.net"}
    Subscription.objects.create(
        user=world.outsider, tag=services.tags_from_text("topic", "Libraries")[0]
    )
    as_(client, world.officer)
    planned = client.post(
        url("plan", "council", "herefordshire"),
        plan_form(short_reason="The budget date.", short_agreed_by="Partnership board"),
        **forged,
    )
    assert planned.status_code == 302
    c = Consultation.objects.get()
    assert mail.outbox[-1].to == ["outsider@example.org"]
    services.consultation_open(consultation=c, by=world.officer, today=c.opens_on)
    clock["today"] = c.opens_on
    as_(client, world.charity_officer)
    client.post(
        url("respond", c.pk, "individual"),
        {"respondent_name": "Carol", "answer": "Yes", "action": "send"},
        **forged,
    )
    assert mail.outbox[-1].to == ["charity_officer@example.org"]
    for message in mail.outbox:
        links = message.body + message.alternatives[0][0]
        assert "https://compact.example.org/consultations/" in links
        assert "evil.example.net" not in links
