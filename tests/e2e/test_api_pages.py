"""The API's pages in Chromium: the guide for anyone; a person makes a personal token, sees
it once, uses it, and revokes it. axe checks every page and state visited."""

import json
import urllib.request

import pytest

from localcompact.accounts.testing import browser_sign_in
from localcompact.obligations.tests.page_factories import PASSWORD, make_user

from .conftest import check_accessibility


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)


def call(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 (the test server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db(transaction=True)
def test_the_guide_is_public(page, live_server):
    visit(page, f"{live_server.url}/api/", "api-guide")
    assert page.locator("h1").inner_text() == "The LocalCompact API"
    guide = page.content()
    for scope in ("consultations:write", "responses:write", "meetings:write", "funding:write"):
        assert f"<code>{scope}</code>" in guide
    assert "POST /api/awards/12/payments" in guide
    with page.expect_navigation():
        page.click("text=The OpenAPI schema")
    assert json.loads(page.locator("body").inner_text())["info"]["title"] == "LocalCompact API"


@pytest.mark.django_db(transaction=True)
def test_a_person_makes_uses_and_revokes_a_token(page, live_server):
    user = make_user("pat")
    browser_sign_in(page, live_server.url, user, PASSWORD)
    visit(page, f"{live_server.url}/api/tokens/", "api-tokens-empty")
    assert "You have no tokens yet" in page.content()

    # nothing typed is lost on an error
    page.fill("#name", "Grants system")
    page.fill("#expires_on-day", "31")
    page.fill("#expires_on-month", "2")
    page.fill("#expires_on-year", "2030")
    with page.expect_navigation():
        page.click("button:has-text('Make the token')")
    check_accessibility(page, "api-tokens-error")
    assert page.input_value("#name") == "Grants system"
    page.click(".govuk-error-summary a")
    assert page.evaluate("document.activeElement.id") == "expires_on-day"

    page.fill("#expires_on-day", "28")
    assert page.locator("input[value='funding:write']").count() == 1
    page.check("input[value='obligations:read']")
    with page.expect_navigation():
        page.click("button:has-text('Make the token')")
    check_accessibility(page, "api-token-made")
    token = page.input_value("#token")
    assert token.startswith("lc_")

    status, body = call(f"{live_server.url}/api/me", token)
    assert status == 200 and body["scopes"] == ["obligations:read"]

    visit(page, f"{live_server.url}/api/tokens/", "api-tokens-list")
    assert token not in page.content()
    with page.expect_navigation():
        page.click("a:has-text('Revoke')")
    check_accessibility(page, "api-token-revoke")
    with page.expect_navigation():
        page.click("button:has-text('Revoke the token')")
    check_accessibility(page, "api-token-revoked")
    assert "was revoked" in page.content()
    assert call(f"{live_server.url}/api/me", token)[0] == 401
