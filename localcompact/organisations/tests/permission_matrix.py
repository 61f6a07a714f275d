"""The organisations' rows of the permission matrix (tests/quality/test_permission_matrix.py).

The organisation concerned is the matrix world's Eastbrook Borough Council (see
tests/quality/world.py), which has an administrator, so claims on it are for its
administrators to decide. Following `rules.py`:

- the register and an organisation's public page are for everyone; its history is for
  the support team of any compact, and staff;
- adding or claiming an organisation is for anyone signed in; the page saying a claim
  was sent is only for whoever sent it (the outsider here), anyone else is told there is
  none (404);
- an organisation's own pages are for its members; managing its members, signing and
  withdrawing its pledge for its administrators; the support team and staff are not
  members, so they see none of it, except the confirmations of a pledge signed or
  withdrawn, which they may follow;
- a compact's support pages are for its support team and staff;
- an invitation's link stores it in the session and moves on to the page that asks to
  accept it: for the invited address only (403 for anyone else), not found without one.

Forms sent empty get their errors (400) for the people allowed, 403 for the others:
the permission is checked before the form is read.
"""

import datetime as dt

from localcompact.organisations import services
from localcompact.organisations.models import CompactRoleKind, Membership, Role
from tests.quality.matrix import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    administrators,
    but,
    everyone,
    members,
    signed_in,
    support_team,
)


def prepare(world) -> None:
    o = world.objects
    o.claim = services.organisation_claim(
        organisation=world.organisation, by=world.user("outsider"), reason="I chair its forum."
    )
    o.invitation, _ = services.invitation_create(
        organisation=world.organisation,
        email="newcomer@matrix.example.org",
        role=Role.MEMBER,
        by=world.user("administrator"),
        now=world.now,
    )
    o.membership = Membership.objects.get(
        user=world.user("member"), organisation=world.organisation
    )
    o.role = services.compact_role_grant(
        compact=world.compact,
        user=world.user("officer"),
        kind=CompactRoleKind.STEERING_GROUP,
        by=world.user("support"),
    )


def signed(w, client=None) -> None:
    w.objects.signature = services.signature_sign(
        organisation=w.organisation,
        compact=w.compact,
        organisation_name=w.organisation.name,
        signatory_name="Ada Tester",
        signatory_position="Chief executive",
        signed_on=w.today - dt.timedelta(days=20),
        confirmed=True,
        by=w.user("administrator"),
        today=w.today,
    )


def withdrawn(w, client=None) -> None:
    signed(w)
    services.signature_withdraw(
        signature=w.objects.signature,
        withdrawn_on=w.today,
        reason="",
        by=w.user("administrator"),
        today=w.today,
    )


def invitation_for_the_outsider(w, client) -> None:
    """An invitation to the outsider's address, its link opened by this person."""
    _, token = services.invitation_create(
        organisation=w.organisation,
        email=w.user("outsider").email,
        role=Role.MEMBER,
        by=w.user("administrator"),
        now=w.now,
    )
    client.get(f"/invitations/{token}/")


def org(**more):
    return lambda w: {"slug": w.organisation.slug, **more}


def pledge(**more):
    return lambda w: {"slug": w.organisation.slug, "compact": w.compact.slug, **more}


def support(**more):
    return lambda w: {"compact": w.compact.slug, **{k: f(w) for k, f in more.items()}}


def support_org(**more):
    return support(slug=lambda w: w.organisation.slug, **more)


MEMBERS_AND_SUPPORT = but(members(OK), support=OK, staff=OK)

