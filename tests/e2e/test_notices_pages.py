"""Informing notices in Chromium: an officer drafts a notice (errors first), checks it
against the compact and publishes it late with a reason; the public finds it by search;
an embargoed notice is seen by the named charity's member and by no one else. axe
checks every page and state visited (zero WCAG A/AA problems)."""

import datetime as dt

import pytest

from localcompact.accounts.testing import browser_sign_in
from localcompact.notices import views
from localcompact.notices.models import Notice, Status
from localcompact.notices.tests.conftest import (
    DAY,
    NOW,
    PASSWORD,
    TODAY,
    embargoed,
    notice_made,
    world_made,
)

from .conftest import check_accessibility


@pytest.fixture
def world(transactional_db, monkeypatch):
    monkeypatch.setattr(views, "now", lambda: NOW)
    world = world_made()
    notice_made(world, title="Bin collections move to Thursdays", area="North ward")
    embargoed(world, title="Community grants programme agreed")
    return world


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def fill_date(page, field: str, day: dt.date) -> None:
    page.fill(f"#{field}-day", str(day.day))
    page.fill(f"#{field}-month", str(day.month))
    page.fill(f"#{field}-year", str(day.year))


def test_an_officer_drafts_checks_and_publishes_a_notice(page, live_server, world):
    base = live_server.url
    browser_sign_in(page, base, world.user("officer"), PASSWORD)
    visit(page, f"{base}/notices/", "notices-list-officer")
    with page.expect_navigation():
        page.click("main a:has-text('Testshire Council')")
    check_accessibility(page, "notices-organisation")
    with page.expect_navigation():
        page.click("text=Draft a notice")
    check_accessibility(page, "notices-new")

    page.get_by_label("Herefordshire Compact").check()
    page.fill("#title", "Library room bookings move online")
    page.fill("#decision", "Bookings for library meeting rooms are now taken online only.")
    fill_date(page, "decided_on", TODAY - 2 * DAY)
    page.fill("#action_required", "Groups with standing bookings should re-book online.")
    page.fill("#term_0", "Standing booking")
    submit(page, "Save as draft")
    summary = page.inner_text(".govuk-error-summary")
    assert "Enter the date action is needed by" in summary
    assert "Explain what ‘Standing booking’ means" in summary
    assert page.input_value("#title") == "Library room bookings move online"
    check_accessibility(page, "notices-new-errors")

    fill_date(page, "action_by", TODAY + 14 * DAY)
    page.fill("#contact", "Libraries team, libraries@example.org")
    page.fill("#explanation_0", "A booking that repeats every week.")
    page.get_by_label("Large print").check()
    submit(page, "Save as draft")
    assert "saved as a draft" in page.inner_text(".govuk-notification-banner")
    assert "To keep it, publish by" in page.inner_text("main")
    check_accessibility(page, "notices-draft")

    with page.expect_navigation():
        page.click("text=Check and publish")
    assert "Late: it should have been published by" in page.inner_text("main")
    check_accessibility(page, "notices-publish-late")
    submit(page, "Publish the notice")
    assert "Say why it is late" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "notices-publish-late-error")
    page.fill("#late_reason", "The system change date was only fixed this week.")
    submit(page, "Publish the notice")
    assert "The notice is published" in page.inner_text(".govuk-notification-banner")
    check_accessibility(page, "notices-published")
    notice = Notice.objects.get(title="Library room bookings move online")
    assert notice.status == Status.PUBLISHED

    with page.expect_navigation():
        page.click("text=History of this notice")
    check_accessibility(page, "notices-history")
    visit(page, f"{base}/notices/{notice.pk}/withdraw/", "notices-withdraw")
    assert page.js_errors == []


def test_the_public_finds_notices_but_not_an_embargoed_one(page, live_server, world):
    base = live_server.url
    visit(page, f"{base}/notices/", "notices-list-public")
    assert "Community grants" not in page.inner_text("main")
    page.fill("#q", "north")
    submit(page, "Search")
    assert "1 notice found" in page.inner_text("main")
    check_accessibility(page, "notices-search")
    with page.expect_navigation():
        page.click("text=Bin collections move to Thursdays")
    assert "Terms used in this notice" in page.inner_text("main")
    check_accessibility(page, "notices-detail-public")
    secret = Notice.objects.get(title="Community grants programme agreed")
    response = page.goto(f"{base}/notices/{secret.pk}/")
    assert response.status == 404
    assert "Community grants" not in page.content()


def test_a_named_charitys_member_sees_the_embargoed_notice(page, live_server, world):
    base = live_server.url
    secret = Notice.objects.get(title="Community grants programme agreed")
    browser_sign_in(page, base, world.user("trust_member"), PASSWORD)
    visit(page, f"{base}/notices/{secret.pk}/", "notices-embargoed-named")
    assert "Embargoed until" in page.inner_text("main")
    visit(page, f"{base}/notices/organisations/testshire-trust/", "notices-shared")
    assert "Community grants programme agreed" in page.inner_text("main")
