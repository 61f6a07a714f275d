"""Who stands where on a case: the procedure's roles a person holds on it, whether they
see it, and which of its records they may read.

A procedure role is held by a side of the case (its parties' officers and
administrators act for them) or through a CompactRole: the subgroup chair and members,
the steering or working group, the support team, or the mediator appointed for this
case. A person holding a compact role who belongs to an organisation on either side is
conflicted: the role gives them nothing on that case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from localcompact.organisations.models import (
    ACTING_ROLES,
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
)
from localcompact.rulebook import StagedProcedure

from .models import Case, CaseParty, Side

PARTY_SIDES = {
    "party": (Side.RAISING, Side.ANSWERING),
    "raising-party": (Side.RAISING,),
    "answering-party": (Side.ANSWERING,),
}
# The CompactRole kinds that hold each person role (the subgroup's chair sits in it too).
KINDS = {
    "subgroup-chair": (CompactRoleKind.SUBGROUP_CHAIR,),
    "subgroup-member": (CompactRoleKind.SUBGROUP_MEMBER, CompactRoleKind.SUBGROUP_CHAIR),
    "steering-group": (CompactRoleKind.STEERING_GROUP,),
    "support-team": (CompactRoleKind.SUPPORT_TEAM,),
    "mediator": (CompactRoleKind.MEDIATOR,),
}


def wrap(tokens) -> str:
    return "," + ",".join(sorted(set(tokens))) + ("," if tokens else "")


def open_to_for(procedure: StagedProcedure, visited) -> str:
    """The tokens of those who see a case that has been in the ``visited`` states."""
    tokens = set()
    for role, holder in procedure.holders.items():
        if not procedure.sees(role, visited):
            continue
        if holder in PARTY_SIDES:
            tokens |= {f"side:{side}" for side in PARTY_SIDES[holder]}
        else:
            tokens.add(holder)
    return wrap(tokens)


@dataclass
class Standing:
    """A person's standing on one case."""

    roles: set[str] = field(default_factory=set)
    organisation: Organisation | None = None  # the party they act for
    conflicted_roles: set[str] = field(default_factory=set)
    conflicts: list[Organisation] = field(default_factory=list)

    @property
    def sees(self) -> bool:
        return bool(self.roles)

    def reads(self, restricted_to) -> bool:
        """Whether they may read records kept only for ``restricted_to`` (empty: anyone
        who sees the case)."""
        return self.sees and (not restricted_to or bool(self.roles & set(restricted_to)))


def standing(user, case: Case, parties: list[CaseParty] | None = None) -> Standing:
    result = Standing()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return result
    procedure = case.procedure
    if parties is None:
        parties = list(case.parties.select_related("organisation"))
    memberships = dict(
        Membership.objects.filter(
            user=user, organisation_id__in=[p.organisation_id for p in parties]
        ).values_list("organisation_id", "role")
    )
    acting = [p for p in parties if memberships.get(p.organisation_id) in ACTING_ROLES]
    held = set(
        CompactRole.objects.current()
        .filter(user=user, compact_id=case.compact_id)
        .filter(Q(case="") | Q(case=case.reference))
        .values_list("kind", "case")
    )
    visited = case.visited_states
    for role, holder in procedure.holders.items():
        if not procedure.sees(role, visited):
            continue
        if holder in PARTY_SIDES:
            matches = [p for p in acting if p.side in PARTY_SIDES[holder]]
            if matches:
                result.roles.add(role)
                result.organisation = result.organisation or matches[0].organisation
        elif holder == "mediator":
            if (CompactRoleKind.MEDIATOR, case.reference) in held:
                result.roles.add(role)
        elif any((kind, "") in held for kind in KINDS[holder]):
            if memberships:
                result.conflicted_roles.add(role)
            else:
                result.roles.add(role)
    if result.conflicted_roles:
        result.conflicts = [p.organisation for p in parties if p.organisation_id in memberships]
    return result


def cases_visible_to(user) -> QuerySet[Case]:
    """Every case the person may see, as one query (for lists, search and counts)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    acting = Membership.objects.filter(user=user, role__in=ACTING_ROLES).values("organisation_id")
    member_of = Membership.objects.filter(user=user).values("organisation_id")
    query = Q(pk__in=[])
    for side in Side.values:
        query |= Q(
            pk__in=CaseParty.objects.filter(organisation_id__in=acting, side=side).values(
                "case_id"
            ),
            open_to__contains=f",side:{side},",
        )
    return Case.objects.filter(query | _through_roles(user, member_of))


def cases_visible_through_roles(user) -> QuerySet[Case]:
    """The cases the person sees because of a compact role they hold (subgroup, steering
    group, support team, mediator), not as a party's officer."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Case.objects.none()
    member_of = Membership.objects.filter(user=user).values("organisation_id")
    return Case.objects.filter(_through_roles(user, member_of))


def _through_roles(user, member_of) -> Q:
    query = Q(pk__in=[])
    roles = list(
        CompactRole.objects.current().filter(user=user).values_list("compact_id", "kind", "case")
    )
    conflicted = Q(pk__in=CaseParty.objects.filter(organisation_id__in=member_of).values("case_id"))
    for compact_id, kind, case_ref in roles:
        if kind == CompactRoleKind.MEDIATOR:
            query |= Q(compact_id=compact_id, reference=case_ref)
            continue
        for holder, kinds in KINDS.items():
            if holder != "mediator" and kind in kinds:
                query |= Q(compact_id=compact_id, open_to__contains=f",{holder},") & ~conflicted
    return query
