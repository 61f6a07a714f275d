"""Who may do what with disagreements (django-rules).

- `disputes.view_case` (on a case): its parties' officers and administrators, and the
  people its procedure involves once the case has reached them (the subgroup chair and
  members, the steering or working group, the case's mediator), unless they belong to
  an organisation on either side. Nobody else: not the support team, not staff.
- `disputes.raise`: anyone who acts for an organisation.
- `disputes.view_figures`: the support team or steering group of any compact, and staff;
  the figures are counts, with no case named.

Which records of a case a person may read (mediation records only to the sides and the
mediator) is `access.Standing.reads`.
"""

import rules

from localcompact.organisations.models import ACTING_ROLES, CompactRole, CompactRoleKind, Membership

from .access import standing


@rules.predicate
def sees_case(user, case) -> bool:
    return case is not None and standing(user, case).sees


@rules.predicate
def acts_for_any(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and Membership.objects.filter(user=user, role__in=ACTING_ROLES).exists()
    )


@rules.predicate
def prepares_annual_meeting(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return (
        CompactRole.objects.current()
        .filter(user=user, kind__in=(CompactRoleKind.SUPPORT_TEAM, CompactRoleKind.STEERING_GROUP))
        .exists()
    )


rules.add_perm("disputes.view_case", sees_case)
rules.add_perm("disputes.raise", acts_for_any)
rules.add_perm("disputes.view_figures", prepares_annual_meeting)
