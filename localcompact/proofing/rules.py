"""Who may do what with compact-proofing reports (django-rules).

- Officers and administrators of an organisation, public body or voluntary one, proof
  drafts for it (`proofing.create`, on an organisation).
- Its members list its reports (`proofing.list`, on an organisation); so do staff.
- A report is seen by the organisation's members, by the support team of the compact it
  was checked against, and by staff (`proofing.view`, on a report). Drafts are not
  public: anyone else is told the report does not exist, until the report is attached
  as evidence to a consultation or a commissioning plan (both public): it is then
  public, and anyone, signed in or not, may read it.
- The uploaded file a report was made from stays with the same people even then
  (`proofing.view_document`): a Word file carries more than its text (authors, comments,
  earlier versions), and the text checked is on the report's page.
- Officers and administrators of the organisation attach its reports as evidence, and
  remove them again (`proofing.attach`, on a report). The compact mark of a passing
  report is offered on its page; the mark and the verification page are found by the
  mark's reference (60 random bits), so anyone holding a marked document may check it,
  and nobody can list marks.
"""

import rules

from localcompact.organisations.rules import acts_for, is_member, is_staff, is_support_team


@rules.predicate
def member_of_reporting(user, report) -> bool:
    return report is not None and is_member(user, report.organisation)


@rules.predicate
def supports_reported_compact(user, report) -> bool:
    return report is not None and is_support_team(user, report.compact)


@rules.predicate
def is_public_report(user, report) -> bool:
    return report is not None and report.published_at is not None


@rules.predicate
def acts_for_reporting(user, report) -> bool:
    return report is not None and acts_for(user, report.organisation)


rules.add_perm("proofing.create", acts_for)
rules.add_perm("proofing.list", is_member | is_staff)
rules.add_perm("proofing.view", is_public_report | member_of_reporting | supports_reported_compact)
rules.add_perm("proofing.view_document", member_of_reporting | supports_reported_compact)
rules.add_perm("proofing.attach", acts_for_reporting)
