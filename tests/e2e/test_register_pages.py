"""The register in Chromium: someone searches it, narrows it, opens an organisation;
the support team reads its history. axe checks every page and state (results, empty,
error, more than one page), and the search works with JavaScript off."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from localcompact.compacts.models import Compact
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Identifier,
    Kind,
    Organisation,
    Signature,
)
from localcompact.organisations.tests.test_register_fixtures import (
    organisation_made,
    person_made,
    with_authenticator,
)

from .conftest import check_accessibility


def signed(organisation, compact, on, **fields):
    return Signature.objects.create(
        compact=compact,
        version=compact.current_version,
        organisation=organisation,
        organisation_name=organisation.name,
        signatory_name="Pat Example",
        signatory_position="Chair of trustees",
        signed_on=on,
        method=Signature.Method.PAPER,
        **fields,
    )


@pytest.fixture
def register(compacts):
    leicester = Compact.objects.get(slug="leicester")
    herefordshire = Compact.objects.get(slug="herefordshire")
    bank = organisation_made(
        "Aylestone Food Bank",
        kind=Kind.REGISTERED_CHARITY,
        identifiers=("GB-CHC-1234567",),
        area_served="Aylestone",
        website="https://aylestone-food.example.org",
        bme_led=True,
    )
    signed(bank, leicester, dt.date(2023, 3, 1), withdrawn_on=dt.date(2024, 1, 5))
    signed(bank, leicester, dt.date(2025, 2, 1))
    signed(bank, herefordshire, dt.date(2024, 6, 1))
    council = organisation_made("Council of Testshire", sector="public", kind=Kind.COUNCIL)
    signed(council, leicester, dt.date(2024, 4, 2))
    Organisation.objects.bulk_create(
        Organisation(name=f"Testshire Group {n:02d}", slug=f"testshire-group-{n:02d}", sector="vcs")
        for n in range(60)
    )
    Identifier.objects.create(organisation=council, scheme="GB-LAE", value="TST")
    return bank


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)
    assert page.js_errors == [], page.js_errors
    return response


def test_someone_searches_the_register_and_opens_an_organisation(page, live_server, register):
    base = live_server.url
    visit(page, f"{base}/register/", "register")
    assert "62 organisations" in page.inner_text("h2#results")
    assert page.locator(".govuk-pagination__item--current").inner_text().strip() == "1"

    page.fill("#q", "food")
    page.select_option("#status", "signed")
    with page.expect_navigation():
        page.click("button:has-text('Search the register')")
    assert "q=food" in page.url and "status=signed" in page.url
    check_accessibility(page, "register-results")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "GB-CHC-1234567" in row
    assert "withdrew on 5 January 2024" in row
    assert "signed again on 1 February 2025" in row

    with page.expect_navigation():
        page.click("a:has-text('Aylestone Food Bank')")
    assert page.url.endswith(register.get_absolute_url())
    check_accessibility(page, "register-org")
    main = page.inner_text("main")
    assert "Signed again on paper on 1 February 2025" in main
    assert "History of changes" not in main

    visit(page, f"{base}/register/?q=GB-LAE-TST", "register-identifier")
    assert page.locator("tbody tr").count() == 1
    visit(page, f"{base}/register/?page=2", "register-page-2")
    visit(page, f"{base}/register/?compact=leicester", "register-compact")
    assert page.inner_text("h1") == "Register of signatories"
    visit(page, f"{base}/register/?q=zzzz", "register-empty")
    assert "No organisation on the register matches" in page.inner_text("main")
    visit(page, f"{base}/register/?sector=pirates&kind=dragons", "register-error", status=400)
    summary = page.inner_text(".govuk-error-summary")
    assert "Choose a sector from the list" in summary
    assert "Choose a kind of organisation from the list" in summary
    page.click(".govuk-error-summary a:has-text('Choose a sector')")
    assert page.evaluate("document.activeElement.id") == "sector"


def test_the_search_works_without_javascript(browser, live_server, register):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/register/")
    page.fill("#q", "aylestone")
    page.check("#flags_0")  # BME-led
    page.click("button:has-text('Search the register')")
    assert "q=aylestone" in page.url and "flags=bme_led" in page.url
    assert page.locator("tbody tr").count() == 1
    context.close()


def test_the_support_team_reads_an_organisation_s_history(page, live_server, register):
    support = with_authenticator(person_made("sam"))
    CompactRole.objects.create(
        compact=Compact.objects.get(slug="leicester"),
        user=support,
        kind=CompactRoleKind.SUPPORT_TEAM,
    )
    register.area_served = "Aylestone and Saffron"
    register._history_user = support
    register.save()
    client = Client()
    client.force_login(support)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    visit(page, f"{live_server.url}{register.get_absolute_url()}", "register-org-support")
    with page.expect_navigation():
        page.click("a:has-text('History of changes')")
    check_accessibility(page, "register-org-history")
    cards = page.locator(".govuk-summary-card")
    newest = cards.first
    assert newest.locator("h2").inner_text() == "Organisation changed"
    assert "by sam" in newest.inner_text()
    assert "Aylestone and Saffron" in newest.inner_text()


def test_history_is_refused_to_someone_outside_the_support_team(page, live_server, register):
    outsider = person_made("olly")
    client = Client()
    client.force_login(outsider)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    visit(
        page,
        f"{live_server.url}{register.get_absolute_url()}history/",
        "register-org-history-refused",
        status=403,
    )
