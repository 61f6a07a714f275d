"""Partnership groups in Chromium, as the people who use them: the council's officer runs
the board (terms of reference, a meeting at three weeks' notice refused then recorded as
short, attendance, a decision with an objection, an electronic decision refused for want
of access); the trust's officer acts on a request and comments on a freedom-of-
information request; the support team reads a withheld-information report and sees a
meeting with its restricted item hidden; anyone reads the board's public page and feed.
axe checks every page and state visited (zero WCAG A/AA problems).
"""

import datetime as dt

import pytest
from icalendar import Calendar

from localcompact.accounts.testing import browser_sign_in
from localcompact.partnerships import services, views
from localcompact.partnerships.tests.factories import PASSWORD, TODAY, held, make_cast, meeting

from .conftest import check_accessibility

DAY = dt.timedelta(days=1)


@pytest.fixture
def cast(compacts, monkeypatch):
    monkeypatch.setattr(views, "today", lambda: TODAY)
    cast = make_cast()
    calendar = services.calendar_create(
        group=cast.group, year_kind="calendar", year=2026, by=cast.officer, today=TODAY
    )
    cast.later = meeting(cast, days=60, title="Summer board meeting")
    services.calendar_publish(calendar=calendar, by=cast.officer, today=TODAY)
    cast.today_meeting = held(cast, meeting(cast, days=0, title="March board meeting"))
    services.item_add(
        meeting=cast.today_meeting,
        title="Provider prices",
        description="",
        sensitivity="commercial",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    services.item_add(
        meeting=cast.today_meeting,
        title="Health priorities",
        description="",
        sensitivity="",
        embargo_until=None,
        by=cast.officer,
        today=TODAY,
    )
    cast.request = services.request_make(
        compact=cast.compact,
        group=cast.group,
        from_organisation=cast.council,
        to_organisation=cast.trust,
        title="Share the groups' views",
        details="For the board.",
        received_on=TODAY,
        action_due_on=TODAY + 14 * DAY,
        emergency=False,
        emergency_reason="",
        by=cast.officer,
        today=TODAY,
    )
    cast.foi = services.foi_record(
        compact=cast.compact,
        public_body=cast.council,
        organisation=cast.trust,
        reference="FOI-7",
        request_summary="Grant reports",
        material="The trust's grant reports",
        received_on=TODAY,
        by=cast.officer,
        today=TODAY,
    )
    cast.withheld = services.withheld_report(
        compact=cast.compact,
        group=cast.group,
        reported_by=cast.trust,
        about=cast.council,
        information="The closure date of the day centre",
        risk="Volunteers left unsupported",
        by=cast.user("partner"),
        today=TODAY,
    )
    return cast


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


def test_the_officer_runs_the_board(page, live_server, cast):
    base = live_server.url
    browser_sign_in(page, base, cast.officer, PASSWORD)
    visit(page, f"{base}/partnerships/", "partnerships-index")
    with page.expect_navigation():
        page.click("text=Testshire Partnership Board")
    check_accessibility(page, "partnerships-group")
    assert "Complete" in page.inner_text("#terms ~ .govuk-inset-text")

    # Terms of reference: an overturnable decision without saying where is refused.
    visit(page, f"{base}/partnerships/groups/{cast.group.slug}/terms/", "partnerships-terms")
    page.fill("#overturned_where", "")
    submit(page, "Save the terms of reference")
    assert "where the group's decisions can be overturned" in page.inner_text(
        ".govuk-error-summary"
    )
    check_accessibility(page, "partnerships-terms-error")
    page.fill("#overturned_where", "The council's cabinet")
    submit(page, "Save the terms of reference")
    assert "they are complete" in page.inner_text(".govuk-notification-banner")

    # A meeting at three weeks' notice: refused without a reason, then shown as short.
    visit(
        page,
        f"{base}/partnerships/groups/{cast.group.slug}/meetings/new/",
        "partnerships-meeting-new",
    )
    submit(page, "Add the meeting")
    check_accessibility(page, "partnerships-meeting-new-error")
    page.fill("#title", "Extra budget meeting")
    fill_date(page, "date", TODAY + 21 * DAY)
    page.fill("#time", "14:00")
    page.get_by_label("Yes").check()
    submit(page, "Add the meeting")
    check_accessibility(page, "partnerships-meeting")
    with page.expect_navigation():
        page.click("text=Record the notice")
    check_accessibility(page, "partnerships-notice")
    submit(page, "Record the notice")
    assert "record the reason for the short notice" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "partnerships-notice-error")
    page.fill("#short_reason", "Cabinet moved its budget meeting forward.")
    submit(page, "Record the notice")
    main = page.inner_text("main")
    assert "Short notice" in main and "Cabinet moved its budget meeting forward." in main
    check_accessibility(page, "partnerships-meeting-short-notice")

    # Today's meeting: a decision by vote, then an objection minuted.
    visit(page, f"{base}{cast.today_meeting.get_absolute_url()}", "partnerships-meeting-held")
    with page.expect_navigation():
        page.click("text=Record a decision")
    check_accessibility(page, "partnerships-decision")
    page.fill("#text", "Adopt the health priorities.")
    page.get_by_label("Majority vote").check()
    page.fill("#votes_for", "2")
    page.fill("#votes_against", "0")
    submit(page, "Record the decision")
    with page.expect_navigation():
        page.click("text=Minute an objection")
    page.select_option("#member", label="Trust Person (Testshire Community Trust)")
    page.fill("#objection", "Too little time to consult our members.")
    submit(page, "Minute the objection")
    assert "represented outside the meeting" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "partnerships-objection-error")
    page.fill("#how_represented", "The trust will tell its members in its newsletter.")
    submit(page, "Minute the objection")
    assert "The trust will tell its members" in page.inner_text("main")
    check_accessibility(page, "partnerships-meeting-objection")

    # An electronic decision is refused while partners have not confirmed access.
    visit(
        page,
        f"{base}/partnerships/groups/{cast.group.slug}/decisions/electronic/",
        "partnerships-electronic",
    )
    page.fill("#text", "Approve the newsletter.")
    page.get_by_label("By e-mail").check()
    page.get_by_label("Consensus").check()
    submit(page, "Record the decision")
    assert "Not every partner has confirmed access" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "partnerships-electronic-refused")
    assert page.input_value("#text") == "Approve the newsletter."
    assert page.js_errors == []


