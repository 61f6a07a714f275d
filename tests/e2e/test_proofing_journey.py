"""Compact-proofing in Chromium: a council officer checks a draft consultation against the
Leicester compact (a mistake on the form first), reads the report (a consultation too
short, jargon unexplained, each with its clause), uploads a corrected draft that passes
and carries the compact mark, and a member of the council reads the reports. Then an
officer uploads a Word draft, attaches its report to the council's consultation
(choosing, then confirming it becomes public), a visitor reads the public report, the
officer removes it as evidence (confirming; the failing report is private again), and a
visitor checks a compact mark by its reference. axe checks every page and state visited; the
forms also work with JavaScript off."""

import datetime as dt

import docx
import pytest

from localcompact.accounts.testing import browser_sign_in
from localcompact.consultations.models import Consultation
from localcompact.proofing import services, views
from localcompact.proofing.tests.conftest import NOW, PASSWORD, TODAY, World
from localcompact.proofing.tests.factories import consultation

from .conftest import ARTIFACTS, check_accessibility


@pytest.fixture
def world(compacts, monkeypatch):
    monkeypatch.setattr(views, "now", lambda: NOW)
    return World()


def visit(page, url: str, name: str) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    check_accessibility(page, name)


def submit(page, label: str) -> None:
    with page.expect_navigation():
        page.click(f"main button:has-text('{label}')")


def test_an_officer_checks_a_draft_fixes_it_and_a_member_reads_the_reports(
    page, live_server, world, tmp_path
):
    base = live_server.url
    browser_sign_in(page, base, world.user("officer"), PASSWORD)
    visit(page, f"{base}/proofing/", "proofing-index")
    with page.expect_navigation():
        page.click("main a:has-text('check a draft')")
    check_accessibility(page, "proofing-new")

    page.fill("#title", "Library consultation")
    page.check("label:has-text('A consultation document')")
    submit(page, "Check the draft")
    summary = page.inner_text(".govuk-error-summary")
    assert "Choose the compact" in summary
    assert "Paste the text of the draft or upload it as a file" in summary
    assert page.input_value("#title") == "Library consultation"
    check_accessibility(page, "proofing-new-errors")

    page.select_option("#compact", str(world.leicester.pk))
    page.fill(
        "#text",
        consultation(weeks=6) + " Going forward, stakeholders will see a step change.",
    )
    submit(page, "Check the draft")
    main = page.inner_text("main")
    assert "1 thing must be fixed" in main
    assert "Too short: Twelve weeks" in main
    assert "004_2de5eed66f52019d.txt 4.d.8" in main
    assert "jargon terms with no explanation" in main
    assert "Compact-proofed against" not in main
    check_accessibility(page, "proofing-report-failing")

    with page.expect_navigation():
        page.click("main a:has-text('Check another draft')")
    draft = tmp_path / "library-v2.txt"
    draft.write_text(consultation(weeks=12), encoding="utf-8")
    page.fill("#title", "Library consultation, version 2")
    page.select_option("#compact", str(world.leicester.pk))
    page.check("label:has-text('A consultation document')")
    page.set_input_files("#document", str(draft))
    submit(page, "Check the draft")
    assert (
        "Compact-proofed against the Leicester Compact: Working Better Together, 4 March 2026"
        in (page.inner_text(".govuk-panel"))
    )
    assert "library-v2.txt" in page.inner_text("main")
    check_accessibility(page, "proofing-report-passing")

    page.context.clear_cookies()
    browser_sign_in(page, base, world.user("member"), PASSWORD)
    visit(page, f"{base}/proofing/organisations/{world.council.slug}/", "proofing-list")
    rows = page.inner_text("table")
    assert "Library consultation, version 2" in rows and "Passes" in rows and "1 to fix" in rows
    with page.expect_navigation():
        page.click("main a:has-text('Library consultation, version 2')")
    check_accessibility(page, "proofing-report-member")
    assert "Check another draft" not in page.inner_text("main")


def test_the_form_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        browser_sign_in(page, live_server.url, world.user("administrator"), PASSWORD)
        page.goto(f"{live_server.url}/proofing/organisations/{world.council.slug}/new/")
        page.fill("#title", "Newsletter")
        page.select_option("#compact", str(world.leicester.pk))
        page.check("label:has-text('Another policy, plan or publication')")
        page.fill("#text", "News from the council, which keeps to the Leicester Compact.")
        submit(page, "Check the draft")
        assert "Passes" in page.inner_text("main")
    finally:
        context.close()


