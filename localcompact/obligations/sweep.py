"""The daily sweep: move obligations' stored statuses forward for a day, then remind.

Modelled on healthchecks' `sendalerts`: what is due is found by stored, indexed dates,
and every change is a guarded update, so the sweep is safe to run twice for the same
day or from two workers at once. For `today`, in this order:

1. met: open (or missed) obligations whose met date has come (a source may declare a
   met date in the future: a minimum period is kept on the day it has run) become met,
   or met late when that date is after the due date;
2. missed: open obligations whose due date has passed become missed;
3. due soon: obligations not yet due enter their reminder window (`due_soon_from`).

Each rule lists its candidates by an indexed query, then works through them in chunks,
one transaction each: lock the chunk's rows that still match (on PostgreSQL with
`SKIP LOCKED`, so two workers share the work rather than wait for each other), update
them with the old status in the WHERE clause (the guard), one UPDATE per (from, to)
status, and write one ObligationEvent per row that moved, with one INSERT ... SELECT
statement per (from, to) status (no Python object per event). Rows that become due
soon or missed are added to the day's digests in the same transaction and stamped as
reminded by the same update (see
`reminders.digests_add`). SQLite takes its write lock when the transaction begins (the
settings use IMMEDIATE), so the same code is serialised there. Rows another transaction
held while we passed are tried once more, one at a time and waiting for the lock, so a
row being edited by a user at that moment is not left for tomorrow.

Then `reminders_lost` marks digests a dead worker left 'sending' past their lease as
lost and carries their obligations into the person's digest for the day,
`reminders_queue` adds what is due soon or missed but was not moved by this sweep
(created that way, or held back from a digest that had gone), and `reminders_send`
sends the digests: one e-mail per person per day and kind, at most once.

The cost grows with what moves and with the digests sent, not with the size of the
table: see bench/README.md for the figures.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import OPEN_STATUSES, ComplianceStamp, Obligation, ObligationEvent, Status
from .reminders import (
    DUE_SOON,
    MISSED,
    Reason,
    chunked,
    digests_add,
    reminders_lost,
    reminders_queue,
    reminders_send,
)

logger = logging.getLogger(__name__)

SWEEP_NOTE = "Moved by the daily sweep"


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did: transitions by the status reached, and the reminders."""

    today: dt.date
    met: int = 0
    met_late: int = 0
    missed: int = 0
    due_soon: int = 0
    reminders_queued: int = 0
    reminders_sent: int = 0
    reminders_failed: int = 0
    # in 'sending' when the sweep ended: left by a stopped worker (never resent), or
    # being sent by another worker at that moment
    reminders_unconfirmed: int = 0
    # marked lost by this sweep: left 'sending' past their lease (see reminders_lost)
    reminders_lost: int = 0

    @property
    def moved(self) -> int:
        return self.met + self.met_late + self.missed + self.due_soon


@dataclass(frozen=True)
class Transition:
    """One rule of the sweep: which rows move on `today`, to which status, and whom to tell."""

    name: str
    where: Callable[[dt.date], Q]
    to_status: Callable[[dict], Status]
    remind: Reason | None = None


def _not_met(today: dt.date) -> Q:
    return Q(met_on__isnull=True) | Q(met_on__gt=today)


TRANSITIONS = (
    Transition(
        name="met",
        where=lambda today: Q(
            status__in=(*OPEN_STATUSES, Status.MISSED), met_on__isnull=False, met_on__lte=today
        ),
        to_status=lambda row: Status.MET if row["met_on"] <= row["due_on"] else Status.MET_LATE,
    ),
    Transition(
        name="missed",
        where=lambda today: Q(status__in=OPEN_STATUSES, due_on__lt=today) & _not_met(today),
        to_status=lambda row: Status.MISSED,
        remind=MISSED,
    ),
    Transition(
        name="due soon",
        where=lambda today: (
            Q(status=Status.NOT_YET_DUE, due_soon_from__lte=today, due_on__gte=today)
            & _not_met(today)
        ),
        to_status=lambda row: Status.DUE_SOON,
        remind=DUE_SOON,
    ),
)


class SweepConflict(RuntimeError):
    """A guarded update moved fewer rows than were locked: the chunk is rolled back."""


@dataclass
class Tally:
    moved: dict[Status, int] = field(default_factory=lambda: defaultdict(int))
    digests_made: int = 0


def obligations_sweep(*, today: dt.date, now: dt.datetime) -> SweepResult:
    """Move statuses forward for `today`, queue the day's digests and send them.

    Not one transaction: each chunk of each rule commits on its own (so locks are short
    and a large sweep does not hold the database), and each batch of e-mails is claimed
    and committed before it is sent. Every step is guarded, so a sweep stopped half way
    is finished by running it again.
    """
    tally = Tally()
    for transition in TRANSITIONS:
        obligations_advance(transition, today=today, now=now, tally=tally)
    lost = reminders_lost(today=today, now=now)
    queued = tally.digests_made + reminders_queue(today=today)
    sent = reminders_send(now=now)
    result = SweepResult(
        today=today,
        met=tally.moved[Status.MET],
        met_late=tally.moved[Status.MET_LATE],
        missed=tally.moved[Status.MISSED],
        due_soon=tally.moved[Status.DUE_SOON],
        reminders_queued=queued,
        reminders_sent=sent.sent,
        reminders_failed=sent.failed,
        reminders_unconfirmed=sent.unconfirmed,
        reminders_lost=lost,
    )
    logger.info("Obligations sweep: %s", result)
    return result


