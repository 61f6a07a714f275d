"""Who may do what with compact-proofing reports (django-rules).

- Officers and administrators of an organisation, public body or voluntary one, proof
  drafts for it (`proofing.create`, on an organisation).
- Its members list its reports (`proofing.list`, on an organisation); so do staff.
- A report is seen by the organisation's members, by the support team of the compact it
  was checked against, and by staff (`proofing.view`, on a report). Drafts are not
  public: anyone else is told the report does not exist.
"""

import rules

from localcompact.organisations.rules import acts_for, is_member, is_staff, is_support_team


@rules.predicate
def member_of_reporting(user, report) -> bool:
    return report is not None and is_member(user, report.organisation)


@rules.predicate
def supports_reported_compact(user, report) -> bool:
    return report is not None and is_support_team(user, report.compact)


rules.add_perm("proofing.create", acts_for)
rules.add_perm("proofing.list", is_member | is_staff)
rules.add_perm("proofing.view", member_of_reporting | supports_reported_compact)
