"""A newcomer's whole way onto the register, in one walk in Chromium.

Someone with no account signs up, confirms their e-mail address from the link in the
e-mail, signs in, adds their organisation, invites a colleague, signs the Leicester
pledge online for it, signs out and finds it on the public register with the date it
signed. axe checks every page and state on the way (zero WCAG 2.0/2.1/2.2 A and AA
problems), and the pages must load without a script error or a missing asset.
"""

import datetime as dt
import re

import pytest
from django.core import mail

from localcompact.organisations.models import Invitation, Membership, Role, Signature
from localcompact.organisations.views import manage

from .conftest import check_accessibility

pytestmark = pytest.mark.usefixtures("real_mfa")

TODAY = dt.date(2026, 3, 4)
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
EMAIL = "nadia@saffron-lane.example.org"
PASSPHRASE = "saffron lane grows runner beans every summer"


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)
    return response


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def follow(page, link: str) -> None:
    with page.expect_navigation():
        page.click(f"main a:has-text('{link}')")


def main_text(page) -> str:
    return " ".join(page.inner_text("main").split())


def test_a_newcomer_signs_up_and_their_signed_organisation_is_on_the_register(
    page, live_server, compacts, settings, monkeypatch
):
    base = live_server.url
    # E-mails link to the site's address: here, the test server.
    settings.SITE_URL = base
    monkeypatch.setattr(manage, "today", lambda: TODAY)
    monkeypatch.setattr(manage, "now", lambda: NOW)
    mail.outbox.clear()

    # Signing up, and confirming the address from the e-mail.
    visit(page, f"{base}/accounts/signup/", "journey-sign-up")
    page.fill("#email", EMAIL)
    page.fill("#password1", PASSPHRASE)
    page.fill("#password2", PASSPHRASE)
    submit(page, "Sign Up")
    check_accessibility(page, "journey-verification-sent")
    [confirmation] = mail.outbox
    assert confirmation.to == [EMAIL]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", confirmation.body).group(0)
    # allauth links on the host the sign-up came by, which is this server.
    visit(page, link, "journey-confirm-email")
    submit(page, "Confirm")

    # Signing in with the new account.
    visit(page, f"{base}/sign-in/", "journey-sign-in")
    page.fill("#login", EMAIL)
    page.fill("#password", PASSPHRASE)
    submit(page, "Sign In")
    assert page.locator("header button:has-text('Sign out')").is_visible()
    check_accessibility(page, "journey-signed-in")

    # Adding the organisation: a mistake first, which keeps what was typed.
    visit(page, f"{base}/organisations/new/", "journey-organisation-new")
    page.fill("#name", "Saffron Lane Growing Project")
    page.select_option("#scheme_1", "GB-CHC")
    page.fill("#value_1", "1176543")
    submit(page, "Add the organisation")
    assert "Choose the organisation" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#name") == "Saffron Lane Growing Project"
    check_accessibility(page, "journey-organisation-new-error")
    page.get_by_label("Voluntary and community sector").check()
    page.select_option("#kind", "community_group")
    page.fill("#area_served", "Saffron Lane, Leicester")
    page.locator("#has_equality_policy_0").check()
    submit(page, "Add the organisation")
    assert "Saffron Lane Growing Project added" in main_text(page)
    check_accessibility(page, "journey-organisation-created")
    membership = Membership.objects.get(user__email=EMAIL)
    organisation = membership.organisation
    assert membership.role == Role.ADMINISTRATOR
    slug = organisation.slug

    # Inviting a colleague, by e-mail.
    follow(page, "Invite colleagues")
    check_accessibility(page, "journey-invite")
    page.fill("#email", "femi@saffron-lane.example.org")
    page.get_by_label("Officer", exact=True).check()
    submit(page, "Send the invitation")
    assert "Invitation sent to femi@saffron-lane.example.org" in main_text(page)
    check_accessibility(page, "journey-invited")
    invitation_email = mail.outbox[-1]
    assert invitation_email.to == ["femi@saffron-lane.example.org"]
    assert re.search(rf"{re.escape(base)}/invitations/[A-Za-z0-9_-]+/", invitation_email.body)
    assert Invitation.objects.get(organisation=organisation).role == Role.OFFICER

    # Signing the Leicester pledge online: the new account has no name yet, so the
    # signatory's name is typed; the confirmation is forgotten first.
    follow(page, "Sign the Leicester")
    assert page.url == f"{base}/organisations/{slug}/pledge/leicester/"
    check_accessibility(page, "journey-pledge")
    assert page.input_value("#organisation_name") == "Saffron Lane Growing Project"
    page.fill("#signatory_name", "Nadia Rahman")
    page.fill("#signatory_position", "Coordinator")
    submit(page, "Sign the pledge")
    assert "Confirm that the organisation" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#signatory_name") == "Nadia Rahman"
    check_accessibility(page, "journey-pledge-error")
    page.locator("#confirmed").check()
    submit(page, "Sign the pledge")
    assert "Pledge signed" in main_text(page)
    check_accessibility(page, "journey-pledge-signed")
    signed = mail.outbox[-1]
    assert signed.to == [EMAIL]
    assert f"{base}/organisations/{slug}/" in signed.body
    signature = Signature.objects.get(organisation=organisation)
    assert (signature.method, signature.signed_on) == (Signature.Method.ONLINE, TODAY)
    assert signature.recorded_by == membership.user

    # Signed out, anyone finds it on the public register.
    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")
    visit(page, f"{base}/register/?q=saffron+lane", "journey-register-search")
    assert "Saffron Lane Growing Project" in main_text(page)
    follow(page, "Saffron Lane Growing Project")
    assert page.url == f"{base}/organisations/{slug}/"
    check_accessibility(page, "journey-register-organisation")
    assert re.search(r"Signed\b[^.]* on 4 March 2026", main_text(page))
    assert page.js_errors == []
