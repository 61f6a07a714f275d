"""Who may do what with volunteering and equality records (django-rules).

On an organisation:
- `volunteering.manage`: its officers and administrators (opportunities, policies,
  figures, the equality policy, answering format requests);
- `volunteering.view_private`: its members (interests received, its own figures,
  format requests made to it);
- `volunteering.assess`: officers and administrators of a public body (equality
  impact assessments).

On a compact: `volunteering.answer_compact_requests`: its support team and staff (the
format requests made to the compact, where no organisation is named).

A format request is seen by its maker (signed in, or through the private link with its
reference) and by the members of the organisation it was made to, or, made to a
compact, by its support team and staff. Otherwise staff and the support team see the
public pages and the added-up figures, as everyone does.
"""

import rules

from localcompact.organisations.models import Sector
from localcompact.organisations.rules import acts_for, is_member, is_support_team


@rules.predicate
def is_public_body(user, organisation) -> bool:
    return organisation is not None and organisation.sector == Sector.PUBLIC


@rules.predicate
def made_the_request(user, request) -> bool:
    return request is not None and user.is_authenticated and request.user_id == user.pk


@rules.predicate
def member_of_requested(user, request) -> bool:
    return (
        request is not None
        and request.organisation_id is not None
        and is_member(user, request.organisation)
    )


@rules.predicate
def support_team_of_requested(user, request) -> bool:
    """On the support team (or staff) of the compact a request was made to."""
    return (
        request is not None
        and request.compact_id is not None
        and is_support_team(user, request.compact)
    )


rules.add_perm("volunteering.manage", acts_for)
rules.add_perm("volunteering.view_private", is_member)
rules.add_perm("volunteering.assess", acts_for & is_public_body)
rules.add_perm("volunteering.answer_compact_requests", is_support_team)
rules.add_perm(
    "volunteering.view_format_request",
    made_the_request | member_of_requested | support_team_of_requested,
)
