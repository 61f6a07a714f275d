"""Who may do what with volunteering and equality records (django-rules).

On an organisation:
- `volunteering.manage`: its officers and administrators (opportunities, policies,
  figures, the equality policy, answering format requests);
- `volunteering.view_private`: its members (interests received, its own figures,
  format requests made to it);
- `volunteering.assess`: officers and administrators of a public body (equality
  impact assessments).

A format request is seen by its maker (signed in, or through the private link with its
reference) and by the members of the organisation it was made to. Staff and the
support team see the public pages and the added-up figures, as everyone does.
"""

import rules

from localcompact.organisations.models import Sector
from localcompact.organisations.rules import acts_for, is_member


@rules.predicate
def is_public_body(user, organisation) -> bool:
    return organisation is not None and organisation.sector == Sector.PUBLIC


@rules.predicate
def made_the_request(user, request) -> bool:
    return request is not None and user.is_authenticated and request.user_id == user.pk


@rules.predicate
def member_of_requested(user, request) -> bool:
    return request is not None and is_member(user, request.organisation)


rules.add_perm("volunteering.manage", acts_for)
rules.add_perm("volunteering.view_private", is_member)
rules.add_perm("volunteering.assess", acts_for & is_public_body)
rules.add_perm("volunteering.view_format_request", made_the_request | member_of_requested)
