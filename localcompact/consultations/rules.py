"""Who may do what with consultations (django-rules).

Consultations, their documents, the forward plan and published feedback are public.
On a consultation (`user.has_perm(perm, consultation)`):

- `manage_consultation` (open, close, documents, analysis, decide, publish feedback,
  publish responses): officers and administrators of the lead body;
- `view_responses` (the responses, as sent; never an anonymous respondent's identity,
  which is not stored): members of the lead body, and staff.

On an organisation: `plan_consultation`: its officers and administrators.
`respond` and `follow`: anyone signed in (an anonymous response needs no account).
"""

import rules

from localcompact.organisations.rules import acts_for, is_member, is_signed_in, is_staff


@rules.predicate
def acts_for_lead(user, consultation) -> bool:
    return consultation is not None and acts_for(user, consultation.lead)


@rules.predicate
def member_of_lead(user, consultation) -> bool:
    return consultation is not None and is_member(user, consultation.lead)


rules.add_perm("consultations.plan_consultation", acts_for)
rules.add_perm("consultations.manage_consultation", acts_for_lead)
rules.add_perm("consultations.view_responses", member_of_lead | is_staff)
rules.add_perm("consultations.follow", is_signed_in)
