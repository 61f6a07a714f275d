"""The organisation services: what each does, and each refusal with its message.

Who is who (the same names in the view and permission tests, which import this cast):

- Leicester takes signatures (its definition has a `signing` block); City Together
  does not.
- Braunstone Youth Trust, a charity: `administrator` manages it and signs for it,
  `officer` acts for it, `member` sees its private pages.
- `outsider` is signed in and belongs to nothing: an outsider who must see nothing.
- `support` is on Leicester's support team; `other_support` on City Together's only.
- `staff` may do what any support team does.
"""

import datetime as dt
import functools
import logging
import threading
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import Compact
from localcompact.compacts.services import compact_load
from localcompact.organisations import services
from localcompact.organisations.models import (
    Claim,
    CompactRole,
    CompactRoleKind,
    Identifier,
    Invitation,
    Membership,
    Organisation,
    Role,
    Signature,
)
from localcompact.organisations.selectors import is_current_signatory
from localcompact.organisations.services import IdentifierInput, Refused

TODAY = dt.date(2026, 3, 4)  # a Wednesday
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery staple"
DEFINITIONS = settings.COMPACT_DEFINITIONS_DIR


# The cast ------------------------------------------------------------------------------


@dataclass
class Cast:
    leicester: Compact
    city: Compact
    trust: Organisation
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_user(username: str, *, email: str | None = None, **extra):
    return get_user_model().objects.create_user(
        username,
        email=email if email is not None else f"{username}@example.org",
        password=PASSWORD,
        first_name=username.replace("_", " ").title(),
        last_name="Tester",
        **extra,
    )


@functools.cache
def definition(slug: str):
    """A shipped definition, read and checked once per test run (that is the slow part)."""
    return read_definition(DEFINITIONS / f"{slug}.yaml")


def load(*slugs: str) -> None:
    for slug in slugs:
        compact_load(definition=definition(slug), now=NOW - dt.timedelta(days=60))


def make_cast() -> Cast:
    load("leicester", "city-together")
    cast = Cast(
        leicester=Compact.objects.get(slug="leicester"),
        city=Compact.objects.get(slug="city-together"),
        trust=None,
    )
    for name in ("administrator", "officer", "member", "outsider", "support", "other_support"):
        cast.users[name] = make_user(name)
    cast.users["staff"] = make_user("staff", is_staff=True)
    cast.trust = services.organisation_create(
        name="Braunstone Youth Trust",
        sector="vcs",
        kind="registered_charity",
        identifiers=[("GB-CHC", "1234567")],
        created_by=cast.administrator,
    )
    for role in (Role.OFFICER, Role.MEMBER):
        Membership.objects.create(user=cast.users[role.value], organisation=cast.trust, role=role)
    CompactRole.objects.create(
        compact=cast.leicester, user=cast.support, kind=CompactRoleKind.SUPPORT_TEAM
    )
    CompactRole.objects.create(
        compact=cast.city, user=cast.other_support, kind=CompactRoleKind.SUPPORT_TEAM
    )
    return cast


@pytest.fixture
def cast(db) -> Cast:
    return make_cast()


def sign(cast: Cast, **changes) -> Signature:
    values = {
        "organisation": cast.trust,
        "compact": cast.leicester,
        "organisation_name": "Braunstone Youth Trust",
        "signatory_name": "Ada Tester",
        "signatory_position": "Chair of trustees",
        "signed_on": TODAY,
        "confirmed": True,
        "by": cast.administrator,
        "today": TODAY,
    }
    return services.signature_sign(**{**values, **changes})


