"""The obligations pages in Chromium, as the people who use them: an officer signs in,
sees what the council owes, records an activity, excuses an obligation (refused, then
accepted) and makes a calendar link; a member sees but cannot change; anyone reads the
compliance figures. axe checks every page and state visited (zero WCAG A/AA problems).
"""

import datetime as dt

import pytest
from icalendar import Calendar

from localcompact.accounts.testing import browser_sign_in, verified_email
from localcompact.compacts.models import Compact
from localcompact.obligations.models import Activity, Obligation, Status
from localcompact.obligations.tests.page_factories import (
    PASSWORD,
    TODAY,
    World,
    in_each_section,
    join,
    make_organisation,
    make_user,
)
from localcompact.obligations.views import common
from localcompact.organisations.models import Role

from .conftest import check_accessibility


@pytest.fixture
def people(compacts, monkeypatch):
    """Herefordshire's council owes the trust: an officer, a member, and obligations in
    every section of the dashboard."""
    monkeypatch.setattr(common, "today", lambda: TODAY)
    version = Compact.objects.get(slug="herefordshire").current_version
    council = make_organisation("Testshire Council")
    trust = make_organisation("Testshire Community Trust", sector="vcs")
    world = World(version=version, council=council, trust=trust)
    for role in (Role.OFFICER, Role.MEMBER):
        world.users[role.value] = user = make_user(role.value)
        join(user, council, role)
    in_each_section(world, 10, ident="consultation-responses-acknowledged", title="Replies")
    return world


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)
    return response


def sign_in(page, base: str, user, name: str) -> None:
    browser_sign_in(page, base, user, PASSWORD)


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.click(f"button:has-text('{button}')")


def fill_date(page, field: str, day: dt.date) -> None:
    page.fill(f"#{field}-day", str(day.day))
    page.fill(f"#{field}-month", str(day.month))
    page.fill(f"#{field}-year", str(day.year))


