"""Accounts in Chromium: signing up with the link from the e-mail, signing in, and a
staff member setting up two-factor authentication. axe checks every page on the way."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from localcompact.accounts.testing import totp_code, verified_email

from .conftest import check_accessibility

pytestmark = pytest.mark.usefixtures("real_mfa")

PASSPHRASE = "a long and quite memorable passphrase"


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)
    return response


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def test_sign_up_verify_and_sign_in(page, live_server, transactional_db):
    base = live_server.url
    mail.outbox.clear()

    visit(page, f"{base}/accounts/signup/", "account-sign-up")
    page.fill("#email", "newcomer@example.org")
    page.fill("#password1", "too short")
    page.fill("#password2", "too short")
    submit(page, "Sign Up")
    assert page.locator(".govuk-error-summary").is_visible()
    check_accessibility(page, "account-sign-up-error")
    page.fill("#password1", PASSPHRASE)
    page.fill("#password2", PASSPHRASE)
    submit(page, "Sign Up")
    check_accessibility(page, "account-verification-sent")

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", base, link))
    check_accessibility(page, "account-confirm-email")
    submit(page, "Confirm")

    visit(page, f"{base}/sign-in/", "account-sign-in")
    page.fill("#login", "newcomer@example.org")
    page.fill("#password", "not the passphrase at all")
    submit(page, "Sign In")
    assert page.locator(".govuk-error-summary").is_visible()
    check_accessibility(page, "account-sign-in-error")
    page.fill("#password", PASSPHRASE)
    submit(page, "Sign In")
    # Signed in: the navigation offers signing out.
    assert page.locator("header button:has-text('Sign out')").is_visible()
    for path, name in [
        ("/accounts/email/", "account-email"),
        ("/accounts/password/change/", "account-password-change"),
        ("/accounts/2fa/", "account-mfa-index"),
        ("/accounts/delete/", "account-delete"),
        ("/sign-out/", "account-sign-out"),
    ]:
        visit(page, f"{base}{path}", name)
    submit(page, "Sign Out")
    visit(page, f"{base}/accounts/password/reset/", "account-password-reset")


def test_a_staff_member_sets_up_two_factor_authentication(page, live_server, transactional_db):
    base = live_server.url
    staff = get_user_model().objects.create_user("stella", password=PASSPHRASE, is_staff=True)
    email = verified_email(staff, "stella@example.org")

    page.goto(f"{base}/sign-in/")
    page.fill("#login", email)
    page.fill("#password", PASSPHRASE)
    submit(page, "Sign In")
    # Sent to set up an authenticator app, after confirming the password once more.
    assert "/accounts/reauthenticate/" in page.url
    assert "You must set up two-factor authentication" in page.inner_text("body")
    check_accessibility(page, "account-reauthenticate")
    page.fill("#password", PASSPHRASE)
    submit(page, "Confirm")
    assert "/accounts/2fa/totp/activate/" in page.url
    check_accessibility(page, "account-totp-activate")
    secret = page.input_value("#authenticator_secret")
    page.fill("#code", totp_code(secret))
    submit(page, "Activate")
    check_accessibility(page, "account-recovery-codes")
    visit(page, f"{base}/", "home-after-totp")
    visit(page, f"{base}/accounts/2fa/", "account-mfa-index-active")


def test_a_person_downloads_their_data_and_staff_erase_their_account(
    page, live_server, transactional_db
):
    """The personal-data page and its download; then a member of staff (with their
    authenticator app) carries out the person's deletion request."""
    from localcompact.accounts.models import DeletionRequest
    from localcompact.accounts.testing import browser_sign_in

    base = live_server.url
    person = get_user_model().objects.create_user(
        "leaver", password=PASSPHRASE, first_name="Lee", last_name="Ver"
    )
    staff = get_user_model().objects.create_user(
        "steward", password=PASSPHRASE, is_staff=True, first_name="Stew", last_name="Ard"
    )
    verified_email(person, "leaver@example.org")

    browser_sign_in(page, base, person, PASSPHRASE)
    visit(page, f"{base}/accounts/email/", "account-email-with-data-link")
    with page.expect_navigation():
        page.click("nav[aria-label='Your account'] a:has-text('Your personal data')")
    check_accessibility(page, "account-personal-data")
    with page.expect_download() as download:
        page.click("main a:has-text('Download your personal data')")
    assert download.value.suggested_filename.startswith("personal-data-")
    assert '"leaver@example.org"' in Path(download.value.path()).read_text()

    visit(page, f"{base}/accounts/delete/", "account-delete-before-request")
    page.fill("#reason", "I have moved away.")
    page.locator("#confirm").check()
    submit(page, "Ask for my account to be deleted")
    check_accessibility(page, "account-delete-requested")
    deletion = DeletionRequest.objects.get(user=person)
    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")

    browser_sign_in(page, base, staff, PASSPHRASE)
    visit(page, f"{base}/accounts/staff/deletion-requests/", "staff-deletion-requests")
    with page.expect_navigation():
        page.click("main a:has-text('Review')")
    assert page.url == f"{base}/accounts/staff/deletion-requests/{deletion.pk}/"
    check_accessibility(page, "staff-erase")
    submit(page, "Erase the account")
    assert "Confirm that you have checked" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "staff-erase-error")
    page.locator("#confirm").check()
    submit(page, "Erase the account")
    assert "Account erased" in page.inner_text("main")
    check_accessibility(page, "staff-erased")
    visit(page, f"{base}/accounts/staff/deletion-requests/", "staff-deletion-requests-done")
    person.refresh_from_db()
    assert person.get_full_name() == "a former user" and not person.is_active
    assert page.js_errors == []