def refusal(call, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        call(**kwargs)
    return caught.value


@pytest.fixture
def audit_records(caplog):
    caplog.set_level(logging.INFO, logger="localcompact.audit")
    return lambda: [r.event for r in caplog.records if r.name == "localcompact.audit"]


# Organisations -------------------------------------------------------------------------


class TestCreatingAnOrganisation:
    def test_its_creator_becomes_its_administrator(self, cast):
        organisation = services.organisation_create(
            name="Saffron Lane Tenants", sector="vcs", kind="other", created_by=cast.outsider
        )
        assert [(m.user, m.role) for m in organisation.memberships.all()] == [
            (cast.outsider, Role.ADMINISTRATOR)
        ]
        assert organisation.slug == "saffron-lane-tenants"

    def test_identifiers_are_stored_in_their_normal_form(self, cast):
        organisation = services.organisation_create(
            name="Saffron Lane Tenants",
            sector="vcs",
            kind="tenants_residents",
            identifiers=[("GB-COH", " sc 123456 "), ("GB-CHC", "GB-CHC-7654321")],
            created_by=cast.outsider,
        )
        assert {i.org_id for i in organisation.identifiers.all()} == {
            "GB-COH-SC123456",
            "GB-CHC-7654321",
        }

    def test_an_identifier_in_the_wrong_form_is_refused_with_an_example(self, cast):
        refused = refusal(
            services.organisation_create,
            name="Saffron Lane Tenants",
            sector="vcs",
            kind="tenants_residents",
            identifiers=[IdentifierInput("GB-CHC", "12AB", "value_1")],
            created_by=cast.outsider,
        )
        assert refused.message == (
            "Enter a Charity Commission for England and Wales identifier in the right form, "
            "for example 1123456"
        )
        assert refused.field == "value_1"
        assert not Organisation.objects.filter(name="Saffron Lane Tenants").exists()

    def test_an_identifier_that_belongs_to_another_organisation_names_it(self, cast):
        with pytest.raises(services.IdentifierTaken) as caught:
            services.organisation_create(
                name="Braunstone Youth Trust (again)",
                sector="vcs",
                kind="registered_charity",
                identifiers=[("GB-CHC", "1234567")],
                created_by=cast.outsider,
            )
        assert caught.value.organisation == cast.trust
        assert caught.value.message == (
            "GB-CHC-1234567 already belongs to Braunstone Youth Trust on this site"
        )
        assert Organisation.objects.count() == 1

    def test_the_same_identifier_given_twice_is_refused(self, cast):
        refused = refusal(
            services.organisation_create,
            name="Twice Told",
            sector="vcs",
            kind="other",
            identifiers=[("GB-CHC", "1111111"), ("GB-CHC", "1111111")],
            created_by=cast.outsider,
        )
        assert refused.message == "Give each identifier once"

    def test_a_name_like_another_gets_a_slug_of_its_own(self, cast):
        again = services.organisation_create(
            name="Braunstone  Youth Trust", sector="vcs", kind="other", created_by=cast.outsider
        )
        assert again.name == "Braunstone Youth Trust"
        assert again.slug == "braunstone-youth-trust-2"

    def test_a_name_that_is_a_page_of_the_site_does_not_take_its_address(self, cast):
        organisation = services.organisation_create(
            name="New", sector="vcs", kind="other", created_by=cast.outsider
        )
        assert organisation.slug == "new-organisation"

    def test_it_is_written_to_the_audit_log_and_the_history(self, cast, audit_records):
        organisation = services.organisation_create(
            name="Eyres Monsell Lunch Club", sector="vcs", kind="other", created_by=cast.outsider
        )
        assert "organisation.created" in audit_records()
        assert organisation.history.get().history_user == cast.outsider


def test_verifying_an_organisation_records_who_and_when(cast, audit_records):
    services.organisation_verify(organisation=cast.trust, by=cast.support, today=TODAY)
    cast.trust.refresh_from_db()
    assert (cast.trust.verified_on, cast.trust.verified_by) == (TODAY, cast.support)
    assert cast.trust.history.first().history_user == cast.support
    assert "organisation.verified" in audit_records()


# Invitations ---------------------------------------------------------------------------


def invite(cast, email="newcomer@example.org", role=Role.OFFICER, now=NOW):
    return services.invitation_create(
        organisation=cast.trust, email=email, role=role, by=cast.administrator, now=now
    )


class TestInvitations:
    def test_the_token_is_stored_only_as_its_hash_and_lasts_fourteen_days(self, cast):
        invitation, token = invite(cast)
        assert len(token) >= 43
        assert invitation.token_hash == services.token_hash(token) != token
        assert not Invitation.objects.filter(token_hash=token).exists()
        assert invitation.expires_at == NOW + dt.timedelta(days=14)

    def test_it_is_accepted_by_the_address_it_was_sent_to_whatever_the_case(self, cast):
        invitation, token = invite(cast, email="NewComer@Example.org")
        newcomer = make_user("newcomer", email="newcomer@example.ORG")
        membership = services.invitation_accept(token=token, user=newcomer, now=NOW)
        assert (membership.organisation, membership.role) == (cast.trust, Role.OFFICER)
        invitation.refresh_from_db()
        assert (invitation.accepted_at, invitation.accepted_by) == (NOW, newcomer)

    def test_an_expired_invitation_is_refused(self, cast):
        _, token = invite(cast)
        newcomer = make_user("newcomer")
        refused = refusal(
            services.invitation_accept,
            token=token,
            user=newcomer,
            now=NOW + dt.timedelta(days=14),
        )
        assert refused.code == "expired"
        assert refused.message == (
            "This invitation to join Braunstone Youth Trust has expired: invitations last 14 "
            "days. Ask one of its administrators to send a new one"
        )
        assert not Membership.objects.filter(user=newcomer).exists()

    def test_a_revoked_invitation_is_refused(self, cast):
        invitation, token = invite(cast)
        services.invitation_revoke(invitation=invitation, by=cast.administrator, now=NOW)
        refused = refusal(
            services.invitation_accept, token=token, user=make_user("newcomer"), now=NOW
        )
        assert refused.code == "revoked"
        assert "was withdrawn by its administrators" in refused.message

    def test_an_invitation_for_another_address_is_refused(self, cast):
        _, token = invite(cast)
        refused = refusal(services.invitation_accept, token=token, user=cast.outsider, now=NOW)
        assert refused.code == "wrong_address"
        assert refused.message.startswith(
            "This invitation was sent to a different e-mail address from the one on your account"
        )
        assert not Membership.objects.filter(user=cast.outsider).exists()

    def test_an_invitation_works_once(self, cast):
        _, token = invite(cast)
        newcomer = make_user("newcomer")
        services.invitation_accept(token=token, user=newcomer, now=NOW)
        Membership.objects.filter(user=newcomer).delete()  # even after leaving again
        refused = refusal(services.invitation_accept, token=token, user=newcomer, now=NOW)
        assert refused.code == "used"
        assert refused.message.startswith(
            "This invitation to join Braunstone Youth Trust has already been used"
        )

    def test_a_made_up_token_is_refused(self, cast):
        refused = refusal(
            services.invitation_accept, token="not-a-real-token", user=cast.outsider, now=NOW
        )
        assert refused.code == "unknown"

    def test_someone_who_already_belongs_cannot_be_invited(self, cast):
        refused = refusal(invite, cast=cast, email="MEMBER@example.org")
        assert refused.message == (
            "Someone with that e-mail address already belongs to Braunstone Youth Trust"
        )

    def test_a_second_invitation_to_a_waiting_address_is_refused(self, cast):
        invite(cast)
        refused = refusal(invite, cast=cast, email="Newcomer@example.org")
        assert refused.message.startswith("An invitation to that address is already waiting")

    def test_a_new_invitation_can_follow_an_expired_one(self, cast):
        invite(cast)
        invitation, _ = invite(cast, now=NOW + dt.timedelta(days=15))
        assert invitation.organisation == cast.trust

    def test_an_accepted_invitation_cannot_be_revoked(self, cast):
        invitation, token = invite(cast)
        services.invitation_accept(token=token, user=make_user("newcomer"), now=NOW)
        refused = refusal(
            services.invitation_revoke, invitation=invitation, by=cast.administrator, now=NOW
        )
        assert refused.message.startswith("This invitation has already been accepted")

    def test_each_step_is_audited_without_the_address_or_token(self, cast, caplog):
        caplog.set_level(logging.INFO, logger="localcompact.audit")
        invitation, token = invite(cast)
        services.invitation_accept(token=token, user=make_user("newcomer"), now=NOW)
        events = [r.event for r in caplog.records if r.name == "localcompact.audit"]
        assert [e for e in events if e.startswith("invitation.")] == [
            "invitation.created",
            "invitation.accepted",
        ]
        logged = " ".join(str(r.__dict__) for r in caplog.records)
        assert token not in logged and "newcomer@example.org" not in logged


# Memberships ---------------------------------------------------------------------------


def membership_of(cast, name) -> Membership:
    return Membership.objects.get(user=cast.users[name], organisation=cast.trust)


class TestLeavingAndRemoving:
    def test_the_last_administrator_cannot_leave(self, cast):
        refused = refusal(
            services.membership_leave,
            membership=membership_of(cast, "administrator"),
            by=cast.administrator,
        )
        assert refused.code == "last_administrator"
        assert refused.message == (
            "You are the only administrator of Braunstone Youth Trust, so you cannot leave. "
            "Make another member an administrator first"
        )
        assert membership_of(cast, "administrator")

    def test_a_member_can_leave(self, cast, audit_records):
        services.membership_leave(membership=membership_of(cast, "member"), by=cast.member)
        assert not Membership.objects.filter(user=cast.member).exists()
        assert "membership.left" in audit_records()

    def test_of_two_administrators_leaving_one_after_the_other_only_the_first_goes(self, cast):
        second = membership_of(cast, "officer")
        services.membership_change_role(
            membership=second, role=Role.ADMINISTRATOR, by=cast.administrator
        )
        services.membership_leave(
            membership=membership_of(cast, "administrator"), by=cast.administrator
        )
        refused = refusal(services.membership_leave, membership=second, by=cast.officer)
        assert refused.code == "last_administrator"
        assert cast.trust.memberships.filter(role=Role.ADMINISTRATOR).count() == 1

    def test_an_administrator_removes_a_member(self, cast, audit_records):
        services.membership_remove(membership=membership_of(cast, "member"), by=cast.administrator)
        assert not Membership.objects.filter(user=cast.member).exists()
        assert "membership.removed" in audit_records()

    def test_an_administrator_cannot_remove_themselves(self, cast):
        refused = refusal(
            services.membership_remove,
            membership=membership_of(cast, "administrator"),
            by=cast.administrator,
        )
        assert refused.message == "To remove yourself, leave the organisation instead"

    def test_the_last_administrator_cannot_be_made_less(self, cast):
        refused = refusal(
            services.membership_change_role,
            membership=membership_of(cast, "administrator"),
            role=Role.MEMBER,
            by=cast.administrator,
        )
        assert refused.message == (
            "You are the only administrator of Braunstone Youth Trust. Make another member an "
            "administrator first"
        )

    def test_changing_a_role_keeps_the_history_with_who_changed_it(self, cast):
        membership = membership_of(cast, "member")
        services.membership_change_role(
            membership=membership, role=Role.OFFICER, by=cast.administrator
        )
        latest = membership.history.first()
        assert (latest.role, latest.history_user) == (Role.OFFICER, cast.administrator)
        refused = refusal(
            services.membership_change_role,
            membership=membership,
            role=Role.OFFICER,
            by=cast.administrator,
        )
        assert refused.message == "They are already officer"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks need PostgreSQL; SQLite runs the sequential version above",
)
def test_of_two_administrators_leaving_at_the_same_moment_exactly_one_succeeds():
    cast = make_cast()
    Membership.objects.filter(user=cast.officer).update(role=Role.ADMINISTRATOR)
    leavers = [membership_of(cast, "administrator"), membership_of(cast, "officer")]
    barrier = threading.Barrier(len(leavers))
    outcomes: list[str] = []

    def leave(membership):
        try:
            barrier.wait(timeout=10)
            services.membership_leave(membership=membership, by=membership.user)
            outcomes.append("left")
        except Refused as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=leave, args=(m,)) for m in leavers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["last_administrator", "left"]
    assert cast.trust.memberships.filter(role=Role.ADMINISTRATOR).count() == 1


