"""A person's data: downloading it, and staff erasing it on request (UK GDPR).

The people are the organisations cast (organisations/tests/test_services.py): the
`administrator` of Braunstone Youth Trust is the one who asks to be erased; they
created the trust, signed Leicester's pledge for it, recorded an activity (so an
obligation and its history name them), claimed another organisation and hold a compact
role. `staff` carry the request out; the compact's `support` team may not.
"""

import datetime as dt
import json
import logging

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.accounts import views
from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import (
    FORMER_USER,
    Refused,
    account_erase,
    account_erased,
    personal_data_collect,
    personal_data_requested,
)
from localcompact.accounts.testing import ensure_totp, verified_email
from localcompact.obligations.models import ObligationEvent, Reminder
from localcompact.obligations.services import activity_record
from localcompact.organisations import services as organisations
from localcompact.organisations.models import (
    Claim,
    CompactRole,
    CompactRoleKind,
    Invitation,
    Membership,
    Organisation,
    Role,
    Signature,
)
from localcompact.organisations.tests.test_services import NOW, TODAY, make_cast, make_user, sign

User = get_user_model()


@pytest.fixture
def cast(db, monkeypatch):
    monkeypatch.setattr(views, "now", lambda: NOW)
    cast = make_cast()
    person = cast.administrator
    verified_email(person, "administrator@example.org")
    EmailAddress.objects.create(user=person, email="Ada.Home@example.net", verified=True)
    cast.signature = sign(cast)
    cast.activity = activity_record(
        organisation=cast.trust,
        standard=cast.leicester.current_version.standards.get(ident="consultation-feedback"),
        title="Feedback on the youth club consultation",
        description="",
        start_on=TODAY - dt.timedelta(days=3),
        end_on=None,
        agreed_due_on=None,
        owed_to=[],
        owed_to_label="",
        by=person,
        today=TODAY,
    )
    club = Organisation.objects.create(
        name="Eyres Lunch Club", slug="eyres-lunch-club", sector="vcs"
    )
    cast.claim = organisations.organisation_claim(
        organisation=club, by=person, reason="I run it on Tuesdays; call me on 0116 496 0000."
    )
    CompactRole.objects.create(
        compact=cast.leicester, user=person, kind=CompactRoleKind.STEERING_GROUP
    )
    other = Organisation.objects.create(name="Aylestone Food Bank", slug="aylestone", sector="vcs")
    cast.invitation = Invitation.objects.create(
        organisation=other,
        email="ada.home@EXAMPLE.net",
        role=Role.MEMBER,
        token_hash="0" * 64,
        expires_at=NOW + dt.timedelta(days=14),
    )
    cast.queued = Reminder.objects.create(recipient=person, on=TODAY, kind=Reminder.Kind.OWING)
    cast.deletion = DeletionRequest.objects.create(user=person, reason="Moving away.")
    for name in ("staff", "support", "other_support"):  # they must use an authenticator app
        ensure_totp(cast.users[name])
    return cast


def as_user(client, user):
    client.force_login(user)
    return client


def erase(cast, *, by=None):
    return account_erase(deletion=cast.deletion, by=by or cast.staff, now=NOW)


# Downloading -----------------------------------------------------------------------------