def obligations_advance(
    transition: Transition, *, today: dt.date, now: dt.datetime, tally: Tally | None = None
) -> Tally:
    """Apply one rule to every row it matches on `today`; count what moved in `tally`."""
    tally = tally if tally is not None else Tally()
    where = transition.where(today)
    candidates = list(Obligation.objects.filter(where).order_by("pk").values_list("pk", flat=True))
    moved: set[int] = set()
    for ids in chunked(candidates):
        with transaction.atomic():
            moved |= _advance_chunk(
                transition, ids, today=today, now=now, skip_locked=True, tally=tally
            )

    # Rows that were locked when we passed (by another sweep, or by a user's change
    # being saved) and still match now: wait for each lock in turn, one row per
    # transaction, so this worker never holds one row while waiting for another.
    passed = [pk for pk in candidates if pk not in moved]
    for ids in chunked(passed):
        for pk in Obligation.objects.filter(where, pk__in=ids).values_list("pk", flat=True):
            with transaction.atomic():
                _advance_chunk(
                    transition, [pk], today=today, now=now, skip_locked=False, tally=tally
                )
    return tally


def _advance_chunk(
    transition: Transition,
    ids: Sequence[int],
    *,
    today: dt.date,
    now: dt.datetime,
    skip_locked: bool,
    tally: Tally,
) -> set[int]:
    """Move the rows of `ids` that still match, under lock; must run in a transaction.

    Rows that become due soon or missed are added to the day's digests in the same
    transaction, and stamped as reminded in the same update that moves them.
    """
    if skip_locked:
        _stamps_lock()
    remind = transition.remind
    fields = ["pk", "status", "due_on", "met_on", "owed_by_id"]
    if remind:
        fields.append(remind.stamp)
    rows = list(
        Obligation.objects.select_for_update(skip_locked=skip_locked)
        .filter(transition.where(today), pk__in=ids)
        .order_by("pk")
        .values(*fields)
    )
    if not skip_locked:
        _stamps_lock()
    reminded: set[int] = set()
    if remind:
        unstamped = [(row["pk"], row["owed_by_id"]) for row in rows if row[remind.stamp] is None]
        added = digests_add(remind, unstamped, today=today)
        reminded = added.obligations
        tally.digests_made += added.digests_made

    groups: dict[tuple[str, Status, bool], list[int]] = defaultdict(list)
    for row in rows:
        key = (row["status"], transition.to_status(row), row["pk"] in reminded)
        groups[key].append(row["pk"])

    for (from_status, to_status, stamp), pks in groups.items():
        changes = {"status": to_status, "status_changed_on": today, "updated_at": now}
        if stamp:
            changes[remind.stamp] = today
        updated = Obligation.objects.filter(pk__in=pks, status=from_status).update(**changes)
        if updated != len(pks):
            raise SweepConflict(
                f"{transition.name}: {updated} of {len(pks)} locked rows moved from {from_status}"
            )
        tally.moved[to_status] += len(pks)
        _events_insert(pks, today=today, from_status=from_status, to_status=to_status)
    return {row["pk"] for row in rows}


def _stamps_lock() -> None:
    """Lock every compact's compliance stamp, in order (PostgreSQL; SQLite runs one
    writer at a time anyway).

    The triggers that move the stamps as rows move would otherwise take them in the
    order the rows' compacts come, and two sweeps could each wait for a stamp the other
    holds. A chunk that skips locked rows takes the stamps before its rows, so while it
    waits for them it holds no row; the one-row retry, which waits for its row, takes
    them after it (a user's write holds its row before its stamp: waiting for the row
    with the stamps held would wait for each other).
    """
    if connection.vendor == "postgresql":
        list(ComplianceStamp.objects.select_for_update().order_by("pk").values_list("pk"))


def _events_insert(pks: Sequence[int], *, today: dt.date, from_status: str, to_status: str) -> None:
    """One status event per obligation of `pks`, in one INSERT ... SELECT statement.

    The same rows as one ObligationEvent each would make (kind "status", the sweep's
    day, no user, the sweep's note), without a Python object per row; `at` is the time
    of the statement, as auto_now_add would give it.
    """
    event, obligation = ObligationEvent._meta, Obligation._meta
    quote = connection.ops.quote_name
    column = {f.name: quote(f.column) for f in event.concrete_fields}
    columns = ", ".join(
        column[name]
        for name in ("obligation", "kind", "on", "at", "by", "from_status", "to_status", "note")
    )
    pk = quote(obligation.pk.column)
    placeholders = ", ".join(["%s"] * len(pks))
    # Only quoted table and column names from the models go into the text; every value
    # is a parameter.
    sql = (
        f"INSERT INTO {quote(event.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {pk}, %s, %s, %s, NULL, %s, %s, %s FROM {quote(obligation.db_table)} "
        f"WHERE {pk} IN ({placeholders}) ORDER BY {pk}"
    )
    at = event.get_field("at").get_db_prep_value(timezone.now(), connection)
    on = event.get_field("on").get_db_prep_value(today, connection)
    params = [ObligationEvent.Kind.STATUS, on, at, from_status, to_status, SWEEP_NOTE, *pks]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
