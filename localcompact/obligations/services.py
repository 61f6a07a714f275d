"""Writes for obligations. Domain apps call `obligations_sync` and nothing else.

A source record (any model) implements

    def obligations_declared(self) -> list[Declared]

listing the obligations it gives rise to now. `obligations_sync(source=..., today=...)`
makes the table agree: new declarations are created, changed dates re-date their
obligation (and recompute its status), and obligations the source no longer declares
(because it was withdrawn, or an earlier step was undone) are closed as no longer owed.
A deleted source calls `obligations_close_for(source=...)`.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from localcompact.compacts.models import Standard
from localcompact.core.logging import audit_log
from localcompact.organisations.models import Organisation
from localcompact.rulebook import (
    ExceptionKind,
    Excuse,
    ExcuseRefused,
    check_excuse,
    status_for,
)

from .models import Activity, Obligation, ObligationEvent, Status


@dataclass(frozen=True)
class Declared:
    """One obligation a source gives rise to, as the source sees it today."""

    key: str
    standard: Standard
    summary: str
    due_on: dt.date
    owed_by: Organisation | None = None
    owed_by_role: str = ""
    owed_to: Sequence[Organisation] = field(default_factory=tuple)
    owed_to_label: str = ""
    met_on: dt.date | None = None
    met_note: str = ""


def due_soon_from(*, standard: Standard, due_on: dt.date) -> dt.date:
    """The first day on which the rules package calls the obligation due soon.

    That is the earliest day with at most the standard's number of working days left
    before the due date, so the sweep's indexed date comparison and `status_for` agree,
    also when the due date falls at a weekend or on a bank holiday.
    """
    calendar = standard.version.calendar
    limit = standard.due_soon_working_days
    day = min(due_on, calendar.add_working_days(due_on, -limit))
    while calendar.working_days_between(day - dt.timedelta(days=1), due_on) <= limit:
        day -= dt.timedelta(days=1)
    return day


def computed_status(
    *, standard: Standard, due_on: dt.date, met_on: dt.date | None, today: dt.date
) -> Status:
    """The date-driven status, by the rules package (a met date in the future is not met)."""
    done = met_on if met_on is not None and met_on <= today else None
    status = status_for(
        due=due_on,
        done_on=done,
        today=today,
        cal=standard.version.calendar,
        due_soon_working_days=standard.due_soon_working_days,
    )
    return Status(status.value)


def _event(obligation, kind, *, on, by=None, from_status="", to_status="", note=""):
    return ObligationEvent(
        obligation=obligation,
        kind=kind,
        on=on,
        by=by,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


@transaction.atomic
def obligations_sync(
    *, source: models.Model, today: dt.date, by: AbstractBaseUser | None = None
) -> list[Obligation]:
    """Make the source's obligations match what it declares; return them."""
    declared = {d.key: d for d in source.obligations_declared()}
    source_type = ContentType.objects.get_for_model(source)
    existing = {
        o.key: o
        for o in Obligation.objects.select_for_update()
        .filter(source_type=source_type, source_id=source.pk)
        .select_related("standard__version")
    }
    events: list[ObligationEvent] = []
    kept: list[Obligation] = []

    for key, d in declared.items():
        obligation = existing.get(key)
        soon_from = due_soon_from(standard=d.standard, due_on=d.due_on)
        if obligation is None:
            status = computed_status(
                standard=d.standard, due_on=d.due_on, met_on=d.met_on, today=today
            )
            obligation = Obligation.objects.create(
                compact=d.standard.version.compact,
                standard=d.standard,
                code=d.standard.code,
                source_type=source_type,
                source_id=source.pk,
                key=key,
                summary=d.summary[:300],
                owed_by=d.owed_by,
                owed_by_role=d.owed_by_role,
                owed_to_label=d.owed_to_label,
                due_on=d.due_on,
                due_soon_from=soon_from,
                status=status,
                status_changed_on=today,
                met_on=d.met_on,
                met_note=d.met_note,
            )
            obligation.owed_to.set(d.owed_to)
            events.append(
                _event(obligation, ObligationEvent.Kind.CREATED, on=today, by=by, to_status=status)
            )
            kept.append(obligation)
            continue

        changed = []
        if obligation.due_on != d.due_on:
            events.append(
                _event(
                    obligation,
                    ObligationEvent.Kind.REDATED,
                    on=today,
                    by=by,
                    note=f"Due date moved from {obligation.due_on} to {d.due_on}",
                )
            )
            obligation.due_on, obligation.due_soon_from = d.due_on, soon_from
            obligation.reminded_due_soon_on = None
            changed += ["due_on", "due_soon_from", "reminded_due_soon_on"]
        for name in ("summary", "owed_by", "owed_by_role", "owed_to_label", "met_on", "met_note"):
            value = getattr(d, name)
            if getattr(obligation, name) != value:
                setattr(obligation, name, value)
                changed.append(name)
        if obligation.status != Status.EXCUSED:
            status = computed_status(
                standard=obligation.standard, due_on=d.due_on, met_on=d.met_on, today=today
            )
            if status != obligation.status:
                events.append(
                    _event(
                        obligation,
                        ObligationEvent.Kind.STATUS,
                        on=today,
                        by=by,
                        from_status=obligation.status,
                        to_status=status,
                    )
                )
                obligation.status, obligation.status_changed_on = status, today
                obligation.cancelled_reason = ""
                changed += ["status", "status_changed_on", "cancelled_reason"]
        if changed:
            obligation.save(update_fields=[*changed, "updated_at"])
        if set(obligation.owed_to.values_list("pk", flat=True)) != {o.pk for o in d.owed_to}:
            obligation.owed_to.set(d.owed_to)
        kept.append(obligation)

    for key, obligation in existing.items():
        if key not in declared and obligation.status != Status.CANCELLED:
            events.append(
                _cancel(obligation, today=today, by=by, reason="Its source no longer asks for it")
            )
    ObligationEvent.objects.bulk_create(events)
    return kept


