"""Who may do what for an organisation, as predicates (django-rules)."""

import rules

from .models import ACTING_ROLES, Membership


@rules.predicate
def is_member(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


@rules.predicate
def acts_for(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role__in=ACTING_ROLES
    ).exists()


rules.add_perm("organisations.view_private", is_member)
rules.add_perm("organisations.act_for", acts_for)
