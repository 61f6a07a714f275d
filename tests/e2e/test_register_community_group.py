"""A small, unconstituted community group registers the short way, in Chromium.

Its contact (signed in, with a confirmed e-mail address) sends the form empty first,
then gives the group's name and neighbourhood and no identifier; the group appears on
the public register, marked as an unconstituted community group, and has its own page.
axe checks every page and state on the way (Redcar & Cleveland, 002_41c5fa4d4a1baeb0.txt,
Community groups and neighbourhoods code).
"""

from django.contrib.auth import get_user_model

from localcompact.accounts.testing import browser_sign_in
from localcompact.organisations.models import Organisation

from .conftest import check_accessibility

PASSWORD = "marsh lane keeps the green tidy together"


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def test_a_community_group_registers_with_its_name_and_area_only(page, live_server, compacts):
    base = live_server.url
    person = get_user_model().objects.create_user(
        "mina", email="mina@example.org", password=PASSWORD, first_name="Mina"
    )
    browser_sign_in(page, base, person, PASSWORD)
    visit(page, f"{base}/organisations/new/", "register-community-group-full-form")
    with page.expect_navigation():
        page.click("main a:has-text('register as a community group')")
    check_accessibility(page, "register-community-group-form")
    assert "mina@example.org" in page.inner_text("main")
    submit(page, "Register the group")
    summary = page.inner_text(".govuk-error-summary")
    assert "Enter the group's name" in summary
    assert "Enter the neighbourhood or area the group works in" in summary
    check_accessibility(page, "register-community-group-errors")
    page.fill("#name", "Marsh Lane Neighbours")
    page.fill("#area", "Marsh Lane and the Brook Street estate")
    page.fill("#public_email", "neighbours@example.org")
    submit(page, "Register the group")
    assert "Marsh Lane Neighbours added" in page.inner_text("h1")
    assert "Unconstituted community group" in page.inner_text("main")
    check_accessibility(page, "register-community-group-created")
    group = Organisation.objects.get(name="Marsh Lane Neighbours")
    assert group.unconstituted and not group.identifiers.exists()

    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")
    visit(page, f"{base}/register/?q=marsh", "register-community-group-listed")
    assert "Unconstituted community group" in page.inner_text("table")
    with page.expect_navigation():
        page.click("main a:has-text('Marsh Lane Neighbours')")
    main = page.inner_text("main")
    assert "Unconstituted community group" in main and "Brook Street estate" in main
    check_accessibility(page, "register-community-group-page")
    assert page.js_errors == []
