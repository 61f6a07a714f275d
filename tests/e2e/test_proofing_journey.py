"""Compact-proofing in Chromium: a council officer checks a draft consultation against the
Leicester compact (a mistake on the form first), reads the report (a consultation too
short, jargon unexplained, each with its clause), uploads a corrected draft that passes
and carries the compact mark, and a member of the council reads the reports. axe checks
every page and state visited; the form also works with JavaScript off."""

import pytest

from localcompact.accounts.testing import browser_sign_in
from localcompact.proofing import views
from localcompact.proofing.tests.conftest import NOW, PASSWORD, World
from localcompact.proofing.tests.factories import consultation

from .conftest import check_accessibility


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
