"""Who may see and do what with obligations, activities and calendar feeds (django-rules).

An obligation or an activity is seen by the members of the organisation that owes it,
the members of the organisations it is owed to, and the compact support team (staff).
It is changed (excused, marked done, withdrawn) only by the officers and administrators
of the organisation that owes it. An organisation's dashboards and calendar links are
for its members; recording an activity for it is for its officers and administrators.
A calendar link is revoked by the person who made it, or by an officer or administrator.
"""

import rules

from localcompact.organisations.models import Membership
from localcompact.organisations.rules import acts_for, is_member


@rules.predicate
def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_member_of_owing(user, record) -> bool:
    """`record` is an Obligation or an Activity: both have `owed_by` and `owed_to`."""
    return record is not None and is_member(user, record.owed_by)


@rules.predicate
def is_member_of_owed_to(user, record) -> bool:
    if not user.is_authenticated or record is None:
        return False
    return Membership.objects.filter(
        user=user, organisation__in=record.owed_to.values("pk")
    ).exists()


@rules.predicate
def acts_for_owing(user, record) -> bool:
    return record is not None and acts_for(user, record.owed_by)


@rules.predicate
def made_the_feed(user, feed) -> bool:
    return feed is not None and user.is_authenticated and feed.created_by_id == user.pk


@rules.predicate
def acts_for_feed_organisation(user, feed) -> bool:
    return feed is not None and acts_for(user, feed.organisation)


may_see = is_member_of_owing | is_member_of_owed_to | is_staff

rules.add_perm("obligations.view_obligation", may_see)
rules.add_perm("obligations.excuse_obligation", acts_for_owing)
rules.add_perm("obligations.view_activity", may_see)
rules.add_perm("obligations.change_activity", acts_for_owing)
# On an organisation:
rules.add_perm("obligations.view_dashboard", is_member)
rules.add_perm("obligations.record_activity", acts_for)
rules.add_perm("obligations.manage_calendar", is_member)
# On a calendar feed:
rules.add_perm("obligations.revoke_calendar", made_the_feed | acts_for_feed_organisation)
