"""Reads for running a compact: bodies and their quotas, indicators, agendas."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from localcompact.compacts.models import Compact, CompactVersion
from localcompact.obligations.models import Obligation, Status
from localcompact.organisations.models import Sector
from localcompact.organisations.selectors import signatories_current
from localcompact.rulebook import Clause, SeatQuotas, Verdict

from .models import Action, ActionPlan, BodyMember, Composition, Election, Meeting, Revision


def bodies_of(version: CompactVersion) -> list[dict]:
    return list(version.definition.get("bodies", []))


def body_of(version: CompactVersion, ident: str) -> dict | None:
    return next((b for b in bodies_of(version) if b["id"] == ident), None)


def seat_of(body: dict, ident: str) -> dict | None:
    return next((s for s in body["seats"] if s["id"] == ident), None)


def quota_rule(composition: Composition) -> SeatQuotas:
    """The compact's seat-quota standard for this body; where the definition has none
    (Leicester's dispute subgroup), the same rules-package check against the body's own
    seats, citing the body's clause."""
    for standard in composition.version.standards.all():
        if standard.rule_kind == "seat_quotas" and standard.params.get("body") == composition.body:
            return standard.rule()
    body = composition.body_definition
    clause = body.get("clause") or {"document": "", "ref": ""}
    return SeatQuotas(
        body=composition.body, clause=Clause(document=clause["document"], ref=clause["ref"])
    )


@dataclass
class Check:
    verdict: Verdict
    withdrawn: list[BodyMember]  # members whose organisation no longer signs
    signatory_ids: set[int]


def composition_check(composition: Composition, members: list[BodyMember] | None = None) -> Check:
    """The composition against its body's seat quotas, by the rules package."""
    if members is None:
        members = list(composition.members.select_related("organisation"))
    signatories = list(
        signatories_current(compact=composition.compact).values_list("pk", "slug", "sector")
    )
    signatory_ids = {pk for pk, _, _ in signatories}
    public = [slug for _, slug, sector in signatories if sector == Sector.PUBLIC]
    rows = [
        {
            "seat": m.seat,
            "sector": m.sector,
            "flags": sorted(m.organisation.flags) if m.organisation else [],
            "organisation": m.organisation.slug if m.organisation else None,
            "is_signatory": m.organisation_id in signatory_ids,
            "name": m.name,
        }
        for m in members
    ]
    verdict = quota_rule(composition).check(
        body=composition.body_definition,
        members=rows,
        public_signatories=len(public),
        public_signatory_ids=public,
    )
    withdrawn = [m for m in members if m.organisation_id and m.organisation_id not in signatory_ids]
    return Check(verdict=verdict, withdrawn=withdrawn, signatory_ids=signatory_ids)


def seats_with_members(composition: Composition, members: list[BodyMember], public_count: int):
    """Each seat of the body with its places now and the members in it."""
    body = composition.body_definition
    by_seat = defaultdict(list)
    for member in members:
        by_seat[member.seat].append(member)
    return [
        {
            "seat": seat,
            "places": SeatQuotas.required_places(seat, body, public_count),
            "members": by_seat.get(seat["id"], []),
        }
        for seat in body["seats"]
    ]


def public_signatory_count(compact: Compact) -> int:
    return signatories_current(compact=compact).filter(sector=Sector.PUBLIC).count()


def current_compositions(compact: Compact) -> QuerySet[Composition]:
    return Composition.objects.filter(compact=compact, status=Composition.Status.CURRENT)


# Indicators --------------------------------------------------------------------------------


@dataclass
class Indicator:
    ident: str
    title: str
    by_year: list[dict]  # {"year", "kept", "late", "missed", "share"}


def outcome_indicators(compact: Compact) -> dict[str, list[Indicator]]:
    """For each outcome with indicators, each standard's obligations by year of their
    due date: kept on time, kept late, missed, and the share kept on time. Read from the
    obligations table in one query, whatever the number of obligations."""
    version = compact.current_version
    outcomes = version.definition.get("outcomes", [])
    idents = {i for o in outcomes for i in o.get("indicators", [])}
    if not idents:
        return {}
    rows = (
        Obligation.objects.filter(compact=compact, standard__ident__in=idents)
        .annotate(year=ExtractYear("due_on"))
        .values("standard__ident", "year")
        .annotate(
            kept=Count("pk", filter=Q(status=Status.MET)),
            late=Count("pk", filter=Q(status=Status.MET_LATE)),
            missed=Count("pk", filter=Q(status=Status.MISSED)),
        )
        .order_by("standard__ident", "year")
    )
    by_standard = defaultdict(list)
    for row in rows:
        decided = row["kept"] + row["late"] + row["missed"]
        if not decided:
            continue
        by_standard[row["standard__ident"]].append(
            {
                "year": row["year"],
                "kept": row["kept"],
                "late": row["late"],
                "missed": row["missed"],
                "share": round(100 * row["kept"] / decided),
            }
        )
    titles = dict(version.standards.filter(ident__in=idents).values_list("ident", "title"))
    return {
        outcome["id"]: [
            Indicator(ident, titles.get(ident, ident), by_standard.get(ident, []))
            for ident in outcome.get("indicators", [])
        ]
        for outcome in outcomes
        if outcome.get("indicators")
    }


# Agenda ------------------------------------------------------------------------------------


def agenda_for(meeting: Meeting, today: dt.date) -> list[tuple[str, str, list[str]]]:
    """The annual meeting's agenda from the platform's own records: (kind, title, lines)."""
    compact = meeting.compact
    version = compact.current_version
    items = []

    outcomes = version.definition.get("outcomes", [])
    indicators = outcome_indicators(compact)
    lines = []
    for outcome in outcomes:
        line = outcome.get("title") or outcome["text"]
        shown = []
        for indicator in indicators.get(outcome["id"], []):
            if indicator.by_year:
                last = indicator.by_year[-1]
                shown.append(f"{indicator.title}: {last['share']}% kept on time in {last['year']}")
        lines.append(line + (f" ({'; '.join(shown)})" if shown else ""))
    if lines:
        items.append(("outcomes", "Progress on the compact's outcomes", lines))

    plan = (
        ActionPlan.objects.filter(compact=compact, agreed_on__isnull=False)
        .order_by("-agreed_on")
        .first()
    )
    if plan is not None:
        counts = dict(
            Action.objects.filter(plan=plan).values_list("status").annotate(n=Count("pk"))
        )
        overdue = Action.objects.filter(
            plan=plan,
            due_on__lt=today,
            status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
        ).count()
        lines = [f"{label}: {counts.get(value, 0)}" for value, label in Action.Status.choices] + [
            f"Past their due date and not done: {overdue}"
        ]
        items.append(("action-plan", f"The action plan: {plan.title}", lines))
    items.append(
        (
            "next-action-plan",
            "Agreeing the action plan for the coming year",
            ["Proposals from the steering group and signatories"],
        )
    )

    previous = (
        Meeting.objects.filter(compact=compact, kind=meeting.kind, held=True, on__lt=meeting.on)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    since = previous or (meeting.on - dt.timedelta(days=365))
    missed = (
        Obligation.objects.filter(compact=compact, status=Status.MISSED, due_on__gt=since)
        .values("standard__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "standard__title")
    )
    lines = [f"{row['standard__title']}: missed {row['n']} times" for row in missed]
    items.append(
        (
            "breaches",
            f"Where the compact was not kept since {since:%-d %B %Y}",
            lines or ["No missed obligations recorded on the platform"],
        )
    )

    revisions = Revision.objects.filter(compact=compact, status=Revision.Status.PROPOSED)
    lines = [f"{r.title} ({r.get_reason_kind_display().lower()})" for r in revisions]
    items.append(("revisions", "Proposed revisions of the compact", lines or ["None proposed"]))

    elections = Election.objects.filter(meeting=meeting).select_related("composition")
    lines = [str(e.composition.title) for e in elections]
    if lines:
        items.append(("election", "Election", lines))
    return items
