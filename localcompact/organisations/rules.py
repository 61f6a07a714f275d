"""Who may do what for an organisation or a compact, as predicates (django-rules).

Roles for an organisation: member < officer < administrator. Roles for a compact are
CompactRoles granted by its support team; staff may do what the support team does.
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


rules.add_perm("organisations.view_private", is_member)
rules.add_perm("organisations.act_for", acts_for)
rules.add_perm("organisations.administer", administers)
rules.add_perm("organisations.support", is_support_team)
