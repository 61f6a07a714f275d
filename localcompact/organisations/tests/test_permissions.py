"""Who may use each page and action of managing organisations, for every role.

The people are the cast of test_services: Braunstone Youth Trust's `member`, `officer`
and `administrator`; `outsider`, signed in and belonging to nothing; `support`, on
Leicester's support team; `other_support`, on City Together's only; and `staff`.

- An organisation's pages are for its members; changing who belongs to it, and signing
  or withdrawing for it, for its administrators. The support team and staff are not
  members, so they see none of it (they see the organisation on the public register).
- The support team's pages of a compact are for that compact's support team and staff;
  the support team of another compact is refused.
- Anyone signed in may add an organisation or claim one; an invitation is for the
  address it was sent to.
- Anonymous visitors are sent to sign in (302), for pages and actions alike.

An action that works answers 302 (to its confirmation); a page 200; a refusal 403; a
request the service refuses (the last administrator leaving) 400.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from localcompact.organisations import services
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Role,
)
from localcompact.organisations.urls_manage import urlpatterns
from localcompact.organisations.views import manage

from .test_services import NOW, TODAY, Cast, make_cast, sign

ROLES = (
    "anonymous",
    "outsider",
    "member",
    "officer",
    "administrator",
    "support",
    "other_support",
    "staff",
)
SIGN_IN = 302  # anonymous visitors are redirected to the sign-in page
DONE = 302  # an action done: redirected to its confirmation


def members_only(ok: int = 200) -> dict:
    return {
        "anonymous": SIGN_IN,
        "outsider": 403,
        "member": ok,
        "officer": ok,
        "administrator": ok,
        "support": 403,
        "other_support": 403,
        "staff": 403,
    }


def administrators_only(ok: int = 200) -> dict:
    return {**members_only(ok), "member": 403, "officer": 403}


def members_and_support(ok: int = 200) -> dict:
    return {**members_only(ok), "support": ok, "staff": ok}


def support_only(ok: int = 200) -> dict:
    return {
        "anonymous": SIGN_IN,
        "outsider": 403,
        "member": 403,
        "officer": 403,
        "administrator": 403,
        "support": ok,
        "other_support": 403,
        "staff": ok,
    }


def anyone_signed_in(ok: int = 200) -> dict:
    return {role: (SIGN_IN if role == "anonymous" else ok) for role in ROLES}


# What each case needs before it runs ---------------------------------------------------


def signed(cast: Cast, client) -> None:
    sign(cast, signed_on=TODAY - dt.timedelta(days=20))


def withdrawn(cast: Cast, client) -> None:
    signature = sign(cast, signed_on=TODAY - dt.timedelta(days=20))
    services.signature_withdraw(
        signature=signature, withdrawn_on=TODAY, reason="", by=cast.support, today=TODAY
    )


def invited_outsider(cast: Cast, client) -> None:
    """An invitation for the outsider's address, opened in this browser."""
    _, token = services.invitation_create(
        organisation=cast.trust,
        email="outsider@example.org",
        role=Role.MEMBER,
        by=cast.administrator,
        now=NOW,
    )
    cast.token = token
    client.get(reverse("organisations:invitation", kwargs={"token": token}))


def waiting_invitation(cast: Cast, client) -> None:
    cast.invitation, _ = services.invitation_create(
        organisation=cast.trust,
        email="someone@example.org",
        role=Role.MEMBER,
        by=cast.administrator,
        now=NOW,
    )


def steering_role(cast: Cast, client) -> None:
    cast.role = services.compact_role_grant(
        compact=cast.leicester,
        user=cast.officer,
        kind=CompactRoleKind.STEERING_GROUP,
        by=cast.support,
    )


def orphan_claimed(cast: Cast, client) -> None:
    """A claim on an organisation with no administrator: the support team decides."""
    orphan = Organisation.objects.create(name="Orphaned Group", slug="orphaned", sector="vcs")
    cast.claim = services.organisation_claim(
        organisation=orphan, by=cast.member, reason="I am its secretary."
    )


def trust_claimed(cast: Cast, client) -> None:
    cast.claim = services.organisation_claim(
        organisation=cast.trust, by=cast.other_support, reason="I am its new treasurer."
    )