class TestDownload:
    def test_a_visitor_is_sent_to_sign_in(self, client, db):
        for name in ("account_personal_data", "account_personal_data_download"):
            response = client.get(reverse(name))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("core:login"))

    def test_the_page_lists_what_the_file_holds(self, client, cast):
        page = as_user(client, cast.administrator).get(reverse("account_personal_data"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Download your personal data (JSON)" in text
        for section in ("Account", "Organisation memberships", "Pledges recorded"):
            assert section in text

    def test_it_is_an_attachment_never_cached(self, client, cast):
        response = as_user(client, cast.administrator).get(
            reverse("account_personal_data_download")
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == (
            'attachment; filename="personal-data-2026-03-04.json"'
        )
        assert response["Cache-Control"] == "no-store"

    def test_it_holds_everything_about_the_person(self, client, cast):
        response = as_user(client, cast.administrator).get(
            reverse("account_personal_data_download")
        )
        data = json.loads(response.content)
        assert data["account"]["email"] == "administrator@example.org"
        assert data["account"]["first_name"] == "Administrator"
        assert {e["email"] for e in data["email_addresses"]} == {
            "administrator@example.org",
            "Ada.Home@example.net",
        }
        assert data["organisation_memberships"] == [
            {
                "organisation": "Braunstone Youth Trust",
                "role": Role.ADMINISTRATOR.label,
                "since": Membership.objects.get(user=cast.administrator).created_at.isoformat(),
            }
        ]
        assert [p["signatory"] for p in data["pledges_recorded"]] == ["Ada Tester"]
        assert data["organisation_claims"][0]["reason"].startswith("I run it on Tuesdays")
        assert data["invitations_received"][0]["organisation"] == "Aylestone Food Bank"
        assert {r["role"] for r in data["compact_roles"]} == {"Steering group member"}
        assert [a["title"] for a in data["activities_recorded"]] == [
            "Feedback on the youth club consultation"
        ]
        assert data["obligation_changes_made"], "the obligation's creation names them"
        assert data["reminder_emails"][0]["state"] == "Queued"
        records = {change["record"] for change in data["organisation_changes_made"]}
        assert {"organisation", "signature", "claim"} <= records
        assert data["deletion_requests"][0]["reason"] == "Moving away."

    def test_it_holds_nothing_about_anyone_else(self, client, cast):
        response = as_user(client, cast.outsider).get(reverse("account_personal_data_download"))
        data = json.loads(response.content)
        assert data["account"]["user_name"] == "outsider"
        text = response.content.decode()
        for theirs in ("Braunstone", "Ada Tester", "administrator@example.org", "Tuesdays"):
            assert theirs not in text
        assert data["organisation_memberships"] == []

    def test_the_people_someone_invited_are_left_out(self, client, cast):
        organisations.invitation_create(
            organisation=cast.trust,
            email="friend@example.org",
            role=Role.MEMBER,
            by=cast.administrator,
            now=NOW,
        )
        data = personal_data_collect(cast.administrator, now=NOW)
        assert data["invitations_sent"][0]["organisation"] == "Braunstone Youth Trust"
        assert "friend@example.org" not in json.dumps(data)

    def test_no_secrets_are_in_it(self, client, cast):
        ensure_totp(cast.administrator)
        data = personal_data_collect(cast.administrator, now=NOW)
        assert data["two_factor_authentication"][0]["type"] == "TOTP Authenticator"
        text = json.dumps(data, default=str)
        assert "secret" not in text.lower()
        assert cast.administrator.password not in text

    def test_an_app_adds_its_section_through_the_hook(self, cast):
        def holds(sender, *, user, **kwargs):
            return {"bookings": [{"room": "Hall", "booked_by": user.pk}]}

        personal_data_requested.connect(holds, sender=User, dispatch_uid="test.bookings")
        try:
            data = personal_data_collect(cast.administrator, now=NOW)
        finally:
            personal_data_requested.disconnect(sender=User, dispatch_uid="test.bookings")
        assert data["bookings"] == [{"room": "Hall", "booked_by": cast.administrator.pk}]


# Erasing ---------------------------------------------------------------------------------


class TestErase:
    def test_the_account_is_anonymised_and_cannot_sign_in(self, cast):
        person = cast.administrator
        erase(cast)
        person.refresh_from_db()
        assert person.username == f"former-user-{person.pk}"
        assert (person.first_name, person.last_name, person.email) == (FORMER_USER, "", "")
        assert person.get_full_name() == "a former user"
        assert not person.is_active and not person.has_usable_password()
        assert not EmailAddress.objects.filter(user=person).exists()

    def test_its_sessions_end(self, client, cast):
        as_user(client, cast.administrator)
        assert client.get(reverse("account_personal_data")).status_code == 200
        erase(cast)
        response = client.get(reverse("account_personal_data"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))

    def test_memberships_end_and_roles_are_revoked_with_history(self, cast):
        erase(cast)
        assert not Membership.objects.filter(user=cast.administrator).exists()
        deleted = Membership.history.filter(user=cast.administrator, history_type="-").get()
        assert deleted.history_user == cast.staff
        role = CompactRole.objects.get(user=cast.administrator)
        assert (role.revoked_at, role.revoked_by) == (NOW, cast.staff)

    def test_claims_lose_what_they_said_even_in_their_history(self, cast):
        erase(cast)
        claim = Claim.objects.get(pk=cast.claim.pk)
        assert (claim.status, claim.reason, claim.decided_by) == (
            Claim.Status.REFUSED,
            "",
            cast.staff,
        )
        assert not Claim.history.filter(reason__contains="Tuesdays").exists()

    def test_invitations_to_their_addresses_are_withdrawn(self, cast):
        erase(cast)
        invitation = Invitation.objects.get(pk=cast.invitation.pk)
        assert invitation.revoked_at == NOW
        assert invitation.email == f"erased-{invitation.pk}@erased.invalid"

    def test_the_records_the_compact_keeps_stay_naming_a_former_user(self, client, cast):
        events = ObligationEvent.objects.filter(by=cast.administrator).count()
        erase(cast)
        signature = Signature.objects.get(pk=cast.signature.pk)
        assert signature.recorded_by_id == cast.administrator.pk
        assert signature.signatory_name == "Ada Tester"  # as signed, on the register
        assert ObligationEvent.objects.filter(by=cast.administrator).count() == events
        page = as_user(client, cast.support).get(
            reverse("organisations:history", args=[cast.trust.slug])
        )
        assert page.status_code == 200
        assert "a former user" in page.content.decode()

    def test_digests_waiting_for_them_are_not_sent(self, cast):
        erase(cast)
        cast.queued.refresh_from_db()
        assert cast.queued.state == Reminder.State.FAILED

    def test_sign_in_records_are_removed(self, cast):
        from axes.models import AccessAttempt

        AccessAttempt.objects.create(
            username="ada.home@example.net",
            ip_address="192.0.2.1",
            user_agent="test",
            failures_since_start=1,
        )
        erase(cast)
        assert not AccessAttempt.objects.exists()

    def test_the_request_is_kept_as_the_record_without_its_reason(self, cast, caplog):
        caplog.set_level(logging.INFO, logger="localcompact.audit")
        counts = erase(cast)
        cast.deletion.refresh_from_db()
        assert (cast.deletion.erased_at, cast.deletion.erased_by, cast.deletion.reason) == (
            NOW,
            cast.staff,
            "",
        )
        assert counts["memberships ended"] == 1
        assert counts["compact roles revoked"] == 1
        events = [r.event for r in caplog.records if r.name == "localcompact.audit"]
        assert "account.erased" in events
        assert "administrator@example.org" not in caplog.text

    def test_it_is_all_or_nothing(self, cast):
        def fails(sender, **kwargs):
            raise IntegrityError("an app could not erase its part")

        account_erased.connect(fails, sender=User, dispatch_uid="test.fails")
        try:
            with pytest.raises(IntegrityError):
                erase(cast)
        finally:
            account_erased.disconnect(sender=User, dispatch_uid="test.fails")
        person = User.objects.get(pk=cast.administrator.pk)
        assert person.email == "administrator@example.org" and person.is_active
        assert Membership.objects.filter(user=person).exists()
        assert Claim.objects.get(pk=cast.claim.pk).reason
        assert DeletionRequest.objects.get(pk=cast.deletion.pk).erased_at is None

    def test_it_is_refused_twice(self, cast):
        erase(cast)
        with pytest.raises(Refused, match="already been erased"):
            erase(cast)

    def test_staff_cannot_erase_themselves(self, cast):
        cast.deletion = DeletionRequest.objects.create(user=cast.staff)
        with pytest.raises(Refused, match="your own account"):
            erase(cast)

    def test_a_staff_account_loses_its_staff_access_first(self, cast):
        other = make_user("other_staff", is_staff=True)
        cast.deletion = DeletionRequest.objects.create(user=other)
        with pytest.raises(Refused, match="staff account"):
            erase(cast)
        assert User.objects.get(pk=other.pk).is_active


# The staff pages ---------------------------------------------------------------------------

PAGES = ("account_deletion_requests", "account_erase", "account_erased")


def page_url(name: str, cast) -> str:
    if name == "account_deletion_requests":
        return reverse(name)
    return reverse(name, args=[cast.deletion.pk])


class TestStaffPages:
    @pytest.mark.parametrize("name", PAGES)
    def test_a_visitor_is_sent_to_sign_in(self, client, cast, name):
        response = client.get(page_url(name, cast))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:login"))

    @pytest.mark.parametrize("name", PAGES)
    @pytest.mark.parametrize(
        "role", ["outsider", "member", "officer", "administrator", "support", "other_support"]
    )
    def test_only_staff_may_see_them(self, client, cast, name, role):
        response = as_user(client, cast.users[role]).get(page_url(name, cast))
        assert response.status_code == 403
        assert "Only staff carry out requests" in response.content.decode()
        assert "Moving away" not in response.content.decode()

    @pytest.mark.parametrize("role", ["outsider", "member", "administrator", "support"])
    def test_no_one_else_can_erase(self, client, cast, role):
        response = as_user(client, cast.users[role]).post(
            page_url("account_erase", cast), {"confirm": "on"}
        )
        assert response.status_code == 403
        assert User.objects.get(pk=cast.administrator.pk).is_active

    def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(self, client, cast):
        staff = make_user("new_staff", is_staff=True)
        response = as_user(client, staff).get(reverse("account_deletion_requests"))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")

    def test_staff_see_waiting_requests(self, client, cast):
        page = as_user(client, cast.staff).get(reverse("account_deletion_requests"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Waiting (1)" in text
        assert page_url("account_erase", cast) in text

    def test_the_list_costs_the_same_queries_whatever_its_length(self, client, cast):
        as_user(client, cast.staff)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("account_deletion_requests")).status_code == 200
            return len(captured)

        def add(n: int, erased: bool) -> None:
            for i in range(n):
                user = make_user(f"leaver_{erased}_{DeletionRequest.objects.count()}_{i}")
                DeletionRequest.objects.create(
                    user=user, erased_at=NOW if erased else None, erased_by=cast.staff
                )

        add(1, True)
        small = queries()
        add(5, False)
        add(5, True)
        assert queries() == small

    def test_the_confirmation_page_says_what_will_happen(self, client, cast):
        page = as_user(client, cast.staff).get(page_url("account_erase", cast))
        assert page.status_code == 200
        text = " ".join(page.content.decode().split())
        assert "administrator@example.org" in text and "Ada.Home@example.net" in text
        assert "Moving away." in text
        assert "only administrator of Braunstone Youth Trust" in text
        assert "a former user" in text

    def test_erasing_needs_the_confirmation(self, client, cast):
        response = as_user(client, cast.staff).post(page_url("account_erase", cast), {})
        assert response.status_code == 400
        text = response.content.decode()
        assert "govuk-error-summary" in text
        assert "Confirm that you have checked the request" in text
        assert User.objects.get(pk=cast.administrator.pk).is_active

    def test_erasing_is_confirmed_and_the_person_told(self, client, cast):
        mail.outbox.clear()
        response = as_user(client, cast.staff).post(
            page_url("account_erase", cast), {"confirm": "on"}
        )
        assert response.status_code == 302
        assert response["Location"] == page_url("account_erased", cast)
        page = client.get(response["Location"])
        text = page.content.decode()
        assert "Account erased" in text and "Memberships ended" in text
        [message] = mail.outbox
        assert sorted(message.to) == ["Ada.Home@example.net", "administrator@example.org"]
        assert "has been deleted" in message.subject
        # Done once: the form is not offered again.
        again = client.get(page_url("account_erase", cast))
        assert again["Location"] == page_url("account_erased", cast)

    def test_a_refusal_is_shown_on_the_form(self, client, cast):
        cast.deletion = DeletionRequest.objects.create(user=cast.staff)
        response = as_user(client, cast.staff).post(
            page_url("account_erase", cast), {"confirm": "on"}
        )
        assert response.status_code == 400
        assert "You cannot erase your own account" in response.content.decode()

    def test_the_erased_page_waits_for_the_erasure(self, client, cast):
        response = as_user(client, cast.staff).get(page_url("account_erased", cast))
        assert response["Location"] == page_url("account_erase", cast)