# The pledge ----------------------------------------------------------------------------


class TestSigning:
    def test_an_administrator_signs_and_the_organisation_becomes_a_signatory(
        self, cast, audit_records
    ):
        signature = sign(cast)
        assert signature.method == Signature.Method.ONLINE
        assert signature.recorded_by == cast.administrator
        assert signature.version == cast.leicester.current_version
        assert is_current_signatory(organisation=cast.trust, compact=cast.leicester)
        assert "pledge.signed" in audit_records()

    def test_signing_without_the_confirmation_is_refused(self, cast):
        refused = refusal(sign, cast=cast, confirmed=False)
        assert refused.message == (
            "Confirm that the organisation will keep to the compact's ethos and commitments"
        )
        assert refused.field == "confirmed"
        assert not Signature.objects.exists()

    def test_a_compact_without_a_signing_block_takes_no_signature(self, cast):
        refused = refusal(sign, cast=cast, compact=cast.city)
        assert refused.code == "no_signing"
        assert refused.message == f"The {cast.city.name} does not take signatures on this platform"
        assert not Signature.objects.exists()

    def test_a_second_current_signature_is_refused(self, cast):
        sign(cast)
        refused = refusal(sign, cast=cast, signed_on=TODAY)
        assert refused.code == "already_signed"
        assert refused.message == (
            f"Braunstone Youth Trust already signed the {cast.leicester.name} pledge on "
            "4 March 2026. Its signature stands until it is withdrawn"
        )
        assert Signature.objects.count() == 1

    def test_a_date_in_the_future_is_refused(self, cast):
        refused = refusal(sign, cast=cast, signed_on=TODAY + dt.timedelta(days=1))
        assert refused.message == "The date of signing must be today or in the past"

    def test_blank_names_are_refused(self, cast):
        assert refusal(sign, cast=cast, signatory_name="  ").field == "signatory_name"
        assert refusal(sign, cast=cast, signatory_position="").field == "signatory_position"
        assert refusal(sign, cast=cast, organisation_name="").field == "organisation_name"


