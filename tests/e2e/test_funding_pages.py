"""Funding and commissioning in Chromium, as the people who use it: a council officer
runs a commissioning plan, decides an application (refused without reasons, then
accepted), schedules and records a payment and sets monitoring above its band; a
charity's officer applies (refused without confirming eligibility) and gives notice of
winding a service down; anyone reads the totals and the open data. axe checks every page
and state visited (zero WCAG A/AA problems).
"""

import datetime as dt
import json

import pytest

from localcompact.accounts.testing import browser_sign_in
from localcompact.funding import views
from localcompact.funding.tests.factories import (
    TODAY,
    application_made,
    make_world,
    opportunity_made,
    story_made,
)

from .conftest import check_accessibility

PASSWORD = "x" * 20


@pytest.fixture
def story(transactional_db, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: TODAY)
    world = story_made(make_world())
    second = opportunity_made(world, code="second-round", title="Second round")
    pending = application_made(world, second, world.rival, by=world.user("rival_officer"))
    world.things.update(second=second, pending=pending)
    return world


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)
    return response


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def fill_date(page, field: str, day: dt.date) -> None:
    page.fill(f"#{field}-day", str(day.day))
    page.fill(f"#{field}-month", str(day.month))
    page.fill(f"#{field}-year", str(day.year))


def test_a_council_officer_commissions_decides_and_pays(page, live_server, story):
    base = live_server.url
    browser_sign_in(page, base, story.user("council_officer"), PASSWORD)
    visit(page, f"{base}/funding/", "funding-index-signed-in")
    with page.expect_navigation():
        page.click("text=Funding work of Fundshire Council")
    check_accessibility(page, "funding-organisation")

    # A commissioning plan: refused without a title, then started and moved on.
    with page.expect_navigation():
        page.click("text=Start a commissioning plan")
    check_accessibility(page, "funding-plan-new")
    submit(page, "Start the plan")
    assert "Enter title" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "funding-plan-new-error")
    page.get_by_label("Fundshire Compact").check()
    page.fill("#title", "Advice services plan")
    page.fill("#summary", "Advice for residents in debt.")
    submit(page, "Start the plan")
    assert "Advice services plan" in page.inner_text("h1")
    check_accessibility(page, "funding-plan")
    with page.expect_navigation():
        page.click("text=Move to the next stage")
    submit(page, "Move on")
    assert "Record how the voluntary and community sector" in page.inner_text(
        ".govuk-error-summary"
    )
    check_accessibility(page, "funding-plan-advance-refused")
    with page.expect_navigation():
        page.click("text=Cancel")
    with page.expect_navigation():
        page.click("text=Record sector involvement")
    check_accessibility(page, "funding-plan-involvement")
    page.get_by_label("Needs analysis meeting").check()
    fill_date(page, "held_on", TODAY)
    page.fill("#description", "Needs analysis group with advice charities.")
    page.get_by_label("Fundshire Charity").check()
    submit(page, "Record it")
    with page.expect_navigation():
        page.click("text=Move to the next stage")
    submit(page, "Move on")
    assert "Stage" in page.inner_text("main") and "Plan" in page.inner_text("main")
    check_accessibility(page, "funding-plan-moved-on")

    # Deciding an application: no reasons is refused, then the decision is recorded.
    visit(page, f"{base}/funding/opportunities/second-round/", "funding-opportunity-funder")
    with page.expect_navigation():
        page.click("table >> text=Rival Trust")
    check_accessibility(page, "funding-application-funder")
    with page.expect_navigation():
        page.click("text=Record the decision")
    page.get_by_label("Unsuccessful").check()
    fill_date(page, "decided_on", TODAY)
    submit(page, "Record the decision")
    assert "Give the reasons" in page.inner_text(".govuk-error-summary")
    assert page.is_checked("#outcome_1")
    check_accessibility(page, "funding-decision-refused")
    page.fill("#reasons", "The programme was oversubscribed.")
    fill_date(page, "notified_on", TODAY)
    submit(page, "Record the decision")
    assert "Unsuccessful" in page.inner_text("main")
    check_accessibility(page, "funding-application-decided")

    # The award: a payment scheduled and paid, monitoring above its band flagged.
    award = story.things["award"]
    visit(page, f"{base}/funding/awards/{award.pk}/", "funding-award-funder")
    with page.expect_navigation():
        page.click("text=Add a payment to the schedule")
    check_accessibility(page, "funding-payment-new")
    page.fill("#amount", "lots")
    submit(page, "Add the payment")
    assert "as a number of pounds" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "funding-payment-new-error")
    page.fill("#amount", "2500")
    fill_date(page, "due_on", TODAY - dt.timedelta(days=3))
    fill_date(page, "expenditure_starts_on", TODAY)
    submit(page, "Add the payment")
    with page.expect_navigation():
        page.click("text=record as paid >> nth=0")
    fill_date(page, "paid_on", TODAY)
    submit(page, "Save")
    assert "Met late" in page.inner_text("#payments + table")
    with page.expect_navigation():
        page.click("text=Set the monitoring")
    page.fill("#monitoring_requirements", "Quarterly reports.")
    page.fill("#returns_per_year", "4")
    page.fill("#proportionality_statement", "Our usual returns.")
    page.fill("#outcome_measures", "People helped.")
    submit(page, "Save the monitoring")
    assert "more than the small band allows" in page.inner_text("main")
    check_accessibility(page, "funding-award-monitoring-flagged")


