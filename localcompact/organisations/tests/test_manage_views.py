"""The pages for managing organisations, as the people who use them: what each shows,
the confirmation after each change, the error summary (with what was typed kept) after
each mistake, and the e-mails sent. Who may use each page is in test_permissions.

The people are the cast of test_services (see its docstring).
"""

import datetime as dt
import html as htmllib
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from localcompact.organisations import services
from localcompact.organisations.models import (
    Claim,
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Role,
    Signature,
)
from localcompact.organisations.views import manage

from .test_services import NOW, TODAY, Cast, make_cast, make_user, sign


@pytest.fixture
def cast(db, monkeypatch) -> Cast:
    monkeypatch.setattr(manage, "today", lambda: TODAY)
    monkeypatch.setattr(manage, "now", lambda: NOW)
    return make_cast()


def as_user(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    """The page's visible words, roughly: tags removed, spaces squeezed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def error_summary(response) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, flags=re.S)
    assert summary, "no error summary on the page"
    return [
        htmllib.unescape(re.sub(r"<[^>]+>", "", item).strip())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), flags=re.S)
    ]


def value_of(response, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', response.content.decode())
    return htmllib.unescape(match.group(1)) if match else None


def date(name: str, day: dt.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


# Adding an organisation ---------------------------------------------------------------


NEW = {
    "name": "Saffron Lane Allotments Society",
    "sector": "vcs",
    "kind": "community_group",
    "scheme_1": "GB-CHC",
    "value_1": "7654321",
    "area_served": "Saffron Lane, Leicester",
    "website": "https://allotments.example.org",
    "public_email": "hello@allotments.example.org",
    "income_band": "under_10k",
    "flags": ["receives_public_funding"],
    "has_equality_policy": "yes",
}


class TestAddingAnOrganisation:
    def test_a_newcomer_adds_one_and_is_shown_what_to_do_next(self, client, cast):
        response = as_user(client, cast.outsider).post(reverse("organisations:new"), NEW)
        organisation = Organisation.objects.get(name=NEW["name"])
        assert response["Location"] == reverse("organisations:created", args=[organisation.slug])
        page = client.get(response["Location"])
        assert "Saffron Lane Allotments Society added" in text(page)
        assert "You are its administrator" in text(page)
        assert "GB-CHC-7654321" in text(page)
        assert reverse("organisations:pledge", args=[organisation.slug, "leicester"]) in (
            page.content.decode()
        )
        assert organisation.receives_public_funding and organisation.has_equality_policy
        assert not organisation.bme_led
        assert organisation.memberships.get().user == cast.outsider

    def test_mistakes_are_listed_and_what_was_typed_is_kept(self, client, cast):
        data = {**NEW, "sector": "", "value_1": "12AB", "website": "not a website"}
        response = as_user(client, cast.outsider).post(reverse("organisations:new"), data)
        assert response.status_code == 400
        assert error_summary(response) == [
            "Choose the organisation's sector",
            "Enter a Charity Commission for England and Wales identifier in the right form, "
            "for example 1123456",
            "Enter a website address, like https://example.org",
        ]
        assert text(response).startswith("Error: Add your organisation")
        assert value_of(response, "name") == NEW["name"]
        assert value_of(response, "value_1") == "12AB"
        assert value_of(response, "area_served") == NEW["area_served"]
        assert not Organisation.objects.filter(name=NEW["name"]).exists()

    def test_an_identifier_that_is_taken_offers_to_claim_its_organisation(self, client, cast):
        data = {**NEW, "value_1": "1234567"}
        response = as_user(client, cast.outsider).post(reverse("organisations:new"), data)
        assert response.status_code == 400
        assert error_summary(response) == [
            "GB-CHC-1234567 already belongs to Braunstone Youth Trust on this site"
        ]
        claim = reverse("organisations:claim", args=[cast.trust.slug])
        assert f'href="{claim}"' in response.content.decode()
        assert "claim Braunstone Youth Trust instead" in text(response)

    def test_a_register_without_a_number_is_an_error_on_the_number(self, client, cast):
        data = {**NEW, "value_1": ""}
        response = as_user(client, cast.outsider).post(reverse("organisations:new"), data)
        assert error_summary(response) == [
            "Enter the Charity Commission for England and Wales number or code"
        ]
        assert 'href="#value_1"' in response.content.decode()


class TestClaiming:
    def test_a_claim_is_sent_and_its_administrators_decide(self, client, cast):
        url = reverse("organisations:claim", args=[cast.trust.slug])
        response = as_user(client, cast.outsider).post(url, {"reason": ""})
        assert error_summary(response) == [
            "Say who you are and why you should act for the organisation"
        ]
        response = client.post(url, {"reason": "I am the new chair."})
        assert "Claim sent" in text(client.get(response["Location"]))
        claim = Claim.objects.get()
        members = as_user(client, cast.administrator).get(
            reverse("organisations:members", args=[cast.trust.slug])
        )
        decide = reverse("organisations:claim_decide", args=[cast.trust.slug, claim.pk])
        assert decide in members.content.decode()
        response = client.post(decide, {"decision": "approve", "role": "officer"})
        assert response["Location"] == reverse("organisations:members", args=[cast.trust.slug])
        assert Membership.objects.get(user=cast.outsider).role == Role.OFFICER

    def test_a_claim_on_an_organisation_without_administrators_is_listed_for_support(
        self, client, cast
    ):
        orphan = Organisation.objects.create(name="Orphaned Group", slug="orphaned", sector="vcs")
        services.organisation_claim(organisation=orphan, by=cast.outsider, reason="Secretary.")
        page = as_user(client, cast.support).get(
            reverse("organisations:support", args=["leicester"])
        )
        assert "Orphaned Group" in text(page)


# Members and invitations -----------------------------------------------------------------


class TestMembers:
    def test_members_see_who_belongs_but_only_administrators_manage(self, client, cast):
        url = reverse("organisations:members", args=[cast.trust.slug])
        page = as_user(client, cast.member).get(url)
        assert "You are a member." in text(page)
        assert "Administrator Tester" in text(page) and "Officer Tester" in text(page)
        assert "Invite someone" not in text(page)
        assert "administrator@example.org" not in text(page)
        page = as_user(client, cast.administrator).get(url)
        assert "Invite someone" in text(page)
        assert "administrator@example.org" in text(page)
        remove = reverse(
            "organisations:member_remove",
            args=[cast.trust.slug, Membership.objects.get(user=cast.member).pk],
        )
        assert remove in page.content.decode()

    @override_settings(SITE_URL="https://compact.example.org")
    def test_an_invitation_is_e_mailed_with_a_link_that_works_once(self, client, cast):
        response = as_user(client, cast.administrator).post(
            reverse("organisations:invite", args=[cast.trust.slug]),
            {"email": "Newcomer@Example.org", "role": "officer"},
        )
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert "Invitation sent to Newcomer@Example.org" in text(page)
        assert "Newcomer@Example.org" in text(page)  # listed as waiting

        [email] = mail.outbox
        assert email.to == ["Newcomer@Example.org"]
        assert email.subject == "Join Braunstone Youth Trust on LocalCompact"
        assert "as an officer" in email.body
        html = email.alternatives[0][0]
        # On the configured site's address, whatever host the request came by.
        link = re.search(
            r"https://compact\.example\.org(/invitations/[A-Za-z0-9_-]{40,}/)", email.body
        )
        assert link and link.group(1) in html
        invitation = cast.trust.invitations.get()
        assert link.group(1).split("/")[2] not in invitation.token_hash

        newcomer = make_user("newcomer", email="newcomer@example.org")
        client.force_login(newcomer)
        response = client.get(link.group(1))
        assert response["Location"] == reverse("organisations:invitation_accept")
        page = client.get(response["Location"])
        assert (
            "Administrator Tester has invited you to join Braunstone Youth Trust as an officer"
            in (text(page))
        )
        response = client.post(reverse("organisations:invitation_accept"))
        assert response["Location"] == reverse("organisations:members", args=[cast.trust.slug])
        assert "You have joined Braunstone Youth Trust as an officer" in text(
            client.get(response["Location"])
        )
        assert Membership.objects.get(user=newcomer).role == Role.OFFICER

        client.get(link.group(1))
        again = client.get(reverse("organisations:invitation_accept"))
        assert again.status_code == 410
        assert "has already been used" in text(again)

    def test_an_invitation_opened_by_the_wrong_account_says_so(self, client, cast):
        _, token = services.invitation_create(
            organisation=cast.trust,
            email="newcomer@example.org",
            role=Role.MEMBER,
            by=cast.administrator,
            now=NOW,
        )
        as_user(client, cast.outsider).get(reverse("organisations:invitation", args=[token]))
        page = client.get(reverse("organisations:invitation_accept"))
        assert page.status_code == 403
        assert "sent to a different e-mail address" in text(page)
        assert "You are signed in as outsider" in text(page)

    def test_an_expired_invitation_says_to_ask_for_a_new_one(self, client, cast, monkeypatch):
        _, token = services.invitation_create(
            organisation=cast.trust,
            email="outsider@example.org",
            role=Role.MEMBER,
            by=cast.administrator,
            now=NOW - dt.timedelta(days=15),
        )
        as_user(client, cast.outsider).get(reverse("organisations:invitation", args=[token]))
        page = client.get(reverse("organisations:invitation_accept"))
        assert page.status_code == 410
        assert "has expired: invitations last 14 days" in text(page)

    def test_an_invitation_link_followed_before_signing_in_works_after(self, client, cast):
        _, token = services.invitation_create(
            organisation=cast.trust,
            email="outsider@example.org",
            role=Role.MEMBER,
            by=cast.administrator,
            now=NOW,
        )
        response = client.get(reverse("organisations:invitation", args=[token]))
        response = client.get(response["Location"])
        assert response["Location"].startswith(reverse("core:login"))
        client.force_login(cast.outsider)
        assert client.get(reverse("organisations:invitation_accept")).status_code == 200

    def test_a_mistyped_address_is_an_error_and_kept(self, client, cast):
        response = as_user(client, cast.administrator).post(
            reverse("organisations:invite", args=[cast.trust.slug]),
            {"email": "newcomer.example.org", "role": "officer"},
        )
        assert response.status_code == 400
        assert error_summary(response) == ["Enter an e-mail address, like name@example.org"]
        assert value_of(response, "email") == "newcomer.example.org"
        assert 'value="officer" checked' in response.content.decode()
        assert not mail.outbox

    def test_changing_a_role_is_confirmed(self, client, cast):
        membership = Membership.objects.get(user=cast.member)
        url = reverse("organisations:member", args=[cast.trust.slug, membership.pk])
        response = as_user(client, cast.administrator).post(url, {"role": "administrator"})
        page = client.get(response["Location"])
        assert "Member Tester is now an administrator of Braunstone Youth Trust" in text(page)

    def test_the_last_administrator_cannot_step_down(self, client, cast):
        membership = Membership.objects.get(user=cast.administrator)
        url = reverse("organisations:member", args=[cast.trust.slug, membership.pk])
        response = as_user(client, cast.administrator).post(url, {"role": "member"})
        assert response.status_code == 400
        assert error_summary(response) == [
            "You are the only administrator of Braunstone Youth Trust. Make another member an "
            "administrator first"
        ]

    def test_removing_asks_first_and_then_confirms(self, client, cast):
        membership = Membership.objects.get(user=cast.member)
        url = reverse("organisations:member_remove", args=[cast.trust.slug, membership.pk])
        page = as_user(client, cast.administrator).get(url)
        assert "Remove Member Tester?" in text(page)
        assert Membership.objects.filter(pk=membership.pk).exists()
        response = client.post(url)
        assert "Member Tester no longer belongs to Braunstone Youth Trust" in text(
            client.get(response["Location"])
        )
        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_revoking_an_invitation_asks_first_and_then_confirms(self, client, cast):
        invitation, _ = services.invitation_create(
            organisation=cast.trust,
            email="someone@example.org",
            role=Role.MEMBER,
            by=cast.administrator,
            now=NOW,
        )
        url = reverse("organisations:invitation_revoke", args=[cast.trust.slug, invitation.pk])
        assert "Revoke the invitation to someone@example.org?" in text(
            as_user(client, cast.administrator).get(url)
        )
        response = client.post(url)
        assert "Invitation to someone@example.org revoked" in text(client.get(response["Location"]))
        invitation.refresh_from_db()
        assert invitation.revoked_at == NOW


class TestLeaving:
    def test_a_member_leaves_after_confirming(self, client, cast):
        url = reverse("organisations:leave", args=[cast.trust.slug])
        assert "Leave Braunstone Youth Trust?" in text(as_user(client, cast.member).get(url))
        page = client.post(url)
        assert "You have left Braunstone Youth Trust" in text(page)
        assert not Membership.objects.filter(user=cast.member).exists()

    def test_the_last_administrator_is_told_why_they_cannot_leave(self, client, cast):
        url = reverse("organisations:leave", args=[cast.trust.slug])
        page = as_user(client, cast.administrator).get(url)
        assert "You are its only administrator, so you cannot leave yet" in text(page)
        assert "<button" not in page.content.decode().split('id="main-content"')[1]
        response = client.post(url)
        assert response.status_code == 400
        assert error_summary(response) == [
            "You are the only administrator of Braunstone Youth Trust, so you cannot leave. "
            "Make another member an administrator first"
        ]
        assert Membership.objects.filter(user=cast.administrator).exists()


# The pledge ----------------------------------------------------------------------------


def pledge_url(cast, compact="leicester") -> str:
    return reverse("organisations:pledge", args=[cast.trust.slug, compact])


PLEDGE = {
    "organisation_name": "Braunstone Youth Trust",
    "signatory_name": "Ada Tester",
    "signatory_position": "Chair of trustees",
    **date("signed_on", TODAY),
    "confirmed": "on",
}


class TestSigning:
    def test_the_form_asks_only_for_names_a_position_a_date_and_the_confirmation(
        self, client, cast
    ):
        page = as_user(client, cast.administrator).get(pledge_url(cast))
        html = page.content.decode()
        form = html.split('<form method="post" novalidate>')[1].split("</form>")[0]
        names = set(re.findall(r'name="([^"]+)"', form))
        assert names == {
            "csrfmiddlewaretoken",
            "organisation_name",
            "signatory_name",
            "signatory_position",
            "signed_on-day",
            "signed_on-month",
            "signed_on-year",
            "confirmed",
        }
        assert "<textarea" not in form
        assert value_of(page, "organisation_name") == "Braunstone Youth Trust"
        assert value_of(page, "signatory_name") == "Administrator Tester"
        assert (value_of(page, "signed_on-day"), value_of(page, "signed_on-year")) == ("4", "2026")
        words = text(page)
        assert "Nothing can be added to it or taken out" in words
        assert (
            f"I confirm that Braunstone Youth Trust abides by the ethos and commitments of the "
            f"{cast.leicester.name}" in words
        )
        # The pledge as the compact's definition words it.
        assert "commits to keep to the spirit and the commitments of the Leicester Compact" in (
            words
        )

    @override_settings(SITE_URL="https://compact.example.org")
    def test_signing_is_confirmed_e_mailed_and_on_the_register(self, client, cast):
        response = as_user(client, cast.administrator).post(pledge_url(cast), PLEDGE)
        assert response["Location"] == reverse(
            "organisations:pledge_signed", args=[cast.trust.slug, "leicester"]
        )
        page = client.get(response["Location"])
        assert "Pledge signed" in text(page)
        assert "Ada Tester, Chair of trustees" in text(page)
        assert "4 March 2026" in text(page)

        [email] = mail.outbox
        assert email.to == ["administrator@example.org"]
        assert email.subject == (
            f"Pledge signed: Braunstone Youth Trust and the {cast.leicester.name}"
        )
        assert "Signed by: Ada Tester, Chair of trustees" in email.body
        assert "https://compact.example.org/organisations/braunstone-youth-trust/" in email.body
        assert "Ada Tester" in email.alternatives[0][0]

        register = client.get(reverse("organisations:detail", args=[cast.trust.slug]))
        assert re.search(r"Signed\b[^.]* on 4 March 2026", text(register))

    def test_without_the_confirmation_nothing_is_signed_and_the_names_are_kept(self, client, cast):
        data = {**PLEDGE, "confirmed": "", "signed_on-year": ""}
        response = as_user(client, cast.administrator).post(pledge_url(cast), data)
        assert response.status_code == 400
        assert error_summary(response) == [
            "Date of signing must include a year",
            "Confirm that the organisation will keep to the compact's ethos and commitments",
        ]
        assert 'href="#signed_on-day"' in response.content.decode()
        assert value_of(response, "signatory_position") == "Chair of trustees"
        assert value_of(response, "signed_on-day") == "4"
        assert not Signature.objects.exists()
        assert not mail.outbox

    def test_a_date_in_the_future_is_refused(self, client, cast):
        data = {**PLEDGE, **date("signed_on", TODAY + dt.timedelta(days=1))}
        response = as_user(client, cast.administrator).post(pledge_url(cast), data)
        assert error_summary(response) == ["The date of signing must be today or in the past"]

    def test_a_current_signatory_is_told_it_has_signed(self, client, cast):
        sign(cast)
        page = as_user(client, cast.administrator).get(pledge_url(cast))
        assert "Braunstone Youth Trust has already signed" in text(page)
        assert '<form method="post" novalidate>' not in page.content.decode()
        response = client.post(pledge_url(cast), PLEDGE)
        assert response.status_code == 200
        assert Signature.objects.count() == 1

    def test_a_compact_that_takes_no_signatures_says_so(self, client, cast):
        page = as_user(client, cast.administrator).get(pledge_url(cast, "city-together"))
        assert f"The {cast.city.name} does not take signatures here" in text(page)
        response = client.post(pledge_url(cast, "city-together"), PLEDGE)
        assert not Signature.objects.exists()
        assert response.status_code == 200


class TestWithdrawing:
    def url(self, cast):
        return reverse("organisations:withdraw", args=[cast.trust.slug, "leicester"])

    def test_withdrawing_is_confirmed_e_mailed_and_signing_again_works(self, client, cast):
        sign(cast, signed_on=TODAY - dt.timedelta(days=40))
        page = as_user(client, cast.administrator).get(self.url(cast))
        assert "its written notice that it is leaving the compact" in text(page)
        assert value_of(page, "withdrawn_on-day") == "4"
        response = client.post(
            self.url(cast), {**date("withdrawn_on", TODAY), "reason": "We are merging."}
        )
        page = client.get(response["Location"])
        assert "Withdrawal recorded" in text(page)
        assert "withdrew from the" in text(page) and "on 4 March 2026" in text(page)
        assert "cannot use the compact's procedure for disagreements" in text(page)
        [email] = mail.outbox
        assert email.to == ["administrator@example.org"]
        assert email.subject.startswith("Withdrawal recorded: Braunstone Youth Trust")
        assert "Date of withdrawal: 4 March 2026" in email.body

        register = text(client.get(reverse("organisations:detail", args=[cast.trust.slug])))
        assert re.search(r"Withdr[a-z]+ on 4 March 2026", register)

        response = client.post(pledge_url(cast), PLEDGE)
        assert response.status_code == 302
        assert Signature.objects.current().get().signed_on == TODAY
        assert Signature.objects.count() == 2
        register = text(client.get(reverse("organisations:detail", args=[cast.trust.slug])))
        assert re.search(r"Signed again\b[^.]* on 4 March 2026", register)

    def test_a_date_before_signing_is_an_error_and_the_reason_is_kept(self, client, cast):
        sign(cast)
        response = as_user(client, cast.administrator).post(
            self.url(cast),
            {**date("withdrawn_on", TODAY - dt.timedelta(days=3)), "reason": "We are merging."},
        )
        assert response.status_code == 400
        assert error_summary(response) == [
            "The date of withdrawal must be on or after the date the pledge was signed, "
            "4 March 2026"
        ]
        assert "We are merging." in response.content.decode()

    def test_an_organisation_that_has_not_signed_is_told_so(self, client, cast):
        page = as_user(client, cast.administrator).get(self.url(cast))
        assert "has not signed the" in text(page)


# The support team ----------------------------------------------------------------------


class TestSupportTeam:
    def test_finding_an_organisation_by_name_or_identifier(self, client, cast):
        url = reverse("organisations:support_organisations", args=["leicester"])
        as_user(client, cast.support)
        assert "Braunstone Youth Trust" in text(client.get(url + "?q=braunstone"))
        assert "Braunstone Youth Trust" in text(client.get(url + "?q=GB-CHC-1234567"))
        assert "Braunstone Youth Trust" in text(client.get(url + "?q=1234567"))
        nothing = text(client.get(url + "?q=nowhere"))
        assert "0 results for ‘nowhere’" in nothing

    def test_a_paper_pledge_is_recorded_with_who_entered_it(self, client, cast):
        url = reverse("organisations:paper_pledge", args=["leicester", cast.trust.slug])
        page = as_user(client, cast.support).get(url)
        assert value_of(page, "organisation_name") == "Braunstone Youth Trust"
        assert value_of(page, "signatory_name") is None  # the paper's, not the support team's
        data = {
            **PLEDGE,
            **date("signed_on", TODAY - dt.timedelta(days=6)),
            **date("received_on", TODAY - dt.timedelta(days=2)),
        }
        response = client.post(url, data)
        signature = Signature.objects.get()
        assert response["Location"] == reverse(
            "organisations:support_pledge", args=["leicester", signature.pk]
        )
        page = text(client.get(response["Location"]))
        assert "Pledge recorded" in page
        assert "Paper pledge received, received on 2 March 2026" in page
        assert "Recorded by Support Tester" in page
        assert (signature.method, signature.recorded_by) == (Signature.Method.PAPER, cast.support)
        [email] = mail.outbox
        assert email.to == ["administrator@example.org"]
        assert email.subject.startswith("Paper pledge recorded: Braunstone Youth Trust")

    def test_a_paper_pledge_received_before_it_was_signed_is_an_error(self, client, cast):
        url = reverse("organisations:paper_pledge", args=["leicester", cast.trust.slug])
        data = {
            **PLEDGE,
            **date("signed_on", TODAY - dt.timedelta(days=2)),
            **date("received_on", TODAY - dt.timedelta(days=6)),
            "confirmed": "",
        }
        response = as_user(client, cast.support).post(url, data)
        assert error_summary(response) == [
            "The date it was received must be the same as or after the date it was signed",
            "Confirm that the paper pledge was signed as printed, with nothing added or changed",
        ]

    def test_a_withdrawal_received_on_paper_is_recorded(self, client, cast):
        sign(cast, signed_on=TODAY - dt.timedelta(days=30))
        url = reverse("organisations:paper_withdrawal", args=["leicester", cast.trust.slug])
        response = as_user(client, cast.support).post(
            url, {**date("withdrawn_on", TODAY - dt.timedelta(days=1)), "reason": ""}
        )
        page = text(client.get(response["Location"]))
        assert "Withdrawal recorded" in page
        assert "3 March 2026, recorded by Support Tester" in page
        signature = Signature.objects.get()
        assert signature.withdrawal_recorded_by == cast.support
        assert mail.outbox[0].to == ["administrator@example.org"]

    def test_verifying_asks_first_then_shows_who_and_when(self, client, cast):
        url = reverse("organisations:verify", args=["leicester", cast.trust.slug])
        page = as_user(client, cast.support).get(url)
        assert "GB-CHC-1234567" in text(page)
        response = client.post(url)
        page = text(client.get(response["Location"]))
        assert "Braunstone Youth Trust is marked as verified" in page
        assert "On 4 March 2026 by Support Tester" in page

    def test_giving_and_revoking_a_role_by_e_mail_address(self, client, cast):
        url = reverse("organisations:role_grant", args=["leicester"])
        response = as_user(client, cast.support).post(
            url, {"email": "OFFICER@example.org", "kind": "mediator", "case": "D-2026-7"}
        )
        page = text(client.get(response["Location"]))
        assert "Officer Tester is now a mediator" in page
        assert "Mediator, case D-2026-7" in page
        assert "Support Tester," in page  # who gave it, and when
        role = CompactRole.objects.get(kind=CompactRoleKind.MEDIATOR)
        assert role.granted_by == cast.support

        revoke = reverse("organisations:role_revoke", args=["leicester", role.pk])
        assert "Revoke Officer Tester's role?" in text(client.get(revoke))
        page = text(client.get(client.post(revoke)["Location"]))
        assert "Officer Tester is no longer a mediator" in page
        role.refresh_from_db()
        assert role.revoked_by == cast.support

    def test_a_role_for_an_unknown_address_or_without_its_case_is_an_error(self, client, cast):
        url = reverse("organisations:role_grant", args=["leicester"])
        response = as_user(client, cast.support).post(
            url, {"email": "nobody@example.org", "kind": "mediator", "case": ""}
        )
        assert error_summary(response) == [
            "No one with that e-mail address has an account here",
            "Enter the reference of the case the mediator is for",
        ]
        assert value_of(response, "email") == "nobody@example.org"

    def test_the_last_of_the_support_team_cannot_be_revoked(self, client, cast):
        role = CompactRole.objects.get(user=cast.support)
        url = reverse("organisations:role_revoke", args=["leicester", role.pk])
        response = as_user(client, cast.support).post(url)
        assert response.status_code == 400
        assert error_summary(response)[0].startswith("This is the last member of the")

    def test_the_support_page_counts_the_signatories_and_lists_the_latest(self, client, cast):
        sign(cast)
        page = text(
            as_user(client, cast.support).get(reverse("organisations:support", args=["leicester"]))
        )
        assert "1 organisation has a current signature" in page
        assert "Braunstone Youth Trust" in page


def test_a_user_without_full_name_is_shown_by_user_name(client, cast):
    plain = make_user("plainuser")
    plain.first_name = plain.last_name = ""
    plain.save()
    Membership.objects.create(user=plain, organisation=cast.trust, role=Role.MEMBER)
    page = as_user(client, cast.administrator).get(
        reverse("organisations:members", args=[cast.trust.slug])
    )
    assert "plainuser" in text(page)


@pytest.mark.parametrize(
    "model", ["organisation", "identifier", "invitation", "compactrole", "signature"]
)
def test_the_admin_lists_each_record_and_shows_its_history(client, cast, model):
    services.invitation_create(
        organisation=cast.trust,
        email="someone@example.org",
        role=Role.MEMBER,
        by=cast.administrator,
        now=NOW,
    )
    sign(cast)
    admin = make_user("superuser", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse(f"admin:organisations_{model}_changelist")).status_code == 200
    record = {
        "organisation": cast.trust,
        "identifier": cast.trust.identifiers.get(),
        "invitation": cast.trust.invitations.get(),
        "compactrole": CompactRole.objects.get(user=cast.support),
        "signature": Signature.objects.get(),
    }[model]
    assert (
        client.get(reverse(f"admin:organisations_{model}_change", args=[record.pk])).status_code
        == 200
    )
    if model != "invitation":
        history = client.get(reverse(f"admin:organisations_{model}_history", args=[record.pk]))
        assert history.status_code == 200
