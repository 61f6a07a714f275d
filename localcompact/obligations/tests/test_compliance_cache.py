"""The compliance figures come from the shared cache, keyed on the ComplianceStamp that
database triggers move with every write that can change them; they must always equal a
fresh count of the obligations.

Random sequences of writes (made through the services, the sweep, the ORM's save and
bulk update, and deletes) are checked step by step against two references: the
uncached aggregate, and a count made here in Python from the rows themselves.
"""

import datetime as dt
import random
import threading
from collections import Counter, defaultdict

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from localcompact.obligations import reminders, selectors
from localcompact.obligations import sweep as sweep_module
from localcompact.obligations.models import (
    OPEN_STATUSES,
    Activity,
    ComplianceStamp,
    Obligation,
    Status,
)
from localcompact.obligations.services import due_soon_from, obligations_sync
from localcompact.obligations.sweep import obligations_sweep

from .factories import NOW, activity_made, obligation_made, world_made

START = dt.date(2026, 10, 1)
DAY = dt.timedelta(days=1)
PERIODS = [(START, START + 150 * DAY), (START + 30 * DAY, START + 60 * DAY)]
OUTCOME = {
    Status.MET: "met",
    Status.MET_LATE: "met_late",
    Status.MISSED: "missed",
    Status.EXCUSED: "excused",
    Status.NOT_YET_DUE: "open",
    Status.DUE_SOON: "open",
}
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two sweeps at once need PostgreSQL's row locks"
)


@pytest.fixture
def world(db):
    cache.clear()
    return world_made()


def version_of(world):
    return world.standards["reply"].version


def shown(version, date_from, date_to) -> dict[str, list[int]]:
    """What the page shows (through the cache): each standard's counts."""
    groups = selectors.compliance_figures(version=version, date_from=date_from, date_to=date_to)
    return {row.ident: row.counts for group in groups for row in group.rows}


def counted_in_python(version, date_from, date_to) -> dict[str, list[int]]:
    """The same figures, counted here from the rows, without the selectors."""
    tally: dict[str, Counter] = defaultdict(Counter)
    rows = Obligation.objects.filter(compact_id=version.compact_id).values_list(
        "standard__ident", "status", "due_on"
    )
    for ident, status, due_on in rows:
        if date_from <= due_on <= date_to and status != Status.CANCELLED:
            tally[ident][OUTCOME[status]] += 1
    keys = [key for key, _ in selectors.FIGURES]
    return {ident: [counts[key] for key in keys] for ident, counts in tally.items()}


def uncached(version, date_from, date_to) -> dict[str, list[int]]:
    rows = selectors.compliance_counted(
        compact_id=version.compact_id, date_from=date_from, date_to=date_to
    )
    keys = [key for key, _ in selectors.FIGURES]
    return {row["standard__ident"]: [row[key] for key in keys] for row in rows}


def assert_fresh(version) -> None:
    for date_from, date_to in PERIODS:
        expected = counted_in_python(version, date_from, date_to)
        assert uncached(version, date_from, date_to) == expected
        # twice: the first may count and cache, the second must come from the cache
        assert shown(version, date_from, date_to) == expected
        assert shown(version, date_from, date_to) == expected


def stamp(compact_id: int | None = None) -> tuple[int, str] | None:
    """The Testshire compact's stamp (the only compact the world loads), or another's."""
    rows = ComplianceStamp.objects.values_list("changes", "stamp")
    if compact_id is not None:
        rows = rows.filter(compact_id=compact_id)
    [row] = rows or [None]
    return row