def date(name: str, day: dt.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


PLEDGE = {
    "organisation_name": "Braunstone Youth Trust",
    "signatory_name": "Ada Tester",
    "signatory_position": "Chair of trustees",
    **date("signed_on", TODAY),
    "confirmed": "on",
}
PAPER = {
    **PLEDGE,
    **date("signed_on", TODAY - dt.timedelta(days=4)),
    **date("received_on", TODAY - dt.timedelta(days=1)),
}
NEW_ORGANISATION = {
    "name": "Saffron Lane Allotments Society",
    "sector": "vcs",
    "kind": "community_group",
    "has_equality_policy": "no",
}


def trust(name: str, *more) -> Callable[[Cast], str]:
    return lambda c: reverse(f"organisations:{name}", args=[c.trust.slug, *more])


def member_pk(c: Cast) -> int:
    return Membership.objects.get(user=c.member, organisation=c.trust).pk


def support(name: str, *more) -> Callable[[Cast], str]:
    return lambda c: reverse(
        f"organisations:{name}", args=["leicester", *[m(c) if callable(m) else m for m in more]]
    )


@dataclass
class Case:
    what: str
    method: str
    url_name: str
    url: Callable[[Cast], str]
    expected: dict
    data: dict | None = None
    before: Callable | None = None


CASES = [
    Case(
        "the form to add an organisation",
        "get",
        "new",
        lambda c: reverse("organisations:new"),
        anyone_signed_in(),
    ),
    Case(
        "adding an organisation",
        "post",
        "new",
        lambda c: reverse("organisations:new"),
        anyone_signed_in(DONE),
        data=NEW_ORGANISATION,
    ),
    Case(
        "the form to register a community group",
        "get",
        "community_group_new",
        lambda c: reverse("organisations:community_group_new"),
        anyone_signed_in(),
    ),
    Case(
        # the cast have not confirmed an e-mail address: refused on the form, not the page
        "registering a community group",
        "post",
        "community_group_new",
        lambda c: reverse("organisations:community_group_new"),
        anyone_signed_in(400),
        data={"name": "Marsh Lane Neighbours", "area": "Marsh Lane"},
    ),
    Case(
        "the confirmation of an organisation added",
        "get",
        "created",
        trust("created"),
        members_only(),
    ),
    Case("the form to claim an organisation", "get", "claim", trust("claim"), anyone_signed_in()),
    Case(
        "claiming an organisation",
        "post",
        "claim",
        trust("claim"),
        {**anyone_signed_in(DONE), "member": 400, "officer": 400, "administrator": 400},
        data={"reason": "I am its new chair."},
    ),
    Case(
        "the confirmation of a claim sent",
        "get",
        "claim_sent",
        trust("claim_sent"),
        {**anyone_signed_in(404), "other_support": 200},
        before=trust_claimed,
    ),
    Case(
        "a claim on an organisation with administrators",
        "get",
        "claim_decide",
        lambda c: reverse("organisations:claim_decide", args=[c.trust.slug, c.claim.pk]),
        administrators_only(),
        before=trust_claimed,
    ),
    Case(
        "deciding a claim on an organisation without administrators",
        "post",
        "claim_decide",
        lambda c: reverse("organisations:claim_decide", args=["orphaned", c.claim.pk]),
        {
            **support_only(DONE),
            "other_support": DONE,  # any compact's support team: claims come before compacts
        },
        data={"decision": "approve", "role": "administrator"},
        before=orphan_claimed,
    ),
    Case("the list of members", "get", "members", trust("members"), members_only()),
    Case("the form to invite someone", "get", "invite", trust("invite"), administrators_only()),
    Case(
        "inviting someone",
        "post",
        "invite",
        trust("invite"),
        administrators_only(DONE),
        data={"email": "newcomer@example.org", "role": "officer"},
    ),
    Case(
        "the form to change a member's role",
        "get",
        "member",
        lambda c: reverse("organisations:member", args=[c.trust.slug, member_pk(c)]),
        administrators_only(),
    ),
    Case(
        "changing a member's role",
        "post",
        "member",
        lambda c: reverse("organisations:member", args=[c.trust.slug, member_pk(c)]),
        administrators_only(DONE),
        data={"role": "officer"},
    ),
    Case(
        "the question whether to remove a member",
        "get",
        "member_remove",
        lambda c: reverse("organisations:member_remove", args=[c.trust.slug, member_pk(c)]),
        administrators_only(),
    ),
    Case(
        "removing a member",
        "post",
        "member_remove",
        lambda c: reverse("organisations:member_remove", args=[c.trust.slug, member_pk(c)]),
        administrators_only(DONE),
    ),
    Case(
        "the question whether to revoke an invitation",
        "get",
        "invitation_revoke",
        lambda c: reverse("organisations:invitation_revoke", args=[c.trust.slug, c.invitation.pk]),
        administrators_only(),
        before=waiting_invitation,
    ),
    Case(
        "revoking an invitation",
        "post",
        "invitation_revoke",
        lambda c: reverse("organisations:invitation_revoke", args=[c.trust.slug, c.invitation.pk]),
        administrators_only(DONE),
        before=waiting_invitation,
    ),
    Case("the question whether to leave", "get", "leave", trust("leave"), members_only()),
    Case(
        "leaving",
        "post",
        "leave",
        trust("leave"),
        {**members_only(200), "administrator": 400},  # the last administrator cannot
    ),
    Case(
        "the link in an invitation",
        "get",
        "invitation",
        lambda c: reverse("organisations:invitation", kwargs={"token": "x" * 43}),
        dict.fromkeys(ROLES, 302),
    ),
    Case(
        "an invitation for the outsider's address",
        "get",
        "invitation_accept",
        lambda c: reverse("organisations:invitation_accept"),
        {**anyone_signed_in(403), "outsider": 200},
        before=invited_outsider,
    ),
    Case(
        "accepting an invitation for the outsider's address",
        "post",
        "invitation_accept",
        lambda c: reverse("organisations:invitation_accept"),
        {**anyone_signed_in(403), "outsider": DONE},
        before=invited_outsider,
    ),
    Case(
        "the pledge form",
        "get",
        "pledge",
        trust("pledge", "leicester"),
        administrators_only(),
    ),
    Case(
        "signing the pledge",
        "post",
        "pledge",
        trust("pledge", "leicester"),
        administrators_only(DONE),
        data=PLEDGE,
    ),
    Case(
        "the confirmation of a pledge signed",
        "get",
        "pledge_signed",
        trust("pledge_signed", "leicester"),
        members_and_support(),
        before=signed,
    ),
    Case(
        "the withdrawal form",
        "get",
        "withdraw",
        trust("withdraw", "leicester"),
        administrators_only(),
        before=signed,
    ),
    Case(
        "withdrawing",
        "post",
        "withdraw",
        trust("withdraw", "leicester"),
        administrators_only(DONE),
        data={**date("withdrawn_on", TODAY), "reason": ""},
        before=signed,
    ),
    Case(
        "the confirmation of a withdrawal",
        "get",
        "withdrawn",
        trust("withdrawn", "leicester"),
        members_and_support(),
        before=withdrawn,
    ),
    Case(
        "the support team's list of compacts",
        "get",
        "support_index",
        lambda c: reverse("organisations:support_index"),
        {**support_only(), "other_support": 200},
    ),
    Case("the support team's page", "get", "support", support("support"), support_only()),
    Case(
        "finding an organisation",
        "get",
        "support_organisations",
        lambda c: reverse("organisations:support_organisations", args=["leicester"]) + "?q=youth",
        support_only(),
    ),
    Case(
        "an organisation, for the support team",
        "get",
        "support_organisation",
        support("support_organisation", lambda c: c.trust.slug),
        support_only(),
    ),
    Case(
        "the paper pledge form",
        "get",
        "paper_pledge",
        support("paper_pledge", lambda c: c.trust.slug),
        support_only(),
    ),
    Case(
        "recording a paper pledge",
        "post",
        "paper_pledge",
        support("paper_pledge", lambda c: c.trust.slug),
        support_only(DONE),
        data=PAPER,
    ),
    Case(
        "the paper withdrawal form",
        "get",
        "paper_withdrawal",
        support("paper_withdrawal", lambda c: c.trust.slug),
        support_only(),
        before=signed,
    ),
    Case(
        "recording a withdrawal received on paper",
        "post",
        "paper_withdrawal",
        support("paper_withdrawal", lambda c: c.trust.slug),
        support_only(DONE),
        data={**date("withdrawn_on", TODAY), "reason": "Letter of 3 March."},
        before=signed,
    ),
    Case(
        "the confirmation of what the support team recorded",
        "get",
        "support_pledge",
        support("support_pledge", lambda c: c.trust.signatures.get().pk),
        support_only(),
        before=signed,
    ),
    Case(
        "the question whether to verify",
        "get",
        "verify",
        support("verify", lambda c: c.trust.slug),
        support_only(),
    ),
    Case(
        "verifying an organisation",
        "post",
        "verify",
        support("verify", lambda c: c.trust.slug),
        support_only(DONE),
    ),
    Case("the list of roles", "get", "roles", support("roles"), support_only()),
    Case("the form to give a role", "get", "role_grant", support("role_grant"), support_only()),
    Case(
        "giving a role",
        "post",
        "role_grant",
        support("role_grant"),
        support_only(DONE),
        data={"email": "member@example.org", "kind": "steering_group", "case": ""},
    ),
    Case(
        "the question whether to revoke a role",
        "get",
        "role_revoke",
        support("role_revoke", lambda c: c.role.pk),
        support_only(),
        before=steering_role,
    ),
    Case(
        "revoking a role",
        "post",
        "role_revoke",
        support("role_revoke", lambda c: c.role.pk),
        support_only(DONE),
        before=steering_role,
    ),
]

TABLE = [pytest.param(case, role, id=f"{case.what} / {role}") for case in CASES for role in ROLES]


@pytest.fixture
def cast(db, monkeypatch) -> Cast:
    monkeypatch.setattr(manage, "today", lambda: TODAY)
    monkeypatch.setattr(manage, "now", lambda: NOW)
    return make_cast()


@pytest.mark.parametrize("case,role", TABLE)
def test_who_may_use_it(client, cast, case, role):
    if role != "anonymous":
        client.force_login(cast.users[role])
    if case.before:
        case.before(cast, client)
    url = case.url(cast)
    response = client.get(url) if case.method == "get" else client.post(url, case.data or {})
    expected = case.expected[role]
    assert response.status_code == expected, (
        f"{case.what} as {role}: {response.status_code}, expected {expected}"
    )
    if role == "anonymous":
        assert response["Location"].startswith(reverse("core:login")) or (
            case.url_name == "invitation"
        )


def test_the_table_covers_every_page_and_action():
    names = {pattern.name for pattern in urlpatterns}
    covered = {(case.url_name, case.method) for case in CASES}
    assert {name for name, _ in covered} == names
    # Every page that takes a form is checked for both reading and sending it.
    posts = {name for name, method in covered if method == "post"}
    assert posts >= {
        "new",
        "claim",
        "claim_decide",
        "invite",
        "member",
        "member_remove",
        "invitation_revoke",
        "leave",
        "invitation_accept",
        "pledge",
        "withdraw",
        "paper_pledge",
        "paper_withdrawal",
        "verify",
        "role_grant",
        "role_revoke",
    }


def test_a_refusal_goes_to_the_audit_log(client, cast, caplog):
    client.force_login(cast.outsider)
    with caplog.at_level("WARNING", logger="localcompact.audit"):
        response = client.get(reverse("organisations:members", args=[cast.trust.slug]))
    assert response.status_code == 403
    assert any(r.event == "permission.refused" for r in caplog.records if hasattr(r, "event"))


def test_the_predicates_say_the_same_as_the_pages(cast):
    """The permissions the pages ask for, checked directly for each person."""
    expect = {
        "organisations.view_members": {"member", "officer", "administrator"},
        "organisations.manage_members": {"administrator"},
        "organisations.sign_pledge": {"administrator"},
    }
    for perm, allowed in expect.items():
        for name, user in cast.users.items():
            assert user.has_perm(perm, cast.trust) == (name in allowed), (perm, name)
    for name, user in cast.users.items():
        assert user.has_perm("organisations.support_compact", cast.leicester) == (
            name in {"support", "staff"}
        ), name
        assert user.has_perm("organisations.support_compact", cast.city) == (
            name in {"other_support", "staff"}
        ), name


def test_a_revoked_support_role_no_longer_opens_the_support_pages(client, cast):
    services.compact_role_grant(
        compact=cast.leicester, user=cast.officer, kind=CompactRoleKind.SUPPORT_TEAM, by=cast.staff
    )
    role = CompactRole.objects.get(user=cast.support)
    services.compact_role_revoke(role=role, by=cast.staff, now=NOW)
    client.force_login(cast.support)
    assert client.get(reverse("organisations:support", args=["leicester"])).status_code == 403