def test_an_officer_records_excuses_and_subscribes(page, live_server, people):
    base = live_server.url
    officer = people.user("officer")

    # Signing in: a wrong password first, then the right one.
    visit(page, f"{base}/sign-in/", "sign-in")
    page.fill("#login", verified_email(officer))
    page.fill("#password", "not the password")
    submit(page, "Sign In")
    assert "email address and/or password" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "sign-in-error")
    page.fill("#password", PASSWORD)
    submit(page, "Sign In")

    # One organisation: straight to what it owes.
    assert page.url == f"{base}/organisations/testshire-council/obligations/"
    check_accessibility(page, "dashboard-owing")
    main = page.inner_text("main")
    for section in ("Due soon (2)", "Missed (2)", "Not yet due", "Recently met", "Excused (2)"):
        assert section in main
    visit(page, f"{base}/organisations/testshire-council/obligations/owed/", "dashboard-owed")
    visit(
        page,
        f"{base}/organisations/testshire-council/obligations/?standard=nonsense",
        "dashboard-filter-error",
        status=400,
    )

    # Recording an activity: a consultation too short, then with the exception recorded.
    visit(page, f"{base}/organisations/testshire-council/obligations/", "dashboard-again")
    with page.expect_navigation():
        page.click("text=Record an activity")
    check_accessibility(page, "activity-new-compact")
    submit(page, "Continue")
    assert page.locator(".govuk-error-summary").is_visible()
    check_accessibility(page, "activity-new-compact-error")
    page.get_by_label("Herefordshire Compact: Informing, Consulting").check()
    submit(page, "Continue")
    check_accessibility(page, "activity-new-standard")
    page.get_by_label("Twelve weeks for consultations on policies and plans").check()
    submit(page, "Continue")
    assert "/herefordshire/consultation-minimum-period/" in page.url
    check_accessibility(page, "activity-new-details")
    page.fill("#title", "Consultation on library opening hours")
    fill_date(page, "start_on", TODAY)
    fill_date(page, "end_on", TODAY + dt.timedelta(weeks=6))
    page.get_by_label("Testshire Community Trust").check()
    submit(page, "Record the activity")
    summary = page.inner_text(".govuk-error-summary")
    assert "must run until at least" in summary and "10.2.1" in summary
    check_accessibility(page, "activity-new-too-short")
    page.check("#record_exception")
    page.fill("#exception_reason", "A statutory deadline left six weeks.")
    submit(page, "Record the activity")
    assert "Say who agreed" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#exception_reason") == "A statutory deadline left six weeks."
    check_accessibility(page, "activity-new-exception-refused")
    page.fill("#exception_agreed_by", "Testshire VCS Forum, by its chair")
    submit(page, "Record the activity")
    assert "Activity recorded" in page.inner_text("h1")
    check_accessibility(page, "activity-recorded")
    with page.expect_navigation():
        page.click("text=See the obligation")
    assert "Excused" in page.inner_text("main")
    check_accessibility(page, "obligation-excused-at-recording")

    # Excusing a missed obligation: no reason is refused, naming the clause; then accepted.
    missed = Obligation.objects.filter(status=Status.MISSED).order_by("pk").first()
    visit(page, f"{base}/obligations/{missed.pk}/", "obligation-missed")
    submit(page, "Excuse this obligation")
    assert "cannot be blank" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "obligation-excuse-refused")
    page.fill("#reason", "We said at the start that replies would be grouped.")
    submit(page, "Excuse this obligation")
    assert "Obligation excused" in page.inner_text("h1")
    check_accessibility(page, "obligation-excused")

    # The activity: marking another as done, and the withdraw page.
    activity = Activity.objects.get(title="Replies 1")
    visit(page, f"{base}/activities/{activity.pk}/", "activity")
    fill_date(page, "done_on", TODAY)
    submit(page, "Mark as done")
    assert "Marked as done" in page.inner_text(".govuk-notification-banner")
    check_accessibility(page, "activity-done")
    visit(page, f"{base}/activities/{activity.pk}/withdraw/", "activity-withdraw")
    submit(page, "Withdraw the activity")
    check_accessibility(page, "activity-withdraw-error")
    page.fill("#reason", "Recorded twice by mistake.")
    submit(page, "Withdraw the activity")
    assert "Withdrawn on" in page.inner_text("main")
    check_accessibility(page, "activity-withdrawn")

    # A calendar link: made, shown once, read by a calendar, then revoked.
    visit(page, f"{base}/organisations/testshire-council/obligations/calendar/", "calendar")
    submit(page, "Create a private calendar link")
    check_accessibility(page, "calendar-created")
    url = page.input_value("#calendar-url")
    feed = page.request.get(url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert any("Replies" in str(event["SUMMARY"]) for event in events)
    visit(page, f"{base}/organisations/testshire-council/obligations/calendar/", "calendar-one")
    with page.expect_navigation():
        page.click("a:has-text('Revoke')")
    check_accessibility(page, "calendar-revoke")
    submit(page, "Revoke the link")
    assert "revoked" in page.inner_text(".govuk-notification-banner")
    check_accessibility(page, "calendar-revoked")
    assert page.request.get(url).status == 404
    assert page.js_errors == []


def test_a_member_sees_but_cannot_change(page, live_server, people):
    base = live_server.url
    sign_in(page, base, people.user("member"), "member")
    assert page.url == f"{base}/organisations/testshire-council/obligations/"
    assert page.locator("text=Record an activity").count() == 0
    check_accessibility(page, "member-dashboard")
    missed = Obligation.objects.filter(status=Status.MISSED).order_by("pk").first()
    visit(page, f"{base}/obligations/{missed.pk}/", "member-obligation")
    assert page.locator("#reason").count() == 0
    assert "Officers and administrators of the organisation" in page.inner_text("main")
    activity = Activity.objects.get(title="Replies 1")
    visit(page, f"{base}/activities/{activity.pk}/", "member-activity")
    assert page.locator("button:has-text('Mark as done')").count() == 0
    visit(
        page,
        f"{base}/organisations/testshire-council/activities/new/",
        "member-cannot-record",
        status=403,
    )
    visit(page, f"{base}/obligations/", "member-index-redirects")
    assert page.js_errors == []


def test_an_outsider_is_told_why_not(page, live_server, people):
    base = live_server.url
    outsider = make_user("outsider")
    sign_in(page, base, outsider, "outsider")
    check_accessibility(page, "outsider-no-organisations")
    assert "not a member of any organisation" in page.inner_text("main")
    visit(
        page,
        f"{base}/organisations/testshire-council/obligations/",
        "outsider-forbidden",
        status=403,
    )
    submit(page, "Sign out")
    assert page.url == f"{base}/"
    assert page.locator("text=Sign in").count() >= 1


def test_anyone_reads_the_compliance_figures(page, live_server, people):
    base = live_server.url
    url = f"{base}/compacts/herefordshire/compliance/"
    visit(page, url, "compliance")
    assert page.locator("svg[role=img][aria-describedby=compliance-table]").count() == 1
    assert "The figures are aggregated" in page.inner_text("main")
    fill_date(page, "from", TODAY)
    fill_date(page, "to", TODAY - dt.timedelta(days=1))
    submit(page, "Show the figures")
    assert "The start of the period must be the same as or before its end" in page.inner_text(
        ".govuk-error-summary"
    )
    check_accessibility(page, "compliance-error")
    visit(page, f"{base}/compacts/herefordshire/", "compact-with-compliance-link")
    with page.expect_navigation():
        page.click("text=Compliance with the standards")
    link = page.locator("a:has-text('Download these figures')").get_attribute("href")
    csv = page.request.get(base + link)
    assert csv.status == 200
    assert csv.text().startswith("compact,code,standard_id")
    assert page.js_errors == []


def test_the_pages_work_without_javascript(browser, live_server, people):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, people.user("officer"), "officer-no-js")
    page.click("text=Show only one compact, code or standard")
    page.select_option("#standard", label="Responses acknowledged")
    submit(page, "Show obligations")
    assert "Showing only the obligations that match" in page.inner_text("main")
    context.close()
