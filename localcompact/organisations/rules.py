"""Who may do what for an organisation or a compact, as predicates (django-rules).

Roles for an organisation: member < officer < administrator. Roles for a compact are
CompactRoles granted by its support team; staff may do what the support team does.

On an organisation (`user.has_perm(perm, organisation)`):

- `view_private`, `view_members`, `leave`: any member;
- `act_for`: officers and administrators;
- `administer`, `manage_members`, `sign_pledge`: administrators.

On a compact: `support` (and `support_compact`): its support team, and staff.
On a claim: `decide_claim`: the organisation's administrators; when it has none, the
support team of any compact (claims come before any signature, so before any compact).
`create_organisation` and `claim`: anyone signed in.
"""

import rules

from .models import ACTING_ROLES, CompactRole, CompactRoleKind, Membership, Role


def _membership_role(user, organisation) -> str | None:
    if not user.is_authenticated or organisation is None:
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .values_list("role", flat=True)
        .first()
    )


@rules.predicate
def is_member(user, organisation) -> bool:
    return _membership_role(user, organisation) is not None


@rules.predicate
def acts_for(user, organisation) -> bool:
    return _membership_role(user, organisation) in ACTING_ROLES


@rules.predicate
def administers(user, organisation) -> bool:
    return _membership_role(user, organisation) == Role.ADMINISTRATOR


@rules.predicate
def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


@rules.predicate
def is_support_team(user, compact=None) -> bool:
    """On the support team of `compact`, or of any compact when none is given."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    roles = CompactRole.objects.current().filter(user=user, kind=CompactRoleKind.SUPPORT_TEAM)
    if compact is not None:
        roles = roles.filter(compact=compact)
    return roles.exists()


@rules.predicate
def is_any_support_team(user) -> bool:
    return is_support_team(user, None)


@rules.predicate
def administers_claimed(user, claim) -> bool:
    return claim is not None and administers(user, claim.organisation)


@rules.predicate
def claimed_has_no_administrator(user, claim) -> bool:
    return (
        claim is not None
        and not Membership.objects.filter(
            organisation_id=claim.organisation_id, role=Role.ADMINISTRATOR
        ).exists()
    )


rules.add_perm("organisations.view_private", is_member)
rules.add_perm("organisations.view_members", is_member)
rules.add_perm("organisations.leave", is_member)
rules.add_perm("organisations.act_for", acts_for)
rules.add_perm("organisations.administer", administers)
rules.add_perm("organisations.manage_members", administers)
rules.add_perm("organisations.sign_pledge", administers)
rules.add_perm("organisations.support", is_support_team)
rules.add_perm("organisations.support_compact", is_support_team)
rules.add_perm("organisations.create_organisation", is_signed_in)
rules.add_perm("organisations.claim", is_signed_in)
rules.add_perm(
    "organisations.decide_claim",
    administers_claimed | (claimed_has_no_administrator & is_any_support_team),
)
