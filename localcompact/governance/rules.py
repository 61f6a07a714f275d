"""Who may do what in running a compact (django-rules).

- Everyone reads the public side: bodies in effect, agreed action plans and their
  progress, meetings' published agendas and minutes, elections' candidates and results,
  reviews, revisions, news and events, published stories.
- The compact's support team (and staff) keep the rest: make-ups of bodies, plans,
  meetings, elections, reviews and revisions, and publish stories
  (`governance.manage`, on a compact).
- An action's owner (its officers and administrators) reports progress on it
  (`governance.report_progress`, on an action).
- A concern is seen only by the members of the two organisations it is between
  (`governance.view_concern`), and answered by the officers of the one it was raised
  with (`governance.reply_concern`). The support team does not see it: raising a
  concern directly comes before any formal route.
"""

import rules

from localcompact.organisations.models import ACTING_ROLES, Membership
from localcompact.organisations.rules import acts_for, is_member, is_signed_in, is_support_team


def acting_organisations(user):
    """The organisations the user acts for (officer or administrator)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, role__in=ACTING_ROLES)
        .select_related("organisation")
        .order_by("organisation__name")
    )


@rules.predicate
def manages(user, compact) -> bool:
    return is_support_team(user, compact)


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and acts_for(user, action.owner)


@rules.predicate
def manages_action(user, action) -> bool:
    return action is not None and is_support_team(user, action.plan.compact)


@rules.predicate
def party_to_concern(user, concern) -> bool:
    return concern is not None and (
        is_member(user, concern.raised_by_organisation) or is_member(user, concern.raised_with)
    )


@rules.predicate
def answers_concern(user, concern) -> bool:
    return concern is not None and acts_for(user, concern.raised_with)


rules.add_perm("governance.manage", manages)
rules.add_perm("governance.report_progress", owns_action | manages_action)
rules.add_perm("governance.view_concern", party_to_concern)
rules.add_perm("governance.reply_concern", answers_concern)
rules.add_perm("governance.sign_up", is_signed_in)