class TestWithdrawing:
    def test_a_withdrawal_ends_the_signature_and_keeps_it(self, cast, audit_records):
        signature = sign(cast, signed_on=TODAY - dt.timedelta(days=30))
        services.signature_withdraw(
            signature=signature,
            withdrawn_on=TODAY,
            reason="Our trustees decided to close the charity.",
            by=cast.administrator,
            today=TODAY,
        )
        signature.refresh_from_db()
        assert signature.withdrawn_on == TODAY
        assert signature.withdrawal_recorded_by == cast.administrator
        assert not is_current_signatory(organisation=cast.trust, compact=cast.leicester)
        assert "pledge.withdrawn" in audit_records()

    def test_signing_again_after_withdrawing_makes_a_new_signature(self, cast):
        first = sign(cast, signed_on=TODAY - dt.timedelta(days=30))
        services.signature_withdraw(
            signature=first,
            withdrawn_on=TODAY - dt.timedelta(days=10),
            reason="",
            by=cast.administrator,
            today=TODAY,
        )
        again = sign(cast)
        assert again.pk != first.pk
        assert list(Signature.objects.current()) == [again]
        assert Signature.objects.filter(organisation=cast.trust).count() == 2
        assert is_current_signatory(organisation=cast.trust, compact=cast.leicester)

    def test_withdrawing_twice_is_refused(self, cast):
        signature = sign(cast)
        kwargs = {"withdrawn_on": TODAY, "reason": "", "by": cast.administrator, "today": TODAY}
        services.signature_withdraw(signature=signature, **kwargs)
        refused = refusal(services.signature_withdraw, signature=signature, **kwargs)
        assert refused.message == (
            f"Braunstone Youth Trust already withdrew from the {cast.leicester.name} on "
            "4 March 2026"
        )

    def test_a_withdrawal_dated_before_the_signature_is_refused(self, cast):
        signature = sign(cast)
        refused = refusal(
            services.signature_withdraw,
            signature=signature,
            withdrawn_on=TODAY - dt.timedelta(days=1),
            reason="",
            by=cast.administrator,
            today=TODAY,
        )
        assert refused.message == (
            "The date of withdrawal must be on or after the date the pledge was signed, "
            "4 March 2026"
        )

    def test_a_withdrawal_dated_in_the_future_is_refused(self, cast):
        refused = refusal(
            services.signature_withdraw,
            signature=sign(cast),
            withdrawn_on=TODAY + dt.timedelta(days=1),
            reason="",
            by=cast.administrator,
            today=TODAY,
        )
        assert refused.message == "The date of withdrawal must be today or in the past"