MATRIX = {
    # The public register
    "organisations:register": Route(everyone(OK)),
    "organisations:register-csv": Route(everyone(OK)),
    "organisations:register-json": Route(everyone(OK)),
    "organisations:detail": [
        Route(everyone(OK), kwargs=org()),
        Route(everyone(NOT_FOUND), kwargs=lambda w: {"slug": "nowhere"}, state="no such slug"),
    ],
    "organisations:history": Route(support_team(OK), kwargs=org()),
    # Adding and claiming
    "organisations:new": [
        Route(signed_in(OK)),
        Route(signed_in(INVALID), method="post"),
    ],
    # the short way in for an unconstituted community group; the matrix's people have
    # not confirmed an e-mail address, which the empty form's errors do not reach
    "organisations:community_group_new": [
        Route(signed_in(OK)),
        Route(signed_in(INVALID), method="post"),
    ],
    "organisations:created": Route(members(OK), kwargs=org()),
    "organisations:claim": Route(signed_in(OK), kwargs=org()),
    "organisations:claim_sent": Route(but(signed_in(NOT_FOUND), outsider=OK), kwargs=org()),
    "organisations:claim_decide": [
        Route(
            administrators(OK),
            kwargs=lambda w: {"slug": w.organisation.slug, "pk": w.objects.claim.pk},
        ),
        Route(
            administrators(INVALID),
            kwargs=lambda w: {"slug": w.organisation.slug, "pk": w.objects.claim.pk},
            method="post",
        ),
    ],
    # Members and invitations
    "organisations:members": Route(members(OK), kwargs=org()),
    "organisations:invite": [
        Route(administrators(OK), kwargs=org()),
        Route(administrators(INVALID), kwargs=org(), method="post"),
    ],
    "organisations:member": Route(
        administrators(OK), kwargs=lambda w: {**org()(w), "pk": w.objects.membership.pk}
    ),
    "organisations:member_remove": [
        Route(administrators(OK), kwargs=lambda w: {**org()(w), "pk": w.objects.membership.pk}),
        Route(
            administrators(REDIRECT),
            kwargs=lambda w: {**org()(w), "pk": w.objects.membership.pk},
            method="post",
        ),
    ],
    "organisations:invitation_revoke": Route(
        administrators(OK), kwargs=lambda w: {**org()(w), "pk": w.objects.invitation.pk}
    ),
    "organisations:leave": Route(members(OK), kwargs=org()),
    "organisations:invitation": Route(everyone(REDIRECT), kwargs=lambda w: {"token": "x" * 43}),
    "organisations:invitation_accept": [
        Route(signed_in(NOT_FOUND), state="no invitation opened"),
        Route(
            but(signed_in(FORBIDDEN), outsider=OK),
            before=invitation_for_the_outsider,
            state="the outsider's invitation opened",
        ),
    ],
    # The pledge
    "organisations:pledge": [
        Route(administrators(OK), kwargs=pledge()),
        Route(administrators(INVALID), kwargs=pledge(), method="post"),
    ],
    "organisations:pledge_signed": Route(
        MEMBERS_AND_SUPPORT, kwargs=pledge(), before=signed, state="signed"
    ),
    "organisations:withdraw": Route(
        administrators(OK), kwargs=pledge(), before=signed, state="signed"
    ),
    "organisations:withdrawn": Route(
        MEMBERS_AND_SUPPORT, kwargs=pledge(), before=withdrawn, state="withdrawn"
    ),
    # The compact support team's pages
    "organisations:support_index": Route(support_team(OK)),
    "organisations:support": Route(support_team(OK), kwargs=support()),
    "organisations:support_organisations": Route(support_team(OK), kwargs=support()),
    "organisations:support_organisation": Route(support_team(OK), kwargs=support_org()),
    "organisations:paper_pledge": [
        Route(support_team(OK), kwargs=support_org()),
        Route(support_team(INVALID), kwargs=support_org(), method="post"),
    ],
    "organisations:paper_withdrawal": Route(
        support_team(OK), kwargs=support_org(), before=signed, state="signed"
    ),
    "organisations:verify": Route(support_team(OK), kwargs=support_org()),
    "organisations:support_pledge": Route(
        support_team(OK),
        kwargs=support(pk=lambda w: w.objects.signature.pk),
        before=signed,
        state="signed",
    ),
    "organisations:roles": Route(support_team(OK), kwargs=support()),
    "organisations:role_grant": [
        Route(support_team(OK), kwargs=support()),
        Route(support_team(INVALID), kwargs=support(), method="post"),
    ],
    "organisations:role_revoke": Route(
        support_team(OK), kwargs=support(pk=lambda w: w.objects.role.pk)
    ),
}
