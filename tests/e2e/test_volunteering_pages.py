"""Volunteering and inclusion in Chromium: a newcomer searches for an opportunity and
expresses interest (an error first); the council's officer offers one without an
expenses policy (flagged), records an impact assessment and answers a format request;
someone asks for a compact meeting without a host in another format, and the support
team answers; anyone reads the figures, equality pages and the progress report. axe
checks every page and state visited."""

import datetime as dt

import pytest

from localcompact.accounts.testing import browser_sign_in
from localcompact.governance.services import meeting_create
from localcompact.notices.tests.conftest import PASSWORD
from localcompact.volunteering import views
from localcompact.volunteering.models import FormatRequest, Interest
from localcompact.volunteering.services import figures_record, format_request_make
from localcompact.volunteering.tests.conftest import TODAY, World, opportunity_made

from .conftest import check_accessibility


@pytest.fixture
def world(transactional_db, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: TODAY)
    world = World()
    opportunity_made(world, title="Befriending volunteer", area="North ward")
    opportunity_made(world, organisation=world.trust, title="Youth club helper", skills=["youth"])
    figures_record(
        organisation=world.council,
        year=2025,
        volunteers=40,
        hours=900,
        business_volunteers=3,
        by=world.user("officer"),
        today=TODAY,
    )
    return world


def visit(page, url, name, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)


def submit(page, button):
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def test_a_newcomer_finds_an_opportunity_and_expresses_interest(page, live_server, world):
    base = live_server.url
    visit(page, f"{base}/volunteering/", "volunteering-index")
    page.select_option("#skill", "youth")
    submit(page, "Search")
    assert "1 opportunity found" in page.inner_text("main")
    check_accessibility(page, "volunteering-search")
    with page.expect_navigation():
        page.click("text=Youth club helper")
    check_accessibility(page, "volunteering-opportunity")
    page.fill("#email", "sam@example.org")
    page.fill("#message", "Free on Tuesdays")
    submit(page, "Send")
    assert "Enter your name" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#message") == "Free on Tuesdays"
    check_accessibility(page, "volunteering-interest-error")
    page.fill("#name", "Sam")
    submit(page, "Send")
    assert "Interest sent" in page.inner_text("h1")
    check_accessibility(page, "volunteering-interest-sent")
    assert Interest.objects.get().name == "Sam"
    for path, name in (
        ("figures/", "volunteering-figures"),
        ("equality/", "volunteering-equality"),
        ("impact-assessments/", "volunteering-assessments"),
        ("progress/city-together/", "volunteering-progress"),
    ):
        visit(page, f"{base}/volunteering/{path}", name)
    assert page.js_errors == []


def test_an_officer_offers_assesses_and_answers(page, live_server, world):
    base = live_server.url
    made = format_request_make(
        organisation=world.council,
        data={
            "subject": "Bin notice",
            "subject_url": "",
            "format": "braille",
            "language": "",
            "details": "",
            "needed_by": None,
            "name": "Pat",
            "email": "pat@example.org",
        },
        user=None,
        today=TODAY,
    )
    browser_sign_in(page, base, world.user("officer"), PASSWORD)
    visit(page, f"{base}/volunteering/organisations/testshire-council/", "volunteering-hub")
    with page.expect_navigation():
        page.click("text=Offer an opportunity")
    check_accessibility(page, "volunteering-opportunity-new")
    page.fill("#title", "Library helper")
    submit(page, "Publish the opportunity")
    assert "Enter what the volunteer does" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "volunteering-opportunity-new-errors")
    page.fill("#role", "Help people use the library computers.")
    page.get_by_label("Digital and IT").check()
    page.fill("#area", "Central library")
    page.get_by_label("A few hours a month").check()
    page.fill("#accessibility", "Step-free, hearing loop.")
    page.fill("#contact_name", "Library team")
    page.fill("#contact_email", "library@example.org")
    submit(page, "Publish the opportunity")
    assert "does not say which expenses it repays" in page.inner_text("main")
    check_accessibility(page, "volunteering-opportunity-flagged")

    visit(
        page,
        f"{base}/volunteering/organisations/testshire-council/impact-assessments/new/",
        "volunteering-assessment-new",
    )
    page.fill("#title", "Library opening hours")
    page.get_by_label("A policy or plan").check()
    page.fill("#assessed_on-day", str(TODAY.day))
    page.fill("#assessed_on-month", str(TODAY.month))
    page.fill("#assessed_on-year", str(TODAY.year))
    page.get_by_label("Older people").check()
    page.fill("#findings", "Shorter hours affect older residents most.")
    submit(page, "Record the assessment")
    assert "Older people" in page.inner_text("main")
    check_accessibility(page, "volunteering-assessment")

    visit(
        page,
        f"{base}/volunteering/organisations/testshire-council/format-requests/{made.pk}/",
        "volunteering-answer",
    )
    submit(page, "Send the answer")
    check_accessibility(page, "volunteering-answer-errors")
    page.get_by_label("Yes, it was provided").check()
    page.fill("#answer", "Posted in Braille.")
    submit(page, "Send the answer")
    assert FormatRequest.objects.get().status == "provided"
    check_accessibility(page, "volunteering-hub-after")
    visit(page, f"{base}/volunteering/format-requests/{made.reference}/", "volunteering-request")
    assert page.js_errors == []


def test_a_meeting_without_a_host_is_asked_of_the_support_team(page, live_server, world):
    base = live_server.url
    support = world.user("support")  # staff: the support team's pages
    meeting = meeting_create(
        compact=world.city,
        title="Annual meeting",
        on=TODAY + dt.timedelta(days=30),
        place="Town Hall",
        by=support,
        today=TODAY,
    )
    visit(page, f"{base}{meeting.get_absolute_url()}", "governance-meeting-no-host")
    with page.expect_navigation():
        page.click("text=Ask the compact's support team for another format or language")
    assert page.input_value("#subject") == "Annual meeting"
    check_accessibility(page, "volunteering-request-to-support")
    page.get_by_label("British Sign Language").check()
    submit(page, "Send the request")
    assert "Enter your name" in page.inner_text(".govuk-error-summary")
    page.fill("#name", "Sam")
    page.fill("#email", "sam@example.org")
    submit(page, "Send the request")
    assert "Waiting for an answer" in page.inner_text("main")
    check_accessibility(page, "volunteering-request-to-support-made")
    made = FormatRequest.objects.get()
    assert (made.compact, made.organisation) == (world.city, None)

    browser_sign_in(page, base, support, PASSWORD)
    visit(page, f"{base}/volunteering/compacts/city-together/format-requests/", "support-requests")
    with page.expect_navigation():
        page.click("main a:has-text('Answer')")
    check_accessibility(page, "support-request-answer")
    page.get_by_label("Yes, it was provided").check()
    page.fill("#answer", "An interpreter is booked.")
    submit(page, "Send the answer")
    assert "The request is answered" in page.inner_text("main")
    check_accessibility(page, "support-requests-after")
    assert FormatRequest.objects.get().answered_by == support
    assert page.js_errors == []