def paper(cast, **changes):
    values = {
        "organisation": cast.trust,
        "compact": cast.leicester,
        "organisation_name": "Braunstone Youth Trust",
        "signatory_name": "Ada Tester",
        "signatory_position": "Secretary",
        "signed_on": TODAY - dt.timedelta(days=5),
        "received_on": TODAY - dt.timedelta(days=2),
        "confirmed": True,
        "by": cast.support,
        "today": TODAY,
    }
    return services.signature_record_paper(**{**values, **changes})


class TestPaperPledges:
    def test_a_paper_pledge_records_who_entered_it_and_when_it_came(self, cast, audit_records):
        signature = paper(cast)
        assert signature.method == Signature.Method.PAPER
        assert signature.received_on == TODAY - dt.timedelta(days=2)
        assert signature.recorded_by == cast.support
        assert signature.recorded_at is not None
        assert "pledge.paper_recorded" in audit_records()

    def test_a_paper_pledge_received_before_it_was_signed_is_refused(self, cast):
        refused = refusal(paper, cast=cast, received_on=TODAY - dt.timedelta(days=6))
        assert refused.message == (
            "The date it was received must be the same as or after the date it was signed"
        )

    def test_a_paper_pledge_with_something_added_is_refused(self, cast):
        refused = refusal(paper, cast=cast, confirmed=False)
        assert refused.message == (
            "Confirm that the paper pledge was signed as printed, with nothing added or changed"
        )

    def test_a_paper_pledge_for_a_current_signatory_is_refused(self, cast):
        sign(cast)
        assert refusal(paper, cast=cast).code == "already_signed"


