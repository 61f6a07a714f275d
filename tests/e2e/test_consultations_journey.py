"""Consultations, in Chromium, as the people who run them and respond to them.

A council officer plans a ten-week consultation under the Herefordshire compact and is
refused until the agreement to a shorter period is recorded, with who agreed; then opens
it. A newcomer with no account finds it in the list, responds anonymously (a blank
response first), and keeps the receipt code. After it closes the officer analyses,
decides and publishes the feedback; the newcomer's code then shows the acknowledgement
and leads to "what you told us, what we decided". axe checks every page visited.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from localcompact.accounts.testing import browser_sign_in
from localcompact.compacts.models import Compact
from localcompact.consultations import selectors, services, views
from localcompact.consultations.models import Consultation, Response
from localcompact.organisations.models import Membership, Organisation, Role, Signature

from .conftest import check_accessibility

TODAY = dt.date(2026, 3, 2)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def clock(monkeypatch):
    day = {"today": TODAY}
    monkeypatch.setattr(views, "today", lambda: day["today"])
    return day


@pytest.fixture
def officer(compacts):
    council = Organisation.objects.create(
        name="Northfield Council", slug="northfield", sector="public"
    )
    compact = Compact.objects.get(slug="herefordshire")
    Signature.objects.create(
        compact=compact,
        version=compact.current_version,
        organisation=council,
        organisation_name=council.name,
        signatory_name="A Signatory",
        signatory_position="Chief executive",
        signed_on=TODAY - dt.timedelta(days=90),
        method=Signature.Method.PAPER,
    )
    person = get_user_model().objects.create_user(
        "olu",
        email="olu@council.example.org",
        password=PASSWORD,
        first_name="Olu",
        last_name="Adeyemi",
    )
    Membership.objects.create(user=person, organisation=council, role=Role.OFFICER)
    return person


def visit(page, url, name, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)


def submit(page, button):
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def fill_date(page, name, day):
    page.fill(f"#{name}-day", str(day.day))
    page.fill(f"#{name}-month", str(day.month))
    page.fill(f"#{name}-year", str(day.year))


def test_plan_respond_anonymously_and_read_the_feedback(page, live_server, officer, clock):
    base = live_server.url

    # The officer plans ten weeks under Herefordshire: refused without the agreement.
    browser_sign_in(page, base, officer, PASSWORD)
    visit(page, f"{base}/consultations/plan/", "consultations-plan-start")
    page.get_by_label("Northfield Council").check()
    page.get_by_label("Herefordshire Compact", exact=False).check()
    submit(page, "Continue")
    check_accessibility(page, "consultations-plan")
    page.fill("#title", "Library opening hours")
    page.fill("#summary", "We propose to open the libraries later on weekday mornings.")
    page.fill("#open_to_change", "Which mornings, and the evening hours.")
    page.fill("#who_affected", "Library users and staff.")
    page.fill("#topics", "Libraries")
    page.fill("#glossary", "Branch library: a small library in a neighbourhood")
    fill_date(page, "opens_on", TODAY)
    fill_date(page, "closes_on", TODAY + dt.timedelta(weeks=10))
    submit(page, "Plan the consultation")
    summary = page.inner_text(".govuk-error-summary")
    assert "only by agreement" in summary and "10.2.1" in summary
    assert page.input_value("#title") == "Library opening hours"
    check_accessibility(page, "consultations-plan-ten-weeks-refused")
    page.fill("#short_reason", "The library budget must be set before the statutory date.")
    submit(page, "Plan the consultation")
    assert "Say who agreed" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "consultations-plan-agreement-refused")
    page.fill("#short_agreed_by", "Northfield VCS Forum chair, 3 February")
    submit(page, "Plan the consultation")
    assert "Consultation planned" in page.inner_text("h1")
    assert "Excused" in page.inner_text("main")
    check_accessibility(page, "consultations-planned")
    with page.expect_navigation():
        page.click("text=Go to the consultation")
    submit(page, "Open it now")
    assert "Open until" in page.inner_text("main")
    check_accessibility(page, "consultations-detail-officer")
    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")

    # A newcomer finds it, responds anonymously and keeps the receipt code.
    visit(page, f"{base}/consultations/", "consultations-list")
    page.fill("#q", "library")
    submit(page, "Apply")
    assert "1 consultation found" in page.inner_text("main")
    check_accessibility(page, "consultations-list-search")
    with page.expect_navigation():
        page.click("main a:has-text('Library opening hours')")
    main = page.inner_text("main")
    assert "Agreed by Northfield VCS Forum chair" in main and "Branch library" in main
    check_accessibility(page, "consultations-detail")
    with page.expect_navigation():
        page.click("text=Respond to this consultation")
    check_accessibility(page, "consultations-respond-choose")
    with page.expect_navigation():
        page.click("main a:has-text('Anonymously')")
    check_accessibility(page, "consultations-respond-anonymous")
    submit(page, "Send the response")
    assert "Write your response" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "consultations-respond-anonymous-error")
    page.fill("#answer", "Later mornings would stop me reading with my children before school.")
    page.check("#consent_to_publish")
    submit(page, "Send the response")
    code = page.inner_text("#receipt-code").strip()
    assert len(code) == 19
    check_accessibility(page, "consultations-receipt-new")
    response = Response.objects.get()
    assert response.user_id is None and response.organisation_id is None

    # After closing: analysis, decision and feedback by the officer.
    consultation = Consultation.objects.get()
    clock["today"] = consultation.closes_on + dt.timedelta(days=1)
    browser_sign_in(page, base, officer, PASSWORD)
    page.goto(f"{base}/consultations/{consultation.pk}/")
    submit(page, "Close it")
    submit(page, "Start the analysis")
    visit(page, f"{base}/consultations/{consultation.pk}/analysis/", "consultations-analysis")
    page.fill("#name", "Mornings with children")
    page.fill("#summary", "Parents use the mornings before school.")
    page.check("#responses_0")
    submit(page, "Save the theme")
    visit(page, f"{base}/consultations/{consultation.pk}/responses/", "consultations-responses")
    assert "Anonymous" in page.inner_text("main")
    visit(page, f"{base}/consultations/{consultation.pk}/decide/", "consultations-decide")
    page.fill("#decision", "Libraries open at 9am, except Wednesdays.")
    page.fill("#reasons", "It saves money while keeping early opening most days.")
    page.fill("#effect", "We kept early opening on four days because of what parents told us.")
    submit(page, "Record the decision")
    with page.expect_navigation():
        page.click("text=Publish the feedback")
    check_accessibility(page, "consultations-publish-feedback")
    page.fill("#what_you_told_us", "Parents asked us to keep the libraries open early.")
    submit(page, "Publish and tell respondents")
    check_accessibility(page, "consultations-feedback-officer")
    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")

    # The newcomer comes back with the code and reads the feedback.
    visit(page, f"{base}/consultations/receipt/", "consultations-receipt")
    page.fill("#code", code.lower())
    submit(page, "Check")
    main = page.inner_text("main")
    assert "Yes, on 2 March 2026" in main and "Sent on 2 March 2026" in main
    check_accessibility(page, "consultations-receipt-status")
    with page.expect_navigation():
        page.click("text=What you told us, what we decided")
    main = page.inner_text("main")
    assert "because of what parents told us" in main
    check_accessibility(page, "consultations-feedback")
    visit(page, f"{base}/consultations/forward-plan/", "consultations-forward-plan")
    assert page.js_errors == []


def test_community_groups_get_longer_and_formats_and_access_are_shown(
    page, live_server, officer, clock
):
    """Redcar's code asks for more time for community groups (002_41c5fa4d4a1baeb0.txt,
    Community groups and neighbourhoods code, key principle 2). Announced on 2 March 2026,
    open from 9 March to Friday 28 August; Monday 31 August is a bank holiday, so three
    working days more run to Thursday 3 September. After the general close only a
    community group may still respond."""
    base = live_server.url
    group = Organisation.objects.create(
        name="Marsh Lane Neighbours",
        slug="marsh-lane",
        sector="vcs",
        kind="community_group",
        unconstituted=True,
    )
    resident = get_user_model().objects.create_user(
        "mina", email="mina@example.org", password=PASSWORD, first_name="Mina"
    )
    Membership.objects.create(user=resident, organisation=group, role=Role.ADMINISTRATOR)

    browser_sign_in(page, base, officer, PASSWORD)
    visit(
        page, f"{base}/consultations/plan/northfield/redcar-cleveland/", "consultations-plan-redcar"
    )
    assert "More time for community groups" in page.inner_text("main")
    page.fill("#title", "Neighbourhood parks plan")
    page.fill("#summary", "Which small parks are looked after first.")
    page.fill("#open_to_change", "The order of the parks.")
    page.fill("#who_affected", "People who live near the parks.")
    page.check("input[name=formats_offered][value=easy_read]")
    page.check("input[name=formats_offered][value=audio]")
    page.check("input[name=venue_access][value=step_free]")
    page.check("input[name=venue_access][value=quiet_room]")
    page.fill("#venue_access_notes", "Level entrance from the car park.")
    fill_date(page, "opens_on", dt.date(2026, 3, 9))
    fill_date(page, "closes_on", dt.date(2026, 8, 28))
    page.fill("#community_group_extra", "three")
    submit(page, "Plan the consultation")
    assert "as a whole number" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "consultations-plan-redcar-error")
    page.fill("#community_group_extra", "3")
    page.check("input[name=community_group_extra_unit][value=working_days]")
    submit(page, "Plan the consultation")
    assert "Consultation planned" in page.inner_text("h1")
    consultation = Consultation.objects.get(title="Neighbourhood parks plan")
    assert consultation.community_groups_close_on == dt.date(2026, 9, 3)
    clock["today"] = dt.date(2026, 3, 9)
    with page.expect_navigation():
        page.click("text=Go to the consultation")
    submit(page, "Open it now")
    main = page.inner_text("main")
    assert "community groups can respond until the end of 3 September 2026" in main
    assert "3 working days more than others" in main
    assert "Easy read" in main and "Step-free access" in main and "Quiet room" in main
    check_accessibility(page, "consultations-detail-community-groups")
    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")

    # The day after the general close: only community groups, to the last extra day.
    clock["today"] = dt.date(2026, 9, 3)
    visit(page, f"{base}/consultations/{consultation.pk}/", "consultations-detail-groups-only")
    assert "Community groups can still respond" in page.inner_text("main")
    with page.expect_navigation():
        page.click("main a:has-text('Ask Northfield Council for another format or language')")
    assert page.input_value("#subject") == "Neighbourhood parks plan"
    check_accessibility(page, "consultations-format-request")
    browser_sign_in(page, base, resident, PASSWORD)
    visit(
        page,
        f"{base}/consultations/{consultation.pk}/respond/",
        "consultations-respond-choose-groups-only",
    )
    with page.expect_navigation():
        page.click("main a:has-text('For a community group')")
    check_accessibility(page, "consultations-respond-community-group")
    page.check("input[name=organisation]")
    page.fill("#represents", "About 30 households on Marsh Lane")
    page.fill("#views_gathered", "Two street meetings")
    page.fill("#answer", "The Marsh Lane green needs lighting first.")
    submit(page, "Send the response")
    check_accessibility(page, "consultations-community-group-response-sent")
    assert Response.objects.get().organisation == group
    clock["today"] = dt.date(2026, 9, 4)
    visit(
        page,
        f"{base}/consultations/{consultation.pk}/respond/organisation/",
        "consultations-groups-closed",
    )
    assert "not open for responses" in page.inner_text("h1")
    assert page.js_errors == []


def test_the_forward_plan_pages_through_the_weeks(page, live_server, officer, clock, monkeypatch):
    """A page holds a bounded number of consultations (here three), grouped by week; a
    week that runs over is marked, and the compact chosen is kept from page to page."""
    monkeypatch.setattr(selectors, "FORWARD_PLAN_PAGE", 3)
    council = Organisation.objects.get(slug="northfield")
    for n, title in enumerate(("Parks", "Libraries", "Bins", "Buses", "Allotments")):
        opens = TODAY + dt.timedelta(days=7 * (n // 2 + 1))
        services.consultation_plan(
            compact=Compact.objects.get(slug="herefordshire"),
            lead=council,
            by=officer,
            today=TODAY,
            title=f"{title} plan",
            summary="What we propose.",
            open_to_change="The details.",
            who_affected="Residents.",
            opens_on=opens,
            closes_on=opens + dt.timedelta(weeks=12),
            feedback_by=opens + dt.timedelta(weeks=20),
        )
    base = live_server.url
    visit(page, f"{base}/consultations/forward-plan/", "consultations-forward-plan-paged")
    page.select_option("#compact", "herefordshire")
    submit(page, "Show")
    main = page.inner_text("main")
    assert "Parks plan" in main and "Buses plan" not in main
    assert "This week continues on the next page" in main
    with page.expect_navigation():
        page.click("nav.govuk-pagination a[rel=next]")
    assert "compact=herefordshire" in page.url
    main = page.inner_text("main")
    assert "Week beginning 16 March 2026 (continued)" in main and "Buses plan" in main
    assert "Add the forward plan to your calendar" in main
    check_accessibility(page, "consultations-forward-plan-page-2")
    assert page.js_errors == []
