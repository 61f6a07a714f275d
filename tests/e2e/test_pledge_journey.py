"""Signing up to a compact, in Chromium, as the people who do it.

A newcomer signs in, adds their organisation (a mistake first), invites a colleague,
signs the Leicester pledge (without the confirmation first) and finds the organisation
on the public register; the colleague accepts the invitation from the e-mail, and
claims a club already on the register that has no administrator. Then a member of
Leicester's support team approves the claim, finds the club, records the paper pledge it
sent by post, verifies it, and later records the withdrawal it sent; the register shows
both. axe checks
every page and state visited (zero WCAG A/AA problems).
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from localcompact.accounts.testing import browser_sign_in, verified_email
from localcompact.compacts.models import Compact
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Role,
    Signature,
)
from localcompact.organisations.views import manage

from .conftest import check_accessibility

TODAY = dt.date(2026, 3, 4)
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery staple"


def make_user(username: str, first: str, last: str, email: str):
    return get_user_model().objects.create_user(
        username, email=email, password=PASSWORD, first_name=first, last_name=last
    )


@pytest.fixture
def people(compacts, monkeypatch):
    monkeypatch.setattr(manage, "today", lambda: TODAY)
    monkeypatch.setattr(manage, "now", lambda: NOW)
    support = make_user("sam", "Sam", "Okafor", "sam@support.example.org")
    CompactRole.objects.create(
        compact=Compact.objects.get(slug="leicester"),
        user=support,
        kind=CompactRoleKind.SUPPORT_TEAM,
    )
    return {
        "newcomer": make_user("priya", "Priya", "Shah", "priya@allotments.example.org"),
        "colleague": make_user("tom", "Tom", "Baker", "tom@allotments.example.org"),
        "support": support,
    }


def visit(page, url: str, name: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    check_accessibility(page, name)
    return response


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.click(f"main button:has-text('{button}')")


def sign_in(page, base: str, user) -> None:
    browser_sign_in(page, base, user, PASSWORD)


def sign_out(page) -> None:
    with page.expect_navigation():
        page.click("header button:has-text('Sign out')")


def fill_date(page, field: str, day: dt.date) -> None:
    page.fill(f"#{field}-day", str(day.day))
    page.fill(f"#{field}-month", str(day.month))
    page.fill(f"#{field}-year", str(day.year))


def main_text(page) -> str:
    return " ".join(page.inner_text("main").split())


def test_a_newcomer_signs_up_their_organisation_and_the_support_team_keeps_the_register(
    page, live_server, people
):
    base = live_server.url
    newcomer, colleague = people["newcomer"], people["colleague"]

    # Signing in through the sign-in page.
    visit(page, f"{base}/sign-in/", "pledge-sign-in")
    sign_in(page, base, newcomer)

    # Adding the organisation: a mistake first, then right.
    visit(page, f"{base}/organisations/new/", "organisation-new")
    page.fill("#name", "Saffron Lane Allotments Society")
    page.select_option("#scheme_1", "GB-CHC")
    page.fill("#value_1", "12AB")
    submit(page, "Add the organisation")
    summary = page.inner_text(".govuk-error-summary")
    assert "Choose the organisation" in summary and "in the right form" in summary
    assert page.input_value("#name") == "Saffron Lane Allotments Society"
    check_accessibility(page, "organisation-new-error")
    page.get_by_label("Voluntary and community sector").check()
    page.select_option("#kind", "community_group")
    page.fill("#value_1", "1187654")
    page.fill("#area_served", "Saffron Lane, Leicester")
    page.get_by_label("Receives public funding").check()
    page.locator("#has_equality_policy_0").check()
    submit(page, "Add the organisation")
    assert "Saffron Lane Allotments Society added" in main_text(page)
    check_accessibility(page, "organisation-created")
    organisation = Organisation.objects.get(name="Saffron Lane Allotments Society")
    slug = organisation.slug

    # Inviting a colleague.
    with page.expect_navigation():
        page.click("main a:has-text('Invite colleagues')")
    check_accessibility(page, "invite")
    page.fill("#email", "tom@allotments.example.org")
    page.get_by_label("Officer", exact=True).check()
    submit(page, "Send the invitation")
    assert "Invitation sent to tom@allotments.example.org" in main_text(page)
    check_accessibility(page, "members-invited")
    [invitation_email] = mail.outbox
    link = re.search(r"https?://[^\s]+/invitations/[A-Za-z0-9_-]+/", invitation_email.body)
    assert link, invitation_email.body

    # Signing the Leicester pledge: without the confirmation first.
    with page.expect_navigation():
        page.click("main a:has-text('Sign the Leicester')")
    assert page.url == f"{base}/organisations/{slug}/pledge/leicester/"
    check_accessibility(page, "pledge")
    assert page.input_value("#organisation_name") == "Saffron Lane Allotments Society"
    assert page.input_value("#signatory_name") == "Priya Shah"
    assert page.input_value("#signed_on-day") == "4"
    page.fill("#signatory_position", "Secretary")
    submit(page, "Sign the pledge")
    assert "Confirm that the organisation" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#signatory_position") == "Secretary"
    check_accessibility(page, "pledge-error")
    page.locator("#confirmed").check()
    submit(page, "Sign the pledge")
    assert "Pledge signed" in main_text(page)
    check_accessibility(page, "pledge-signed")
    assert mail.outbox[-1].to == ["priya@allotments.example.org"]
    assert mail.outbox[-1].subject.startswith("Pledge signed: Saffron Lane Allotments Society")

    # The pledge cannot be signed twice, and a compact without signing says so.
    visit(page, f"{base}/organisations/{slug}/pledge/leicester/", "pledge-already")
    assert "has already signed" in main_text(page)
    visit(page, f"{base}/organisations/{slug}/pledge/city-together/", "pledge-no-signing")
    assert "does not take signatures here" in main_text(page)
    # The last administrator is told why they cannot leave.
    visit(page, f"{base}/organisations/{slug}/leave/", "leave-last-administrator")
    assert "only administrator" in main_text(page)

    # Anyone finds it on the public register.
    sign_out(page)
    visit(page, f"{base}/register/?q=Saffron+Lane", "register-search")
    with page.expect_navigation():
        page.click("main a:has-text('Saffron Lane Allotments Society')")
    assert page.url == f"{base}/organisations/{slug}/"
    check_accessibility(page, "register-organisation-signed")
    assert re.search(r"Signed\b[^.]* on 4 March 2026", main_text(page))

    # The colleague accepts the invitation from the e-mail.
    page.goto(re.sub(r"^https?://[^/]+", base, link.group(0)))  # on SITE_URL
    assert "/sign-in/" in page.url
    page.fill("#login", verified_email(colleague))
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button:has-text('Sign In')")
    assert page.url == f"{base}/invitations/accept/"
    check_accessibility(page, "invitation")
    assert "Priya Shah has invited you" in main_text(page)
    submit(page, "Join Saffron Lane Allotments Society")
    assert "You have joined Saffron Lane Allotments Society as an officer" in main_text(page)
    check_accessibility(page, "members-as-officer")
    assert Membership.objects.get(user=colleague).role == Role.OFFICER
    visit(page, f"{base}/organisations/{slug}/leave/", "leave")

    # The colleague also claims a club already on the register, which has no administrator.
    Organisation.objects.create(
        name="Eyres Monsell Lunch Club", slug="eyres-monsell-lunch-club", sector="vcs"
    )
    visit(page, f"{base}/organisations/eyres-monsell-lunch-club/claim/", "claim")
    submit(page, "Send the claim")
    assert "Say who you are" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "claim-error")
    page.fill("#reason", "I run the club on Tuesdays; the community centre can vouch for me.")
    submit(page, "Send the claim")
    assert "Claim sent" in main_text(page)
    check_accessibility(page, "claim-sent")
    sign_out(page)

    # The support team approves the claim...
    sign_in(page, base, people["support"])
    visit(page, f"{base}/support/", "support-index")
    visit(page, f"{base}/support/leicester/", "support")
    with page.expect_navigation():
        page.click("main a:has-text('Eyres Monsell Lunch Club')")
    check_accessibility(page, "claim-decide")
    page.get_by_label("Approve the claim").check()
    submit(page, "Save the decision")
    assert "Claim approved: Tom Baker is now an administrator" in main_text(page)
    check_accessibility(page, "claim-approved")
    assert (
        Membership.objects.get(user=colleague, organisation__slug="eyres-monsell-lunch-club").role
        == Role.ADMINISTRATOR
    )

    # ...records the paper pledge the club sent by post...
    visit(page, f"{base}/support/leicester/", "support-after-claim")
    page.fill("#q", "lunch club")
    with page.expect_navigation():
        page.click("main button:has-text('Search')")
    check_accessibility(page, "support-search")
    with page.expect_navigation():
        page.click("main a:has-text('Eyres Monsell Lunch Club')")
    check_accessibility(page, "support-organisation")
    with page.expect_navigation():
        page.click("main a:has-text('Record a paper pledge')")
    check_accessibility(page, "paper-pledge")
    page.fill("#signatory_name", "Joan Smith")
    page.fill("#signatory_position", "Chair")
    fill_date(page, "signed_on", TODAY - dt.timedelta(days=2))
    fill_date(page, "received_on", TODAY - dt.timedelta(days=6))
    submit(page, "Record the pledge")
    assert "must be the same as or after" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "paper-pledge-error")
    fill_date(page, "received_on", TODAY)
    page.locator("#confirmed").check()
    submit(page, "Record the pledge")
    assert "Pledge recorded" in main_text(page)
    assert "Recorded by Sam Okafor" in main_text(page)
    check_accessibility(page, "paper-pledge-recorded")
    assert mail.outbox[-1].to == ["tom@allotments.example.org"]  # its new administrator

    # ...verifies it...
    visit(page, f"{base}/support/leicester/organisations/eyres-monsell-lunch-club/", "support-org")
    with page.expect_navigation():
        page.click("main a:has-text('Verify')")
    check_accessibility(page, "verify")
    submit(page, "Mark as verified")
    assert "is marked as verified" in main_text(page)
    check_accessibility(page, "verified")

    # ...and later its written notice of withdrawal.
    with page.expect_navigation():
        page.click("main a:has-text('Record a withdrawal')")
    check_accessibility(page, "paper-withdrawal")
    page.fill("#reason", "The club has closed.")
    submit(page, "Record the withdrawal")
    assert "Withdrawal recorded" in main_text(page)
    check_accessibility(page, "paper-withdrawal-recorded")
    signature = Signature.objects.get(organisation__slug="eyres-monsell-lunch-club")
    assert (signature.recorded_by, signature.withdrawal_recorded_by) == (
        people["support"],
        people["support"],
    )

    # The roles it gives, with who gave them.
    visit(page, f"{base}/support/leicester/roles/", "roles")
    with page.expect_navigation():
        page.click("main a:has-text('Give someone a role')")
    check_accessibility(page, "role-grant")
    page.fill("#email", "tom@allotments.example.org")
    page.get_by_label("Mediator", exact=True).check()
    submit(page, "Give the role")
    assert "Enter the reference of the case" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "role-grant-error")
    page.fill("#case", "D-2026-7")
    submit(page, "Give the role")
    assert "Tom Baker is now a mediator" in main_text(page)
    check_accessibility(page, "roles-granted")

    # The register shows the withdrawal with its date.
    sign_out(page)
    visit(page, f"{base}/organisations/eyres-monsell-lunch-club/", "register-withdrawn")
    assert re.search(r"Withdr[a-z]+ on 4 March 2026", main_text(page))
    assert page.js_errors == []
