"""A case's deadlines as obligations, read from its procedure and its history.

Generic over procedures: while a case is in a state, each move out of it that names a
standard sets a deadline. Moves from one state whose standards are owed by the same role
are one step (the subgroup chair names the next stage or explains why the procedure
does not apply: one reply is owed); the step's standard is the one of the move that was
made, or the first listed while it is awaited. The time counts from the date recorded
under the rule's ``after`` (or ``event``) name if the case has one (the day informal
attempts failed; the date set for the subgroup's meeting), else from the day the case
entered the state. A step owed by a side is owed by each of its parties, met on the day
that party made its part (or the step was taken); a step owed by a person role is owed
by that role. A step the case left by another way (a withdrawal) is no longer owed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from localcompact.obligations.models import Obligation
from localcompact.obligations.services import Declared
from localcompact.rulebook import ExceptionKind, NoticeBeforeEvent, RespondWithin

from .access import PARTY_SIDES
from .models import Case, CaseEvent


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def merge_records(into: dict, records: dict) -> None:
    """Add a step's records to what the case has recorded so far (a yes stays yes)."""
    for key, value in records.items():
        if isinstance(value, bool) and into.get(key) is True:
            continue
        into[key] = value


def entries_of(case: Case, events: list[CaseEvent]):
    """Each stay in a state: (state, entered_on, revision, parts, exit event or None,
    records known by the end of the stay)."""
    records = dict(case.opening)
    stays = []
    current = None
    parts: dict[int, list[CaseEvent]] = {}
    for event in events:
        if event.kind == CaseEvent.Kind.PART:
            parts.setdefault(event.at_revision, []).append(event)
            merge_records(records, event.records)
            continue
        if event.kind == CaseEvent.Kind.MOVE and current is not None:
            merge_records(records, event.records)
            current[4] = event
            current[5] = dict(records)
        current = [
            event.to_state,
            event.on,
            event.at_revision + (event.kind == "move"),
            None,
            None,
            None,
        ]
        stays.append(current)
    for stay in stays:
        stay[3] = parts.get(stay[2], [])
        if stay[5] is None:
            stay[5] = dict(records)
    return stays


def case_declared(case: Case) -> list[Declared]:
    procedure = case.procedure
    version = case.version
    standards = {s.ident: s for s in version.standards.select_related("version", "code")}
    calendar = version.calendar
    events = list(case.events.order_by("pk"))
    parties = list(case.parties.select_related("organisation"))
    # A due date moved by agreement (an allowed extension, excused on the obligation's
    # page) stays moved.
    extended = dict(
        Obligation.objects.filter(
            source_type=ContentType.objects.get_for_model(Case),
            source_id=case.pk,
            exception_kind=ExceptionKind.EXTENDED_BY_AGREEMENT,
        ).values_list("key", "due_on")
    )
    declared: list[Declared] = []
    for state, entered_on, revision, parts, exit_event, records in entries_of(case, events):
        groups: dict[str, list] = {}
        for move in procedure.moves_from(state):
            if move.standard in standards:
                groups.setdefault(standards[move.standard].owed_by, []).append(move)
        for owed_by, moves in groups.items():
            made = next((m for m in moves if exit_event and exit_event.move == m.id), None)
            if exit_event is not None and made is None:
                continue
            standard = standards[(made or moves[0]).standard]
            rule = standard.rule()
            if isinstance(rule, RespondWithin):
                if rule.limit is None:
                    continue
                due_on = rule.due_date(as_date(records.get(rule.after)) or entered_on, calendar)
            elif isinstance(rule, NoticeBeforeEvent):
                event_on = as_date(records.get(rule.event))
                due_on = rule.latest_notice_date(event_on, calendar) if event_on else None
                if due_on is None:
                    continue
            else:
                continue
            move_ids = {m.id for m in moves}
            made_on = exit_event.on if made is not None else None
            summary = f"{case.reference}: {standard.title}"
            owed_sides, owed_role = _holder(procedure, owed_by)
            to_sides, to_role = _holder(procedure, standard.owed_to)
            to_label = procedure.roles.get(to_role, "") if to_role else _label(standard.owed_to)
            if owed_sides:
                for party in parties:
                    if party.side not in owed_sides:
                        continue
                    own = next(
                        (
                            p
                            for p in parts
                            if p.organisation_id == party.organisation_id and p.move in move_ids
                        ),
                        None,
                    )
                    owed_to = [
                        p.organisation
                        for p in parties
                        if p.pk != party.pk and (not to_sides or p.side in to_sides)
                    ]
                    key = f"{revision}:{standard.ident}:{party.organisation_id}"
                    declared.append(
                        Declared(
                            key=key,
                            standard=standard,
                            summary=summary,
                            due_on=extended.get(key, due_on),
                            owed_by=party.organisation,
                            owed_to=tuple(owed_to) if to_sides else (),
                            owed_to_label="" if to_sides else to_label,
                            met_on=own.on if own else made_on,
                        )
                    )
            else:
                key = f"{revision}:{standard.ident}"
                declared.append(
                    Declared(
                        key=key,
                        standard=standard,
                        summary=summary,
                        due_on=extended.get(key, due_on),
                        owed_by_role=procedure.roles.get(owed_role, _label(owed_by))[:120],
                        owed_to=tuple(
                            p.organisation for p in parties if not to_sides or p.side in to_sides
                        ),
                        owed_to_label="" if to_sides else to_label,
                        met_on=made_on,
                    )
                )
    return declared


def _holder(procedure, ref: str):
    """('role:party') -> (the sides holding it, role id) for a side; ((), role) else."""
    prefix, _, role = ref.partition(":")
    if prefix != "role":
        return (), None
    holder = procedure.holders.get(role)
    return PARTY_SIDES.get(holder, ()), role


def _label(ref: str) -> str:
    return ref.split(":")[-1].replace("-", " ").capitalize()
