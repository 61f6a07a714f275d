"""Who may see and do what in funding and commissioning (django-rules).

Public: commissioning plans, opportunities, awards' headline facts (funder, recipient,
amount, period), the totals by funder, recipient and programme, and the open data.

Private to the funding relationship: an award's payments, monitoring, risks, changes
and notices are seen by members of the funder and of the recipient, the compact's
support team and staff. An application is seen by members of the applicant and of the
funder, the support team and staff; never by other applicants or the public.

Acting: officers and administrators of the funder (or commissioner) run plans,
opportunities, decisions and awards; those of the recipient record its side (terms
accepted, plan for the end, notice of winding a service down); those of an applicant
apply for it.
"""

import rules

from localcompact.organisations.rules import acts_for, is_member, is_support_team


@rules.predicate
def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def supports_its_compact(user, record) -> bool:
    if record is None or not user.is_authenticated:
        return False
    version = record.opportunity.version if hasattr(record, "applicant") else record.version
    return is_support_team(user, version.compact)


@rules.predicate
def acts_for_funder(user, record) -> bool:
    if record is None:
        return False
    funder = getattr(record, "funder", None) or getattr(record, "commissioner", None)
    if funder is None and hasattr(record, "opportunity"):
        funder = record.opportunity.funder
    return acts_for(user, funder)


@rules.predicate
def acts_for_recipient(user, award) -> bool:
    return award is not None and acts_for(user, award.recipient)


@rules.predicate
def acts_for_applicant(user, application) -> bool:
    return application is not None and acts_for(user, application.applicant)


@rules.predicate
def is_member_of_a_party(user, award) -> bool:
    return award is not None and (is_member(user, award.funder) or is_member(user, award.recipient))


@rules.predicate
def is_member_of_applicant_or_funder(user, application) -> bool:
    return application is not None and (
        is_member(user, application.applicant) or is_member(user, application.opportunity.funder)
    )


rules.add_perm("funding.view_award_private", is_member_of_a_party | supports_its_compact | is_staff)
rules.add_perm(
    "funding.view_application", is_member_of_applicant_or_funder | supports_its_compact | is_staff
)
# On a plan, an opportunity, an award, or an application (its opportunity's funder):
rules.add_perm("funding.act_for_funder", acts_for_funder)
# On an award:
rules.add_perm("funding.act_for_recipient", acts_for_recipient)
# On an application: its applicant's officers and administrators (withdraw it).
rules.add_perm("funding.act_for_applicant", acts_for_applicant)
# On an organisation: record funding it gives, or apply for funding for it.
rules.add_perm("funding.fund_as", acts_for)
rules.add_perm("funding.apply_as", acts_for)
