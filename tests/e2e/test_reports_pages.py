"""Annual compact reports in Chromium: anyone reads the index, a compact's years and a
report with its charts and tables; a large compact's report shows its progress while
the background task runs, and the support team asks for it again. axe checks every
page and state visited; the screenshots are in test-artifacts/screenshots/."""

import datetime as dt

import pytest
from django.utils import timezone

from localcompact.accounts.testing import browser_sign_in
from localcompact.notices.tests.conftest import PASSWORD
from localcompact.reports import services, views
from localcompact.reports.models import AnnualReport, ReportStatus
from localcompact.reports.tests.conftest import TODAY, YEAR, World, obligation
from localcompact.reports.tests.test_disclosure import small_disagreements

from .conftest import ARTIFACTS, check_accessibility

D = dt.date


@pytest.fixture
def world(transactional_db, monkeypatch):
    monkeypatch.setattr(views, "_today", lambda: TODAY)
    monkeypatch.setattr("django_q.tasks.async_task", lambda *args, **kwargs: None)
    world = World()
    c = world.leicester
    for n, status in enumerate(("met", "met", "met", "missed", "met_late", "excused")):
        obligation(c, "consultation-minimum-period", D(2025, 3, 1 + n), status)
        obligation(c, "payment-on-time", D(2024, 3, 1 + n), status)
    for n, status in enumerate(("met", "missed", "met")):
        obligation(c, "funding-confirmed-before-start", D(2025, 5, 1 + n), status)
        obligation(c, "payment-in-advance", D(2025, 6, 1 + n), status)
    user = world.user("support")
    user.set_password(PASSWORD)
    user.save()
    return world


def visit(page, url, name, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)


def test_anyone_reads_the_index_the_years_and_a_report(page, live_server, world, monkeypatch):
    small_disagreements(world.leicester, monkeypatch)
    base = live_server.url
    visit(page, f"{base}/reports/", "reports-index")
    with page.expect_navigation():
        page.click("text=Leicester Compact")
    check_accessibility(page, "reports-compact")
    with page.expect_navigation():
        page.click(f"main a:has-text('{YEAR}')")
    assert f"Annual report {YEAR}" in page.inner_text("h1")
    check_accessibility(page, "reports-report")
    assert page.locator("svg[role=img] title").count() >= 4
    text = page.inner_text("main")
    assert "Consultations that ran for at least the minimum period" in text
    assert "60%" in text and "3 of 5" in text
    disagreements = page.locator("section[aria-labelledby=section-disagreements]")
    assert "fewer than 5" in disagreements.inner_text()
    disagreements.screenshot(path=str(ARTIFACTS / "reports-disagreements-section.png"))
    assert page.js_errors == []


def test_a_large_report_shows_its_progress_and_the_support_team_asks_again(
    page, live_server, world, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_LIMIT", 0)
    base = live_server.url
    visit(page, f"{base}/reports/leicester/{YEAR}/", "reports-being-generated")
    assert "The report is being generated: 0%" in page.inner_text("main")
    report = AnnualReport.objects.get(year=YEAR)
    assert report.status == ReportStatus.QUEUED
    # a worker takes it and gets a third of the way
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=35)
    with page.expect_navigation():
        page.click("text=Check again now")
    assert "being generated: 35%" in page.inner_text("main")
    check_accessibility(page, "reports-being-generated-35")
    # the worker finishes (the task's own function, run here)
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED)
    services.report_generate(report_id=report.pk, today=TODAY, now=timezone.now(), pdf=False)
    with page.expect_navigation():
        page.click("text=Check again now")
    assert f"Annual report {YEAR}" in page.inner_text("h1")
    assert "Download the report (PDF)" in page.inner_text("main")

    browser_sign_in(page, base, world.user("support"), PASSWORD)
    page.goto(f"{base}/reports/leicester/{YEAR}/")
    with page.expect_navigation():
        page.click("main button:has-text('Generate the report again')")
    assert "A new version of this report is being generated" in page.inner_text("main")
    check_accessibility(page, "reports-regenerating")
    assert page.js_errors == []
