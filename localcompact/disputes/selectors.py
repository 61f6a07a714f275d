"""Reads about cases: what a case page shows, and the annual figures."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch

from localcompact.compacts.models import Compact
from localcompact.obligations.models import OPEN_STATUSES, Obligation
from localcompact.rulebook import long_date

from .access import Standing, cases_visible_through_roles
from .deadlines import as_date
from .models import Case, CaseDocument, CaseEvent, procedure_of


def obligations_of(case: Case):
    return (
        Obligation.objects.filter(
            source_type=ContentType.objects.get_for_model(Case), source_id=case.pk
        )
        .select_related("owed_by", "standard")
        .order_by("due_on", "pk")
    )


def role_deadlines(user) -> list[tuple[Obligation, Case]]:
    """The open time limits a compact role owes (the subgroup chair's decision, the
    steering group's hearing...) on the cases the person sees through such a role. No
    organisation owes them, so no organisation's dashboard lists them: this is where the
    people holding the role find them. Three queries, whatever the number of cases."""
    cases = cases_visible_through_roles(user).filter(is_final=False)
    owed = list(
        Obligation.objects.filter(
            source_type=ContentType.objects.get_for_model(Case),
            source_id__in=cases.values("pk"),
            owed_by__isnull=True,
            status__in=OPEN_STATUSES,
        )
        .select_related("standard")
        .order_by("due_on", "pk")[:200]
    )
    by_pk = Case.objects.in_bulk({obligation.source_id for obligation in owed})
    return [(obligation, by_pk[obligation.source_id]) for obligation in owed]


def shown(record, value, findings: dict) -> str:
    """A recorded value as a sentence fragment."""
    if record.kind == "date":
        day = as_date(value)
        return long_date(day) if day else str(value)
    if record.kind == "yes-no":
        return "Yes" if value else "No"
    if record.kind == "finding":
        return findings.get(value, value)
    if record.kind == "person":
        return value.get("name", "") if isinstance(value, dict) else str(value)
    if record.kind == "subgroup-members":
        return ", ".join(v.get("name", "") for v in value) if isinstance(value, list) else ""
    return str(value)


@dataclass
class Step:
    event: CaseEvent
    title: str
    readable: bool
    records: list[tuple[str, str]]
    documents: list


def timeline(case: Case, position: Standing) -> list[Step]:
    procedure = case.procedure
    steps = []
    events = case.events.select_related("organisation", "by").prefetch_related(
        Prefetch("documents", queryset=CaseDocument.objects.select_related("uploaded_by"))
    )
    for event in events:
        readable = position.reads(event.restricted_to)
        if event.kind == CaseEvent.Kind.OPENED:
            title, records = "Raised", procedure.opening
        else:
            move = procedure.moves[event.move]
            title, records = move.title, move.records
            if event.kind == CaseEvent.Kind.PART:
                title = f"{title}: {event.organisation.name}'s part"
        items = []
        if readable:
            items = [
                (r.title, shown(r, event.records[r.id], procedure.findings))
                for r in records
                if r.id in event.records and r.kind != "document"
            ]
        steps.append(
            Step(event, title, readable, items, list(event.documents.all()) if readable else [])
        )
    return steps


def public_statement(case: Case) -> list[tuple[str, str]]:
    """The public records of a published case, in the procedure's order."""
    procedure = case.procedure
    items = []
    for move in procedure.moves.values():
        for record in move.records:
            if record.public and record.id in case.public_records:
                items.append(
                    (
                        record.title,
                        shown(record, case.public_records[record.id], procedure.findings),
                    )
                )
    return items


# Annual figures --------------------------------------------------------------------------


@dataclass
class Figures:
    compact: Compact
    year: int
    raised: int
    open: int
    by_stage: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    by_finding: list[tuple[str, int]]
    closed: int
    median_working_days: float | None
    longest_working_days: int | None


def figures(*, compact: Compact, year: int) -> Figures | None:
    """Cases raised in ``year`` under the compact: the furthest stage each reached, how
    they ended, and how long closed ones took in working days. Counts only."""
    rows = list(
        Case.objects.filter(compact=compact, raised_on__year=year).values_list(
            "version_id", "visited", "state", "is_final", "finding", "raised_on", "closed_on"
        )
    )
    version = compact.current_version
    if version is None or "disagreement_procedure" not in version.definition:
        return None
    versions = {version.pk: version}
    for version_id in {row[0] for row in rows} - set(versions):
        versions[version_id] = compact.versions.get(pk=version_id)
    stages = Counter()
    outcomes = Counter()
    findings = Counter()
    durations = []
    current = procedure_of(version)
    for version_id, visited, state, is_final, finding, raised_on, closed_on in rows:
        procedure = procedure_of(versions[version_id])
        order = list(procedure.stage_titles)
        # A stage with only final states (withdrawal) closes a case; it is not reached.
        closing = {
            stage
            for stage in order
            if all(st.final for st in procedure.states.values() if st.stage == stage)
        }
        reached = [
            procedure.states[s].stage
            for s in visited.split(",")
            if s and procedure.states[s].stage not in closing
        ]
        furthest = max(reached, key=order.index) if reached else procedure.states[state].stage
        stages[procedure.stage_titles[furthest]] += 1
        outcomes[procedure.states[state].title if is_final else "Still open"] += 1
        if finding:
            findings[procedure.findings.get(finding, finding)] += 1
        if is_final and closed_on:
            durations.append(
                versions[version_id].calendar.working_days_between(raised_on, closed_on)
            )
    ordered_stages = [(t, stages[t]) for t in current.stage_titles.values() if stages[t]]
    ordered_stages += [(t, n) for t, n in stages.items() if t not in current.stage_titles.values()]
    return Figures(
        compact=compact,
        year=year,
        raised=len(rows),
        open=sum(1 for row in rows if not row[3]),
        by_stage=ordered_stages,
        by_outcome=sorted(outcomes.items()),
        by_finding=[(t, findings[t]) for t in current.findings.values() if findings[t]],
        closed=len(durations),
        median_working_days=statistics.median(durations) if durations else None,
        longest_working_days=max(durations) if durations else None,
    )


def years_with_cases(compact: Compact, today: dt.date) -> list[int]:
    years = {d.year for d in Case.objects.filter(compact=compact).dates("raised_on", "year")}
    years.add(today.year)
    return sorted(years, reverse=True)