def _cancel(obligation, *, today, by, reason) -> ObligationEvent:
    event = _event(
        obligation,
        ObligationEvent.Kind.CANCELLED,
        on=today,
        by=by,
        from_status=obligation.status,
        to_status=Status.CANCELLED,
        note=reason,
    )
    obligation.status, obligation.status_changed_on = Status.CANCELLED, today
    obligation.cancelled_reason = reason
    obligation.save(update_fields=["status", "status_changed_on", "cancelled_reason", "updated_at"])
    return event


@transaction.atomic
def obligations_close_for(
    *, source: models.Model, today: dt.date, reason: str, by: AbstractBaseUser | None = None
) -> int:
    """Close every obligation of a source that is withdrawn or deleted; history is kept."""
    rows = Obligation.objects.select_for_update().filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
    events = [
        _cancel(o, today=today, by=by, reason=reason) for o in rows.exclude(status=Status.CANCELLED)
    ]
    ObligationEvent.objects.bulk_create(events)
    return len(events)


@transaction.atomic
def obligation_excuse(
    *,
    obligation: Obligation,
    kind: str,
    reason: str,
    today: dt.date,
    by: AbstractBaseUser,
    agreed_by: str = "",
    extended_to: dt.date | None = None,
) -> Obligation:
    """Excuse an obligation under the exception its standard allows, or refuse.

    Raises `ExcuseRefused` (message names the clause) when the standard allows no
    exception, a different one, or the claim lacks a reason or who agreed.
    """
    obligation = (
        Obligation.objects.select_for_update()
        .select_related("standard__version", "standard__source")
        .get(pk=obligation.pk)
    )
    standard = obligation.standard
    try:
        exception_kind = ExceptionKind(kind)
    except ValueError as exc:
        raise ExcuseRefused(
            f"Choose the exception that applies; {kind!r} is not one.", standard.clause
        ) from exc
    excuse = Excuse(
        kind=exception_kind,
        reason=reason.strip(),
        recorded_on=today,
        agreed_by=agreed_by.strip(),
        extended_to=extended_to,
    )
    check_excuse(excuse, standard.allowed_exception, standard.clause)
    previous = obligation.status
    if excuse.kind == ExceptionKind.EXTENDED_BY_AGREEMENT:
        obligation.due_on = extended_to
        obligation.due_soon_from = due_soon_from(standard=standard, due_on=extended_to)
        obligation.status = computed_status(
            standard=standard, due_on=extended_to, met_on=obligation.met_on, today=today
        )
    else:
        obligation.status = Status.EXCUSED
    obligation.exception_kind = excuse.kind
    obligation.excuse_reason = excuse.reason
    obligation.excuse_agreed_by = excuse.agreed_by
    obligation.excused_on = today
    obligation.excused_by = by
    obligation.status_changed_on = today
    obligation.save()
    ObligationEvent.objects.create(
        obligation=obligation,
        kind=ObligationEvent.Kind.EXCUSED,
        on=today,
        by=by,
        from_status=previous,
        to_status=obligation.status,
        note=excuse.reason + (f" (agreed by {excuse.agreed_by})" if excuse.agreed_by else ""),
    )
    audit_log("obligation.excused", obligation=obligation, kind=excuse.kind, by=by)
    return obligation


# --- Activities: recorded by hand; each write keeps its obligation in step ---------------


@transaction.atomic
def activity_record(
    *,
    organisation: Organisation,
    standard: Standard,
    title: str,
    description: str,
    start_on: dt.date,
    end_on: dt.date | None,
    agreed_due_on: dt.date | None,
    owed_to: Iterable[Organisation],
    owed_to_label: str,
    by: AbstractBaseUser,
    today: dt.date,
    excuse: dict | None = None,
) -> Activity:
    """Record the activity and declare its obligation; with `excuse`, excuse it too.

    An ExcuseRefused leaves nothing recorded.
    """
    activity = Activity.objects.create(
        standard=standard,
        title=title,
        description=description,
        owed_by=organisation,
        owed_to_label=owed_to_label,
        start_on=start_on,
        end_on=end_on,
        agreed_due_on=agreed_due_on,
        recorded_by=by,
    )
    activity.owed_to.set(owed_to)
    for obligation in obligations_sync(source=activity, today=today, by=by):
        if excuse is not None:
            obligation_excuse(obligation=obligation, today=today, by=by, **excuse)
    audit_log("activity.recorded", activity=activity, standard=standard)
    return activity


@transaction.atomic
def activity_mark_done(
    *, activity: Activity, done_on: dt.date, note: str, by: AbstractBaseUser, today: dt.date
) -> Activity:
    activity.done_on, activity.done_note = done_on, note
    activity.save(update_fields=["done_on", "done_note"])
    obligations_sync(source=activity, today=today, by=by)
    audit_log("activity.done", activity=activity)
    return activity


@transaction.atomic
def activity_withdraw(
    *, activity: Activity, reason: str, by: AbstractBaseUser, today: dt.date
) -> Activity:
    """Withdraw it; its obligation is closed as no longer owed (history is kept)."""
    activity.withdrawn_on, activity.withdrawn_reason = today, reason
    activity.save(update_fields=["withdrawn_on", "withdrawn_reason"])
    obligations_sync(source=activity, today=today, by=by)
    audit_log("activity.withdrawn", activity=activity)
    return activity