class TestTheStampMoves:
    """The triggers exist and fire (a table rebuild on SQLite would drop them)."""

    def test_on_insert_status_change_redate_and_delete(self, world):
        before = stamp()
        obligation = obligation_made(
            world.standards["reply"], owed_by=world.council, due_on=START + 10 * DAY
        )
        after_insert = stamp()
        assert after_insert[0] > (before[0] if before else 0)
        assert after_insert[1] != (before[1] if before else None)

        obligation.status = Status.MISSED
        obligation.save(update_fields=["status"])
        after_status = stamp()
        assert after_status[0] > after_insert[0] and after_status[1] != after_insert[1]

        Obligation.objects.filter(pk=obligation.pk).update(
            due_on=START + 20 * DAY, due_soon_from=START + 15 * DAY
        )
        after_redate = stamp()
        assert after_redate[1] != after_status[1]

        obligation.delete()
        assert stamp()[1] != after_redate[1]

    def test_not_on_writes_the_figures_do_not_read(self, world):
        obligation = obligation_made(
            world.standards["reply"], owed_by=world.council, due_on=START + 10 * DAY
        )
        before = stamp()
        Obligation.objects.filter(pk=obligation.pk).update(
            reminded_due_soon_on=START, summary="Reworded", met_note="A note"
        )
        assert stamp() == before

    def test_a_write_rolled_back_leaves_the_stamp_as_it_was(self, world):
        from django.db import transaction

        before = stamp()

        class Undo(Exception):
            pass

        with pytest.raises(Undo), transaction.atomic():
            obligation_made(world.standards["reply"], owed_by=world.council, due_on=START)
            assert stamp() != before
            raise Undo
        assert stamp() == before

    def test_only_the_compact_whose_obligation_changed(self, world):
        from localcompact.compacts.models import Compact

        other = Compact.objects.create(slug="elsewhere", name="Elsewhere")
        ComplianceStamp.objects.create(compact_id=other.pk, stamp="1" * 32)
        ours = version_of(world).compact_id
        obligation_made(world.standards["reply"], owed_by=world.council, due_on=START)
        assert stamp(other.pk) == (0, "1" * 32)
        assert stamp(ours)[0] >= 1

    def test_a_cache_hit_runs_no_aggregate(self, world):
        version = version_of(world)
        obligation_made(world.standards["reply"], owed_by=world.council, due_on=START + DAY)
        date_from, date_to = PERIODS[0]
        shown(version, date_from, date_to)
        with CaptureQueriesContext(connection) as queries:
            again = shown(version, date_from, date_to)
        assert again == {"reply": [0, 0, 0, 0, 1]}
        sql = " ".join(q["sql"] for q in queries).upper()
        assert "COUNT(" not in sql
        assert len(queries) == 2  # the stamp, the current version's standards

    def test_a_flushed_stamp_row_means_no_cache_until_the_next_write(self, world):
        version = version_of(world)
        obligation_made(world.standards["reply"], owed_by=world.council, due_on=START + DAY)
        ComplianceStamp.objects.all().delete()
        assert stamp() is None
        assert shown(version, *PERIODS[0]) == {"reply": [0, 0, 0, 0, 1]}
        obligation_made(world.standards["reply"], owed_by=world.council, due_on=START + DAY)
        assert stamp() is not None
        assert shown(version, *PERIODS[0]) == {"reply": [0, 0, 0, 0, 2]}


def random_obligation(world, rng: random.Random) -> Obligation:
    standard = world.standards[rng.choice(["reply", "consult", "notice"])]
    status = rng.choice(list(Status.values))
    due_on = START + rng.randint(-20, 170) * DAY
    met_on = due_on + rng.randint(-5, 5) * DAY if status in (Status.MET, Status.MET_LATE) else None
    return obligation_made(
        standard,
        owed_by=rng.choice([world.council, world.other_council]),
        owed_to=[world.charity] if rng.random() < 0.5 else [],
        due_on=due_on,
        status=status,
        met_on=met_on,
        excuse_reason="Agreed." if status == Status.EXCUSED else "",
    )


def one_write(world, rng: random.Random) -> str:
    """One random write of a kind the application (or an administrator) makes."""
    rows = list(Obligation.objects.order_by("pk"))
    kind = rng.choice(
        ["create", "create", "activity", "sweep", "save", "bulk", "redate", "delete", "mark done"]
    )
    if kind == "create" or not rows:
        random_obligation(world, rng)
        return "create"
    if kind == "activity":
        activity_made(
            world.standards["reply"],
            owed_by=world.council,
            today=START + rng.randint(0, 100) * DAY,
            start_on=START + rng.randint(-10, 140) * DAY,
        )
    elif kind == "sweep":
        obligations_sweep(today=START + rng.randint(0, 170) * DAY, now=NOW)
    elif kind == "save":
        obligation = rng.choice(rows)
        obligation.status = rng.choice([Status.MISSED, Status.NOT_YET_DUE, Status.CANCELLED])
        obligation.save()
    elif kind == "bulk":
        chosen = rng.sample(rows, min(len(rows), rng.randint(1, 5)))
        Obligation.objects.filter(pk__in=[o.pk for o in chosen]).update(
            status=Status.EXCUSED, excuse_reason="Agreed in bulk."
        )
    elif kind == "redate":
        obligation = rng.choice(rows)
        due_on = START + rng.randint(-20, 170) * DAY
        Obligation.objects.filter(pk=obligation.pk).update(
            due_on=due_on,
            due_soon_from=due_soon_from(standard=obligation.standard, due_on=due_on),
        )
    elif kind == "delete":
        rng.choice(rows).delete()
    elif kind == "mark done":
        activity = Activity.objects.order_by("?").first()
        if activity is None:
            return "nothing to mark"
        activity.done_on = activity.start_on + rng.randint(0, 20) * DAY
        activity.save()
        obligations_sync(source=activity, today=START + rng.randint(0, 170) * DAY)
    return kind