def test_an_officer_uploads_a_word_draft_attaches_its_report_and_a_visitor_reads_it(
    page, live_server, world, tmp_path
):
    base = live_server.url
    consultation_record = Consultation.objects.create(
        compact=world.leicester,
        version=world.leicester.current_version,
        lead=world.council,
        title="Library opening hours",
        summary="Which hours suit you?",
        open_to_change="The hours.",
        who_affected="Library users.",
        announced_on=TODAY,
        opens_on=TODAY + dt.timedelta(days=14),
        closes_on=TODAY + dt.timedelta(days=98),
        status_changed_on=TODAY,
    )
    document = docx.Document()
    document.add_heading("Library opening hours: consultation paper", level=1)
    for sentence in consultation(weeks=6).split(". "):
        document.add_paragraph(sentence)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = (
        "Going forward",
        "Stakeholders will see a step change",
    )
    table.cell(1, 0).text, table.cell(1, 1).text = "Contact", "The library team"
    draft = tmp_path / "library-paper.docx"
    document.save(draft)

    browser_sign_in(page, base, world.user("officer"), PASSWORD)
    page.goto(f"{base}/proofing/organisations/{world.council.slug}/new/")
    page.fill("#title", "Library paper")
    page.select_option("#compact", str(world.leicester.pk))
    page.check("label:has-text('A consultation document')")
    page.set_input_files("#document", str(draft))
    submit(page, "Check the draft")
    main = page.inner_text("main")
    assert "Too short: Twelve weeks" in main and "004_2de5eed66f52019d.txt 4.d.8" in main
    assert "jargon terms with no explanation" in main
    assert "library-paper.docx" in main
    assert "Download the compact mark" not in main
    check_accessibility(page, "proofing-report-docx")

    with page.expect_navigation():
        page.click("main a:has-text('Attach as evidence')")
    check_accessibility(page, "proofing-attach")
    submit(page, "Continue")
    assert "Choose a consultation or a commissioning plan" in page.inner_text(
        ".govuk-error-summary"
    )
    check_accessibility(page, "proofing-attach-errors")
    page.check("label:has-text('Consultation: Library opening hours')")
    submit(page, "Continue")
    assert "The report will become public" in page.inner_text("main")
    check_accessibility(page, "proofing-attach-confirm")
    submit(page, "Attach and make public")
    assert "is now public" in page.inner_text(".govuk-notification-banner")
    assert "Library opening hours" in page.inner_text("main")
    check_accessibility(page, "proofing-report-attached")
    report_url = page.url

    page.context.clear_cookies()
    visit(page, report_url, "proofing-report-public")
    main = page.inner_text("main")
    assert "Anyone: public since" in main
    assert "library-paper.docx" not in main  # the file stays with the members
    assert consultation_record.title in main

    # The officer removes the evidence: the failing report is private again.
    browser_sign_in(page, base, world.user("officer"), PASSWORD)
    page.goto(report_url)
    with page.expect_navigation():
        page.click("main a:has-text('Remove this evidence')")
    warning = page.inner_text(".govuk-warning-text")
    assert "The report will no longer be public" in warning
    assert "cannot recall what was public before" in warning
    check_accessibility(page, "proofing-evidence-remove")
    submit(page, "Remove this evidence")
    assert "It is no longer public" in page.inner_text(".govuk-notification-banner")
    assert "Not attached to a consultation or plan" in page.inner_text("main")
    check_accessibility(page, "proofing-report-evidence-removed")
    page.context.clear_cookies()
    page.goto(report_url)
    assert page.url.startswith(f"{base}/sign-in/")  # private: sign in first
    page.goto(f"{base}{consultation_record.get_absolute_url()}")
    assert "Library paper" not in page.inner_text("main")

    passing = services.report_create(
        organisation=world.council,
        compact=world.leicester,
        kind="other",
        title="Library newsletter",
        text="News from the library, which keeps to the Leicester Compact.",
        by=world.user("officer"),
        now=NOW,
    )
    visit(page, f"{base}/proofing/marks/", "proofing-verify")
    page.fill("#reference", "CP-0000-0000-0000")
    submit(page, "Check the mark")
    assert "No compact mark has this reference" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "proofing-verify-errors")
    page.fill("#reference", passing.reference.lower())
    submit(page, "Check the mark")
    assert "This compact mark is genuine" in page.inner_text("main")
    assert "Library newsletter" in page.inner_text("main")
    assert page.evaluate("document.querySelector('img.lc-compact-mark').naturalWidth") == 480
    check_accessibility(page, "proofing-mark-verified")
    assert page.js_errors == []


def test_the_passing_report_and_its_mark_print_and_show_cleanly(page, live_server, world):
    passing = services.report_create(
        organisation=world.council,
        compact=world.leicester,
        kind="other",
        title="Library newsletter",
        text="News from the library, which keeps to the Leicester Compact.",
        by=world.user("officer"),
        now=NOW,
    )
    browser_sign_in(page, live_server.url, world.user("member"), PASSWORD)
    visit(page, f"{live_server.url}{passing.get_absolute_url()}", "proofing-report-mark")
    assert page.evaluate("document.querySelector('img.lc-compact-mark').naturalWidth") == 480
    page.emulate_media(media="print")
    assert not page.is_visible("header") and not page.is_visible("footer")
    assert not page.is_visible("main .govuk-button")
    assert page.is_visible("text=News from the library")  # the text checked, opened
    page.screenshot(path=str(ARTIFACTS / "proofing-report-print.png"), full_page=True)
    assert page.js_errors == []
