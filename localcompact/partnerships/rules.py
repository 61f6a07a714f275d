"""Who may see and do what with partnership groups, requests to act, reports of withheld
information, consents and freedom-of-information requests (django-rules).

On a group (`user.has_perm(perm, group)`):

- its list entry, terms of reference, members and published meeting dates are public;
- `view_group_record` (meetings, papers, attendance, declarations, decisions, minutes,
  registers of interests, history): the group's participants (members of the convening
  organisation or of an organisation with a current seat), the compact's support team,
  and staff;
- `view_restricted` (commercially sensitive, confidential and embargoed items and
  papers): the participants only, not the support team or staff;
- `manage_group`: officers and administrators of the convening organisation.

On a group member: `confirm_access`: the convening organisation's officers, officers of
the member's own organisation, and the member (when linked to an account).

On a request to act: seen by members of both organisations, the compact's support team
and staff; acted on (`act_on_request`) by officers of the organisation asked.
On a withheld-information report: seen by members of the reporting organisation, the
compact's support team and steering group, and staff; considered by the support team.
On a consent: seen by members of both organisations; decided by officers of the
organisation it is about. On a freedom-of-information request: seen by members of the
public body and of the organisation; commented on by the organisation's officers;
decided by the public body's officers.
"""

import rules

from localcompact.organisations.models import CompactRole, CompactRoleKind, Membership
from localcompact.organisations.rules import acts_for, is_member, is_staff, is_support_team


def _member_of_any(user, organisation_ids) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation_id__in=organisation_ids).exists()


def participant_organisation_ids(group) -> set[int]:
    ids = set(group.members.current().values_list("organisation_id", flat=True))
    ids.add(group.convener_id)
    return ids


@rules.predicate
def is_participant(user, group) -> bool:
    if group is None or not user.is_authenticated:
        return False
    cache = getattr(user, "_partnership_participation", None)
    if cache is None:
        cache = user._partnership_participation = {}
    if group.pk not in cache:
        cache[group.pk] = _member_of_any(user, participant_organisation_ids(group))
    return cache[group.pk]


@rules.predicate
def convenes(user, group) -> bool:
    return group is not None and acts_for(user, group.convener)


@rules.predicate
def supports_group_compact(user, group) -> bool:
    return group is not None and is_support_team(user, group.compact)


@rules.predicate
def acts_for_member_organisation(user, member) -> bool:
    return member is not None and (
        acts_for(user, member.organisation) or acts_for(user, member.group.convener)
    )


@rules.predicate
def is_the_member(user, member) -> bool:
    return member is not None and user.is_authenticated and member.user_id == user.pk


# Requests to act
@rules.predicate
def in_request(user, request) -> bool:
    return request is not None and _member_of_any(
        user, [request.from_organisation_id, request.to_organisation_id]
    )


@rules.predicate
def asked_to_act(user, request) -> bool:
    return request is not None and acts_for(user, request.to_organisation)


@rules.predicate
def supports_record_compact(user, record) -> bool:
    return record is not None and is_support_team(user, record.compact)


# Withheld information
@rules.predicate
def reported_withheld(user, report) -> bool:
    return report is not None and is_member(user, report.reported_by)


@rules.predicate
def on_steering_group(user, report) -> bool:
    if report is None or not user.is_authenticated:
        return False
    return (
        CompactRole.objects.current()
        .filter(user=user, compact_id=report.compact_id, kind=CompactRoleKind.STEERING_GROUP)
        .exists()
    )


@rules.predicate
def steers_compact(user, compact) -> bool:
    if compact is None or not user.is_authenticated:
        return False
    return (
        CompactRole.objects.current()
        .filter(user=user, compact=compact, kind=CompactRoleKind.STEERING_GROUP)
        .exists()
    )


# Consents
@rules.predicate
def in_consent(user, consent) -> bool:
    return consent is not None and _member_of_any(user, [consent.holder_id, consent.about_id])


@rules.predicate
def consent_is_about_theirs(user, consent) -> bool:
    return consent is not None and acts_for(user, consent.about)


# Freedom of information
@rules.predicate
def in_foi(user, foi) -> bool:
    return foi is not None and _member_of_any(user, [foi.public_body_id, foi.organisation_id])


@rules.predicate
def acts_for_foi_organisation(user, foi) -> bool:
    return foi is not None and acts_for(user, foi.organisation)


@rules.predicate
def acts_for_public_body(user, foi) -> bool:
    return foi is not None and acts_for(user, foi.public_body)


rules.add_perm("partnerships.view_group_record", is_participant | supports_group_compact | is_staff)
rules.add_perm("partnerships.view_restricted", is_participant)
rules.add_perm("partnerships.manage_group", convenes)
rules.add_perm("partnerships.confirm_access", acts_for_member_organisation | is_the_member)
rules.add_perm("partnerships.view_request", in_request | supports_record_compact | is_staff)
rules.add_perm("partnerships.act_on_request", asked_to_act)
rules.add_perm(
    "partnerships.view_withheld",
    reported_withheld | supports_record_compact | on_steering_group | is_staff,
)
rules.add_perm("partnerships.consider_withheld", supports_record_compact)
# On a compact: the list of its withheld-information reports.
rules.add_perm("partnerships.view_withheld_list", is_support_team | steers_compact)
rules.add_perm("partnerships.view_consent", in_consent)
rules.add_perm("partnerships.decide_consent", consent_is_about_theirs)
rules.add_perm("partnerships.view_foi", in_foi)
rules.add_perm("partnerships.comment_foi", acts_for_foi_organisation)
rules.add_perm("partnerships.decide_foi", acts_for_public_body)
# On an organisation: its officers start groups, requests, reports, consents and
# FOI records for it; its members see its lists.
rules.add_perm("partnerships.act_for", acts_for)
rules.add_perm("partnerships.view_lists", is_member)