class TestAlwaysFresh:
    @pytest.mark.parametrize("seed", range(6))
    def test_after_any_sequence_of_writes_and_sweeps(self, world, seed):
        rng = random.Random(seed)
        version = version_of(world)
        for _ in range(8):
            random_obligation(world, rng)
        assert_fresh(version)
        done = Counter()
        for _ in range(30):
            done[one_write(world, rng)] += 1
            assert_fresh(version)
        assert done["sweep"] and done["create"]

    def test_between_the_chunks_of_a_sweep(self, world, monkeypatch):
        """A reader between two chunks (each its own transaction) sees the figures as
        committed so far, and the next chunk's commit makes it count again."""
        version = version_of(world)
        reply = world.standards["reply"]
        for n in range(40):
            obligation_made(reply, owed_by=world.council, due_on=START + (n % 3) * DAY)
        monkeypatch.setattr(reminders, "CHUNK_SIZE", 7)
        chunked = sweep_module.chunked
        seen = []

        def reading_between(ids, size=None):
            for chunk in chunked(ids, size):
                seen.append(shown(version, *PERIODS[0]))
                assert seen[-1] == counted_in_python(version, *PERIODS[0])
                yield chunk

        monkeypatch.setattr(sweep_module, "chunked", reading_between)
        obligations_sweep(today=START + 5 * DAY, now=NOW)

        assert len({str(s) for s in seen}) > 2  # the figures moved chunk by chunk
        assert_fresh(version)
        assert shown(version, *PERIODS[0]) == {"reply": [0, 0, 40, 0, 0]}


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_and_readers_at_once_on_postgresql(monkeypatch):
    """Two sweeps share the work while two readers read (and cache) the figures over
    and over: afterwards the cached figures equal a fresh count."""
    cache.clear()
    monkeypatch.setattr(reminders, "CHUNK_SIZE", 11)
    world = world_made()
    version = version_of(world)
    rng = random.Random(7)
    for n in range(300):
        obligation_made(
            world.standards[rng.choice(["reply", "notice"])],
            owed_by=world.council,
            due_on=START + (n % 20) * DAY,
            met_on=START + DAY if n % 7 == 0 else None,
        )
    shown(version, *PERIODS[0])  # cached before the sweeps
    before = stamp()
    start = threading.Barrier(4)
    sweeping = threading.Event()
    errors: list[BaseException] = []

    def sweeper():
        try:
            start.wait()
            obligations_sweep(today=START + 10 * DAY, now=NOW)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    def reader():
        try:
            start.wait()
            while not sweeping.is_set():
                shown(version, *PERIODS[0])
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    sweepers = [threading.Thread(target=sweeper) for _ in range(2)]
    readers = [threading.Thread(target=reader) for _ in range(2)]
    for thread in sweepers + readers:
        thread.start()
    for thread in sweepers:
        thread.join(timeout=120)
    sweeping.set()
    for thread in readers:
        thread.join(timeout=30)

    assert errors == []
    assert stamp()[0] > before[0]
    overdue = Obligation.objects.filter(status__in=OPEN_STATUSES, due_on__lt=START + 10 * DAY)
    assert not overdue.exists()
    assert_fresh(version)


def test_the_page_shows_a_change_at_once(world, client):
    """The page's rendered figures are cached under the stamp too: a change shows on
    the next request."""
    from django.urls import reverse

    version = version_of(world)
    date_from, date_to = PERIODS[0]
    url = reverse("obligations:compliance", kwargs={"slug": version.compact.slug}) + (
        f"?from-day={date_from.day}&from-month={date_from.month}&from-year={date_from.year}"
        f"&to-day={date_to.day}&to-month={date_to.month}&to-year={date_to.year}"
    )
    obligation = obligation_made(
        world.standards["reply"], owed_by=world.council, due_on=START + DAY
    )
    first = client.get(url).content.decode()
    assert "1 obligation: 0 met on time, 0 met late, 0 missed, 0 excused, 1 still open" in first
    assert "1 still open" in client.get(url).content.decode()  # from the cache

    obligation.status = Status.MISSED
    obligation.save(update_fields=["status"])
    after = client.get(url).content.decode()
    assert "1 obligation: 0 met on time, 0 met late, 1 missed, 0 excused, 0 still open" in after