def test_the_trust_acts_on_a_request_and_comments_on_an_foi_request(page, live_server, cast):
    base = live_server.url
    browser_sign_in(page, base, cast.user("partner"), PASSWORD)
    visit(
        page, f"{base}/partnerships/organisations/{cast.trust.slug}/", "partnerships-organisation"
    )
    with page.expect_navigation():
        page.click("text=Share the groups' views")
    check_accessibility(page, "partnerships-request")
    with page.expect_navigation():
        page.click("text=Record that you acted")
    submit(page, "Record it")
    assert "Recorded as done" in page.inner_text(".govuk-notification-banner")
    check_accessibility(page, "partnerships-request-done")

    visit(page, f"{base}{cast.foi.get_absolute_url()}", "partnerships-foi")
    submit(page, "Save")
    check_accessibility(page, "partnerships-foi-error")
    page.fill("#comment", "Client names must not be disclosed.")
    submit(page, "Save")
    assert "Client names must not be disclosed." in page.inner_text("main")
    check_accessibility(page, "partnerships-foi-commented")
    assert page.js_errors == []


def test_the_support_team_sees_reports_but_not_restricted_items(page, live_server, cast):
    base = live_server.url
    browser_sign_in(page, base, cast.user("support"), PASSWORD)
    visit(
        page, f"{base}/partnerships/compacts/herefordshire/withheld/", "partnerships-withheld-list"
    )
    with page.expect_navigation():
        page.click("main table a")
    check_accessibility(page, "partnerships-withheld")
    page.fill("#outcome", "Raised with the council's chief executive.")
    submit(page, "Record what was done")
    assert "Raised with the council" in page.inner_text("main")
    visit(page, f"{base}{cast.today_meeting.get_absolute_url()}", "partnerships-meeting-support")
    main = page.inner_text("main")
    assert "Health priorities" in main and "Provider prices" not in main
    assert "Restricted item" in main


def test_anyone_reads_the_board_and_its_dates(page, live_server, cast):
    base = live_server.url
    visit(page, f"{base}/partnerships/", "partnerships-index-anonymous")
    visit(page, f"{base}{cast.group.get_absolute_url()}", "partnerships-group-anonymous")
    main = page.inner_text("main")
    assert "Summer board meeting" in main and "March board meeting" in main
    assert "Provider prices" not in main
    response = page.request.get(f"{base}/partnerships/groups/{cast.group.slug}/meetings.ics")
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    assert {str(e["summary"]) for e in events} == {
        "Testshire Partnership Board: Summer board meeting",
        "Testshire Partnership Board: March board meeting",
    }
    visit(page, f"{base}/partnerships/?q=nothing-matches", "partnerships-index-empty")
    assert "No group matches" in page.inner_text("main")
