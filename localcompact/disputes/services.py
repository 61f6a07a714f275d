"""Writes for disagreements: raising a case and taking its steps.

Every service is keyword-only and atomic, writes its CaseEvent (append-only) and an
audit row, and keeps the case's obligations in step (`obligations_sync`). A refusal
raises `Refused` with a message for the person who asked, and changes nothing.

Two people taking the same step at once: the case row is locked (`select_for_update`,
which PostgreSQL honours) and the step is written with a conditional UPDATE on the
case's revision, so on a database without row locks (SQLite) the second writer, who
read the same revision, changes no row and is refused. A form carries the revision its
page showed, so a step taken on a page that is out of date is refused as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F

from localcompact.compacts.models import Compact
from localcompact.core.logging import audit_log
from localcompact.core.uploads import document_store
from localcompact.obligations.services import obligations_sync
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
)
from localcompact.organisations.selectors import is_current_signatory
from localcompact.rulebook import MoveRefused, StagedProcedure
from localcompact.rulebook.procedure import Record

from .access import KINDS, open_to_for, standing
from .deadlines import merge_records
from .models import Case, CaseDocument, CaseEvent, CaseParty, Side, procedure_of

ABOUT_THE_COMPACT = "compact"


class Refused(Exception):
    """A step that cannot be taken; `message` says why, `field` which answer to fix."""

    def __init__(self, message: str, *, code: str = "refused", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


def procedure_for(compact: Compact) -> StagedProcedure | None:
    version = compact.current_version
    if version is None or "disagreement_procedure" not in version.definition:
        return None
    return procedure_of(version)


def signatories_only(compact: Compact) -> bool:
    signing = compact.current_version.definition.get("signing") or {}
    return bool(signing.get("signatories_only_disagreements"))


def _reference(compact: Compact, today: dt.date) -> str:
    prefix = (compact.current_version.short_name or compact.slug)[:3].upper()
    count = Case.objects.filter(compact=compact, raised_on__year=today.year).count()
    while True:
        count += 1
        reference = f"{prefix}-{today.year}-{count:04d}"
        if not Case.objects.filter(reference=reference).exists():
            return reference


def _sync(case: Case, *, today: dt.date, by) -> None:
    obligations_sync(source=case, today=today, by=by)


def _check_records(
    records: tuple[Record, ...],
    answers: Mapping[str, Any],
    *,
    earlier: Mapping[str, Any],
    findings: Mapping[str, str],
) -> dict[str, Any]:
    """The answers to keep (documents apart), or Refused naming the first one missing."""
    kept: dict[str, Any] = {}
    known = dict(earlier)
    merge_records(known, {k: v for k, v in answers.items() if isinstance(v, bool)})
    finding = answers.get("finding") if any(r.kind == "finding" for r in records) else None
    for record in records:
        if record.kind == "document":
            continue  # checked, and stored, apart
        value = answers.get(record.id)
        if isinstance(value, str):
            value = value.strip()
        if record.kind == "finding" and value and value not in findings:
            raise Refused("Choose one of the findings", field=record.id)
        empty = value in (None, "", [], ()) or (record.kind == "yes-no" and value is None)
        if empty and record.is_required(earlier=known, finding=finding):
            raise Refused(f"Enter {record.title[0].lower()}{record.title[1:]}", field=record.id)
        if empty:
            continue
        if record.kind == "date":
            value = value.isoformat()
        kept[record.id] = value
    return kept


# Raising ---------------------------------------------------------------------------------


@transaction.atomic
def case_raise(
    *,
    compact: Compact,
    organisation: Organisation,
    others: Iterable[Organisation],
    about: str,
    title: str,
    opening: Mapping[str, Any],
    by: AbstractBaseUser,
    today: dt.date,
) -> Case:
    """Open a case under the compact's procedure, at its first state.

    Refused when the compact has no procedure, the person does not act for the
    organisation, the matter is one the procedure sends elsewhere (a contract, a
    complaint), no other organisation is named, or (where the compact says so) any
    organisation is not a current signatory.
    """
    version = compact.current_version
    procedure = procedure_for(compact)
    if procedure is None:
        raise Refused(f"The {compact.name} has no procedure for disagreements on this platform")
    if not Membership.objects.filter(
        user=by, organisation=organisation, role__in=("officer", "administrator")
    ).exists():
        raise Refused(
            f"Only officers and administrators of {organisation.name} can raise a disagreement "
            "for it",
            field="organisation",
        )
    excluded = {
        e["id"]: e for e in version.definition["disagreement_procedure"].get("excluded", [])
    }
    if about in excluded:
        raise Refused(
            f"This procedure is not for that. {excluded[about]['summary']}",
            code="excluded",
            field="about",
        )
    if about != ABOUT_THE_COMPACT:
        raise Refused("Say what the disagreement is about", field="about")
    title = " ".join(title.split())
    if not title:
        raise Refused("Enter a short title for the disagreement", field="title")
    others = [o for o in others if o.pk != organisation.pk]
    if not others:
        raise Refused("Choose the organisation or organisations it is with", field="others")
    if signatories_only(compact):
        for party in [organisation, *others]:
            if not is_current_signatory(organisation=party, compact=compact):
                raise Refused(
                    f"{party.name} is not a current signatory of the {compact.name}; only "
                    "organisations that have signed it, and not withdrawn, can use its "
                    "procedure",
                    code="not_signatory",
                    field="organisation" if party == organisation else "others",
                )
    kept = _check_records(procedure.opening, opening, earlier={}, findings=procedure.findings)
    visited = [procedure.initial]
    case = Case.objects.create(
        reference=_reference(compact, today),
        compact=compact,
        version=version,
        title=title[:200],
        state=procedure.initial,
        stage=procedure.state(procedure.initial).stage,
        open_to=open_to_for(procedure, visited),
        visited="," + ",".join(visited) + ",",
        entered_on=today,
        raised_by=by,
        raised_on=today,
        opening=kept,
    )
    CaseParty.objects.create(case=case, organisation=organisation, side=Side.RAISING)
    for other in others:
        CaseParty.objects.create(case=case, organisation=other, side=Side.ANSWERING)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.OPENED,
        to_state=procedure.initial,
        at_revision=0,
        on=today,
        by=by,
        organisation=organisation,
        records=kept,
    )
    _sync(case, today=today, by=by)
    audit_log("dispute.raised", case=case, compact=compact, organisation=organisation, by=by)
    return case


# Steps -----------------------------------------------------------------------------------


def _hook_before_write(case: Case) -> None:
    """Nothing; tests replace it to make another writer act between read and write."""


def earlier_records(case: Case) -> dict[str, Any]:
    records = dict(case.opening)
    for event_records in case.events.order_by("pk").values_list("records", flat=True):
        merge_records(records, event_records)
    return records


@transaction.atomic
def case_move(
    *,
    case: Case,
    move: str,
    by: AbstractBaseUser,
    revision: int,
    today: dt.date,
    answers: Mapping[str, Any] | None = None,
    documents: Mapping[str, Any] | None = None,
) -> Case:
    """Take a step of the case's procedure (or, for a step every party takes, this
    person's party's part of it), recording what the step asks for.

    Refused when the case has moved on since `revision`, is closed, the step cannot be
    taken from where the case is, the person may not take it (not a party's officer,
    not the subgroup's chair or member, conflicted, not the case's mediator), their
    party has already taken its part, or a required record is missing.
    """
    answers = dict(answers or {})
    documents = dict(documents or {})
    case = Case.objects.select_for_update().select_related("compact", "version").get(pk=case.pk)
    procedure = case.procedure
    if case.revision != revision:
        raise Refused(
            f"The case has moved on since you opened this page: it is now at "
            f"'{case.state_title}'. Check the case page before going on",
            code="stale",
        )
    parties = list(case.parties.select_related("organisation"))
    position = standing(by, case, parties)
    step = procedure.moves.get(move)
    if not position.sees and not position.conflicted_roles:
        raise Refused("You are not involved in this case", code="not_involved")
    if (
        step is not None
        and position.conflicted_roles & set(step.actors)
        and not (position.roles & set(step.actors))
    ):
        names = ", ".join(o.name for o in position.conflicts)
        raise Refused(
            f"You belong to {names}, which is a party to this case, so you cannot act for "
            f"the {procedure.roles[next(iter(position.conflicted_roles & set(step.actors)))]} "
            "on it",
            code="conflicted",
        )
    try:
        to_state = procedure.move(case.state, move, position.roles)
    except MoveRefused as refused:
        raise Refused(refused.message, code="move_refused") from None
    acting_as = sorted(position.roles & set(step.actors))[0]
    holder = procedure.holders.get(acting_as, "")
    organisation = (
        position.organisation if holder in ("party", "raising-party", "answering-party") else None
    )

    earlier = earlier_records(case)
    kept = _check_records(step.records, answers, earlier=earlier, findings=procedure.findings)
    for record in step.records:
        if (
            record.kind == "document"
            and record.is_required(earlier=earlier)
            and not documents.get(record.id)
        ):
            raise Refused(f"Select {record.title[0].lower()}{record.title[1:]}", field=record.id)
    people = _people(case, step.records, kept, parties)
    restricted = list(procedure.restricted_roles(case.state) or [])

    if step.each_party:
        if organisation is None:  # pragma: no cover - the procedure checks the actor is a party
            raise Refused("Only a party takes its part of this step")
        try:
            with transaction.atomic():
                part = CaseEvent.objects.create(
                    case=case,
                    kind=CaseEvent.Kind.PART,
                    move=move,
                    from_state=case.state,
                    at_revision=case.revision,
                    on=today,
                    by=by,
                    organisation=organisation,
                    role=acting_as,
                    records=kept,
                    restricted_to=restricted,
                )
        except IntegrityError:
            raise Refused(
                f"{organisation.name} has already taken its part of '{step.title}'",
                code="already_done",
            ) from None
        _store(case, part, step.records, documents, by, restricted)
        done = set(
            case.events.filter(
                kind=CaseEvent.Kind.PART, move=move, at_revision=case.revision
            ).values_list("organisation_id", flat=True)
        )
        audit_log("dispute.part", case=case, move=move, organisation=organisation, by=by)
        if not procedure.completes(move, parts=done, parties={p.organisation_id for p in parties}):
            _sync(case, today=today, by=by)
            return case
        kept, event_org = {}, None
    else:
        event_org = organisation

    _hook_before_write(case)
    visited = case.visited_states
    if to_state not in visited:
        visited.append(to_state)
    state = procedure.state(to_state)
    changes = dict(
        state=to_state,
        stage=state.stage,
        is_final=state.final,
        open_to=open_to_for(procedure, visited),
        visited="," + ",".join(visited) + ",",
        entered_on=today,
        revision=F("revision") + 1,
    )
    if state.final:
        changes["closed_on"] = today
    public_records = {}
    if state.public:
        for record in step.records:
            if record.public and record.id in kept:
                public_records[record.id] = kept[record.id]
        changes.update(is_public=True, published_on=today, public_records=public_records)
    if "finding" in kept:
        changes["finding"] = kept["finding"]
    written = Case.objects.filter(pk=case.pk, revision=case.revision).update(**changes)
    if written != 1:
        raise Refused(
            f"Someone else has just taken a step on this case, so '{step.title}' was not "
            "recorded. Check the case page before going on",
            code="stale",
        )
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.MOVE,
        move=move,
        from_state=case.state,
        to_state=to_state,
        at_revision=case.revision,
        on=today,
        by=by,
        organisation=event_org,
        role=acting_as,
        records=kept,
        restricted_to=restricted,
    )
    if not step.each_party:
        _store(case, event, step.records, documents, by, restricted)
    for role_id, user in people:
        _appoint(case, role_id, user, by)
    case.refresh_from_db()
    _sync(case, today=today, by=by)
    audit_log("dispute.moved", case=case, move=move, to_state=to_state, by=by)
    return case


def _store(case, event, records, documents, by, restricted) -> None:
    for record in records:
        uploaded = documents.get(record.id)
        if record.kind == "document" and uploaded:
            document_store(
                CaseDocument(case=case, event=event, record=record.id, restricted_to=restricted),
                uploaded,
                by=by,
            )


def _people(case: Case, records, kept: dict, parties) -> list[tuple[str, Any]]:
    """Check the people a step names; return (role, user) pairs to appoint."""
    procedure = case.procedure
    party_orgs = {p.organisation_id: p.organisation for p in parties}
    appoint = []
    for record in records:
        value = kept.get(record.id)
        if not value:
            continue
        if record.kind == "person":
            user = (
                get_user_model()
                .objects.filter(email__iexact=str(value).strip(), is_active=True)
                .first()
            )
            if user is None:
                raise Refused(
                    "There is no account on this site with that e-mail address; ask them to "
                    "sign up first",
                    field=record.id,
                )
            _not_a_party(user, party_orgs, record.id)
            kept[record.id] = {"user": user.pk, "name": user.get_full_name() or user.username}
            if procedure.holders.get(record.id) == "mediator":
                appoint.append((record.id, user))
        elif record.kind == "subgroup-members":
            ids = [int(v) for v in value]
            users = list(
                get_user_model()
                .objects.filter(
                    pk__in=ids,
                    compact_roles__compact=case.compact,
                    compact_roles__revoked_at__isnull=True,
                    compact_roles__kind__in=KINDS["subgroup-member"],
                )
                .distinct()
            )
            if len(users) != len(set(ids)):
                raise Refused("Choose only members of the subgroup", field=record.id)
            for user in users:
                _not_a_party(user, party_orgs, record.id)
            kept[record.id] = [
                {"user": u.pk, "name": u.get_full_name() or u.username} for u in users
            ]
    return appoint


def _not_a_party(user, party_orgs: dict, field: str) -> None:
    clash = (
        Membership.objects.filter(user=user, organisation_id__in=party_orgs)
        .select_related("organisation")
        .first()
    )
    if clash is not None:
        name = user.get_full_name() or user.username
        raise Refused(
            f"{name} belongs to {clash.organisation.name}, a party to this case, so cannot "
            "take part in it",
            code="conflicted",
            field=field,
        )


def _appoint(case: Case, role_id: str, user, by) -> None:
    if (
        CompactRole.objects.current()
        .filter(compact=case.compact, user=user, kind=CompactRoleKind.MEDIATOR, case=case.reference)
        .exists()
    ):
        return
    role = CompactRole.objects.create(
        compact=case.compact,
        user=user,
        kind=CompactRoleKind.MEDIATOR,
        case=case.reference,
        granted_by=by,
    )
    audit_log("compact_role.granted", role=role, compact=case.compact, kind=role.kind, by=by)
