"""Who may do what with informing notices (django-rules).

Seeing a notice depends on the time (an embargo lifts), so it is decided by
`Notice.objects.visible_to(user, now)`, the one query every page uses; these
predicates cover the rest:

- `notices.issue` (on an organisation): its officers and administrators, if it is a
  public body;
- `notices.change` (on a notice: edit, publish, withdraw): officers and administrators
  of the issuing body;
- `notices.view_history` (on a notice): members of the issuing body;
- `notices.view_organisation` (on an organisation: its notices page): its members.

Staff and the compact support team have no extra rights over notices: a restricted
notice is for the organisations it names.
"""

import rules

from localcompact.organisations.models import Sector
from localcompact.organisations.rules import acts_for, is_member


@rules.predicate
def is_public_body(user, organisation) -> bool:
    return organisation is not None and organisation.sector == Sector.PUBLIC


@rules.predicate
def acts_for_issuer(user, notice) -> bool:
    return notice is not None and acts_for(user, notice.issued_by)


@rules.predicate
def is_member_of_issuer(user, notice) -> bool:
    return notice is not None and is_member(user, notice.issued_by)


rules.add_perm("notices.issue", acts_for & is_public_body)
rules.add_perm("notices.change", acts_for_issuer)
rules.add_perm("notices.view_history", is_member_of_issuer)
rules.add_perm("notices.view_organisation", is_member)
