"""Disagreements' part of a person's data (see localcompact.accounts.personal_data).

What the app holds about a person: the cases they raised, the steps they took (with
what they recorded: their own words, mediation records included, as they wrote them),
the documents they uploaded, and the steps of other people that name them (the mediator
the sides appointed, the subgroup members present at a meeting).

A case is confidential (issue 9), and the file may be passed on, so the download holds
nothing of a case the person did not write themselves unless they still see the case
now (`access.standing`): a case is named by its reference; the title is given for a
case they raised (they wrote it) or still see; where it stands, only for a case they
still see or whose finding is published. Of their own steps, the records that name
other people (a mediator, the members present) are left out: those are the others'
personal data. Nobody else's records, documents or steps are in it.

On erasure everything is kept: the compact's procedure needs the case, its history
and its papers (the subgroup's findings and any appeal rest on them), so the cases,
steps and documents go on pointing at the anonymised account and the pages name "a
former user". The one copy of the person's name the app keeps itself, in the records of
steps that name them (a mediator, the members present), is replaced by "a former user"
too, keeping their account's id so the record still says who it was.
"""

from __future__ import annotations

import datetime as dt

from localcompact.accounts.personal_data import FORMER_USER
from localcompact.compacts.models import CompactVersion
from localcompact.core.logging import audit_log

from .access import standing
from .models import Case, CaseDocument, CaseEvent, procedure_of
from .selectors import shown

# Records whose value names people (a user id and their name), not what the author said.
NAMING_KINDS = ("person", "subgroup-members")


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _records_of(case: Case, event: CaseEvent):
    """The procedure's records of the step (or of raising the case), in its order."""
    procedure = case.procedure
    if event.kind == CaseEvent.Kind.OPENED:
        return procedure.opening
    move = procedure.moves.get(event.move)
    return move.records if move else ()


def _step_title(case: Case, event: CaseEvent) -> str:
    if event.kind == CaseEvent.Kind.OPENED:
        return "Raised"
    move = case.procedure.moves.get(event.move)
    title = move.title if move else event.move
    return f"{title} (your side's part)" if event.kind == CaseEvent.Kind.PART else title


class _Sight:
    """Whether the person sees each case now, worked out once per case."""

    def __init__(self, user):
        self.user = user
        self.known: dict[int, bool] = {}

    def __call__(self, case: Case) -> bool:
        if case.pk not in self.known:
            self.known[case.pk] = standing(self.user, case).sees
        return self.known[case.pk]


def _case(case: Case, sees: _Sight, *, wrote_title: bool = False) -> dict:
    """A case as the download names it: more than its reference only where the person
    wrote it or may see it."""
    visible = sees(case)
    about = {"reference": case.reference, "compact": case.compact.name}
    if wrote_title or visible:
        about["title"] = case.title
    if visible or case.is_public:
        about["where_it_stands"] = case.state_title
        about["closed"] = _iso(case.closed_on)
    return about


def _naming(user) -> list[tuple[CaseEvent, str, str]]:
    """(event, record id, record title) for every record of a step that names `user`."""
    wanted: dict[int, dict[str, list]] = {}  # version -> move -> its naming records
    for version in CompactVersion.objects.filter(cases__isnull=False).distinct():
        procedure = procedure_of(version)
        for move in procedure.moves.values():
            naming = [r for r in move.records if r.kind in NAMING_KINDS]
            if naming:
                wanted.setdefault(version.pk, {})[move.id] = naming
    if not wanted:
        return []
    moves = {m for by_move in wanted.values() for m in by_move}
    found = []
    events = (
        CaseEvent.objects.filter(move__in=moves, case__version_id__in=wanted)
        .select_related("case__compact", "case__version")
        .order_by("at", "pk")
    )
    for event in events:
        for record in wanted[event.case.version_id].get(event.move, []):
            value = event.records.get(record.id)
            people = value if isinstance(value, list) else [value]
            if any(isinstance(p, dict) and p.get("user") == user.pk for p in people):
                found.append((event, record.id, record.title))
    return found


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """The cases they raised, the steps they took, the documents they uploaded, and the
    steps that name them (see the module's docstring for what is left out)."""
    sees = _Sight(user)
    raised = Case.objects.filter(raised_by=user).select_related("compact", "version")
    steps = []
    for event in (
        CaseEvent.objects.filter(by=user)
        .select_related("case__compact", "case__version", "organisation")
        .order_by("at", "pk")
    ):
        case = event.case
        procedure = case.procedure
        recorded = {
            record.title: shown(record, event.records[record.id], procedure.findings)
            for record in _records_of(case, event)
            if record.id in event.records and record.kind not in NAMING_KINDS
        }
        steps.append(
            {
                "case": _case(case, sees, wrote_title=case.raised_by_id == user.pk),
                "step": _step_title(case, event),
                "for": event.organisation.name if event.organisation else None,
                "as": procedure.roles.get(event.role, event.role) if event.role else None,
                "on": _iso(event.on),
                "at": _iso(event.at),
                "what_you_recorded": recorded,
            }
        )
    documents = (
        CaseDocument.objects.filter(uploaded_by=user)
        .select_related("case__compact", "case__version", "event")
        .order_by("uploaded_at", "pk")
    )
    return {
        "disagreements_raised": [
            {
                **_case(case, sees, wrote_title=True),
                "raised_on": _iso(case.raised_on),
            }
            for case in raised.order_by("raised_on", "pk")
        ],
        "disagreement_steps_taken": steps,
        "disagreement_documents_uploaded": [
            {
                "case": _case(d.case, sees, wrote_title=d.case.raised_by_id == user.pk),
                "record": _document_title(d),
                "file_name": d.original_name,
                "type": d.content_type,
                "size": d.size,
                "uploaded": _iso(d.uploaded_at),
            }
            for d in documents
        ],
        "disagreement_steps_naming_you": [
            {
                "case": _case(event.case, sees, wrote_title=event.case.raised_by_id == user.pk),
                "step": _step_title(event.case, event).removesuffix(" (your side's part)"),
                "named_as": title,
                "on": _iso(event.on),
            }
            for event, _record, title in _naming(user)
        ],
    }


def _document_title(document: CaseDocument) -> str:
    procedure = document.case.procedure
    move = procedure.moves.get(document.event.move) if document.event else None
    for record in move.records if move else ():
        if record.id == document.record:
            return record.title
    return document.record


# What erasure keeps: every user foreign key of the app (the compact's record).
KEPT = ((Case, "raised_by"), (CaseEvent, "by"), (CaseDocument, "uploaded_by"))


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    """Keep the cases, steps and documents; replace the copies of their name kept in the
    records of steps that name them with "a former user" (keeping their account's id).

    Steps are append-only for the app's own code (`CaseEvent.save` refuses a change);
    this is the one change made to them, a queryset update, by erasure alone."""
    renamed = 0
    for event, record_id, _title in _naming(user):
        records = dict(event.records)
        value = records[record_id]
        if isinstance(value, list):
            records[record_id] = [
                {**p, "name": FORMER_USER} if p.get("user") == user.pk else p for p in value
            ]
        else:
            records[record_id] = {**value, "name": FORMER_USER}
        renamed += CaseEvent.objects.filter(pk=event.pk).update(records=records)
    kept = sum(model.objects.filter(**{field: user}).count() for model, field in KEPT)
    audit_log(
        "disputes.personal_data_erased", user=user, by=by, records_kept=kept, names_replaced=renamed
    )
    return {"disagreement records kept": kept, "disagreement names replaced": renamed}