def test_the_history_keeps_each_change_to_a_signature_and_who_made_it(cast):
    signature = paper(cast)
    services.signature_withdraw(
        signature=signature,
        withdrawn_on=TODAY,
        reason="",
        by=cast.support,
        today=TODAY,
    )
    again = sign(cast)
    rows = list(Signature.history.order_by("history_date", "history_id"))
    assert [(r.id, r.history_type, r.history_user, r.withdrawn_on) for r in rows] == [
        (signature.pk, "+", cast.support, None),
        (signature.pk, "~", cast.support, TODAY),
        (again.pk, "+", cast.administrator, None),
    ]


# Compact roles -------------------------------------------------------------------------


class TestCompactRoles:
    def test_the_support_team_gives_a_role_and_it_is_recorded(self, cast, audit_records):
        role = services.compact_role_grant(
            compact=cast.leicester,
            user=cast.officer,
            kind=CompactRoleKind.STEERING_GROUP,
            by=cast.support,
        )
        assert (role.granted_by, role.revoked_at) == (cast.support, None)
        assert role.history.get().history_user == cast.support
        assert "compact_role.granted" in audit_records()

    def test_a_mediator_needs_a_case(self, cast):
        refused = refusal(
            services.compact_role_grant,
            compact=cast.leicester,
            user=cast.officer,
            kind=CompactRoleKind.MEDIATOR,
            by=cast.support,
        )
        assert refused.message == "Enter the reference of the case the mediator is for"
        role = services.compact_role_grant(
            compact=cast.leicester,
            user=cast.officer,
            kind=CompactRoleKind.MEDIATOR,
            case="D-2026-004",
            by=cast.support,
        )
        assert role.case == "D-2026-004"

    def test_only_a_mediator_has_a_case(self, cast):
        refused = refusal(
            services.compact_role_grant,
            compact=cast.leicester,
            user=cast.officer,
            kind=CompactRoleKind.SUBGROUP_CHAIR,
            case="D-1",
            by=cast.support,
        )
        assert refused.message == "Only a mediator is appointed for a case; leave the case empty"

    def test_the_same_role_twice_is_refused(self, cast):
        kwargs = {
            "compact": cast.leicester,
            "user": cast.officer,
            "kind": CompactRoleKind.SUBGROUP_MEMBER,
            "by": cast.support,
        }
        services.compact_role_grant(**kwargs)
        refused = refusal(services.compact_role_grant, **kwargs)
        assert refused.message == (
            f"They are already a dispute subgroup member of the {cast.leicester.name}"
        )

    def test_a_revoked_role_is_kept_with_who_revoked_it(self, cast, audit_records):
        role = services.compact_role_grant(
            compact=cast.leicester,
            user=cast.officer,
            kind=CompactRoleKind.STEERING_GROUP,
            by=cast.support,
        )
        services.compact_role_revoke(role=role, by=cast.staff, now=NOW)
        role.refresh_from_db()
        assert (role.revoked_at, role.revoked_by) == (NOW, cast.staff)
        assert "compact_role.revoked" in audit_records()
        assert refusal(services.compact_role_revoke, role=role, by=cast.staff, now=NOW).message == (
            "This role has already been revoked"
        )

    def test_the_last_of_a_support_team_cannot_be_revoked(self, cast):
        role = CompactRole.objects.get(compact=cast.leicester, kind=CompactRoleKind.SUPPORT_TEAM)
        refused = refusal(services.compact_role_revoke, role=role, by=cast.staff, now=NOW)
        assert refused.code == "last_support"
        services.compact_role_grant(
            compact=cast.leicester,
            user=cast.officer,
            kind=CompactRoleKind.SUPPORT_TEAM,
            by=cast.support,
        )
        services.compact_role_revoke(role=role, by=cast.staff, now=NOW)