def test_a_charity_applies_and_gives_notice_of_winding_down(page, live_server, story):
    base = live_server.url
    browser_sign_in(page, base, story.user("charity_officer"), PASSWORD)
    visit(page, f"{base}/funding/opportunities/second-round/", "funding-opportunity-applicant")
    with page.expect_navigation():
        page.click("main a:has-text('Apply')")
    check_accessibility(page, "funding-apply")
    page.fill("#title", "Advice in libraries")
    page.fill("#summary", "Drop-in advice in three libraries.")
    page.fill("#direct_costs", "8000")
    page.fill("#overheads", "1200")
    submit(page, "Send the application")
    assert "eligible" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#title") == "Advice in libraries"
    check_accessibility(page, "funding-apply-error")
    page.check("#eligibility_confirmed")
    submit(page, "Send the application")
    assert "Application sent" in page.inner_text(".govuk-notification-banner")
    assert "£9,200" in page.inner_text("main")
    check_accessibility(page, "funding-application-applicant")
    with page.expect_navigation():
        page.click("text=Withdraw this application")
    check_accessibility(page, "funding-withdraw")
    page.fill("#reason", "We found the money elsewhere.")
    submit(page, "Withdraw the application")
    assert "withdrawn" in page.inner_text(".govuk-notification-banner")
    assert "Withdrawn" in page.inner_text("main")

    award = story.things["award"]
    visit(page, f"{base}/funding/awards/{award.pk}/", "funding-award-recipient")
    with page.expect_navigation():
        page.click("text=Give notice of winding the service down")
    check_accessibility(page, "funding-wind-down")
    fill_date(page, "service_ends_on", TODAY + dt.timedelta(days=150))
    fill_date(page, "given_on", TODAY)
    page.fill("#reason", "The building is closing.")
    submit(page, "Give notice")
    assert "will end on" in page.inner_text("#ending ~ .govuk-inset-text >> nth=0")
    check_accessibility(page, "funding-award-wound-down")


def test_anyone_reads_the_totals_and_the_open_data(page, live_server, story):
    base = live_server.url
    for path, name in [
        ("/funding/", "funding-index"),
        ("/funding/funders/", "funding-funders"),
        ("/funding/funders/fundshire-council/", "funding-funder"),
        ("/funding/recipients/", "funding-recipients"),
        ("/funding/recipients/fundshire-charity/", "funding-recipient"),
        ("/funding/programmes/", "funding-programmes"),
        ("/funding/plans/", "funding-plans"),
        (f"/funding/plans/{story.things['plan'].pk}/", "funding-plan-public"),
        ("/funding/opportunities/community-grants/", "funding-opportunity-public"),
        (f"/funding/awards/{story.things['award'].pk}/", "funding-award-public"),
        ("/funding/data/", "funding-data"),
    ]:
        visit(page, base + path, name)
        assert page.js_errors == []
    main = page.inner_text("main")
    assert "Monitoring bands" in main
    response = page.request.get(f"{base}/funding/data/ocds.json")
    assert response.status == 200 and json.loads(response.text())["version"] == "1.1"
    response = page.request.get(f"{base}/funding/data/360giving.json?compact=fundshire")
    assert len(json.loads(response.text())["grants"]) == 1
    visit(page, f"{base}/funding/awards/{story.things['award'].pk}/", "funding-award-anon")
    assert "Secret risk" not in page.inner_text("main")