# Claims --------------------------------------------------------------------------------


class TestClaims:
    def claim(self, cast, organisation=None, by=None):
        return services.organisation_claim(
            organisation=organisation or cast.trust,
            by=by or cast.outsider,
            reason="I am the new chair of trustees; the Charity Commission lists me.",
        )

    def test_a_claim_on_an_organisation_with_administrators_is_theirs_to_decide(self, cast):
        claim = self.claim(cast)
        assert claim.status == Claim.Status.PENDING
        assert not services.claim_decided_by_support(cast.trust)

    def test_a_claim_on_an_organisation_without_administrators_goes_to_the_support_team(self, cast):
        orphan = Organisation.objects.create(name="Orphaned Group", slug="orphaned", sector="vcs")
        self.claim(cast, organisation=orphan)
        assert services.claim_decided_by_support(orphan)

    def test_approving_gives_the_claimant_the_role_chosen(self, cast, audit_records):
        claim = self.claim(cast)
        services.claim_approve(claim=claim, role=Role.OFFICER, by=cast.administrator, now=NOW)
        assert membership_of(cast, "outsider").role == Role.OFFICER
        claim.refresh_from_db()
        assert (claim.status, claim.decided_by, claim.decided_at) == (
            Claim.Status.APPROVED,
            cast.administrator,
            NOW,
        )
        assert "claim.approved" in audit_records()

    def test_refusing_changes_nothing_else(self, cast):
        claim = self.claim(cast)
        services.claim_refuse(claim=claim, by=cast.administrator, now=NOW)
        assert not Membership.objects.filter(user=cast.outsider).exists()
        refused = refusal(
            services.claim_approve, claim=claim, role=Role.MEMBER, by=cast.administrator, now=NOW
        )
        assert refused.message == "This claim has already been decided"

    def test_a_member_cannot_claim_and_a_claim_is_not_made_twice(self, cast):
        assert refusal(self.claim, cast=cast, by=cast.member).message == (
            "You already belong to Braunstone Youth Trust"
        )
        self.claim(cast)
        assert refusal(self.claim, cast=cast).code == "pending"


def test_identifiers_keep_their_history(cast):
    identifier = Identifier.objects.get(organisation=cast.trust)
    assert identifier.history.get().history_user == cast.administrator
