"""The daily sweep: each status moves on the right day, once, however often it runs.

Dates are anchored on real calendars: Christmas 2026 in England and Wales (Friday 25
and Monday 28 December, Friday 1 January 2027 are bank holidays) and Easter 2027 (Good
Friday 26 March, Easter Monday 29 March).
"""

import datetime as dt
import io
import threading
import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.models import Schedule

from localcompact.obligations import reminders
from localcompact.obligations import sweep as sweep_module
from localcompact.obligations.management.commands.setup_schedule import next_run_after
from localcompact.obligations.models import Obligation, ObligationEvent, Reminder, Status
from localcompact.obligations.sweep import SWEEP_NOTE, SweepResult, obligations_sweep
from localcompact.obligations.tasks import SWEEP_FUNC, sweep_daily

from .factories import activity_made, obligation_made, world_made

NOW = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between workers need PostgreSQL"
)


@pytest.fixture
def world(db):
    return world_made()


def sweep(day: dt.date) -> SweepResult:
    return obligations_sweep(today=day, now=NOW)


def status_of(obligation) -> str:
    obligation.refresh_from_db()
    return obligation.status


def status_events(obligation) -> list[tuple[str, str, dt.date]]:
    return [
        (e.from_status, e.to_status, e.on)
        for e in obligation.events.filter(kind=ObligationEvent.Kind.STATUS)
    ]


class TestDueSoon:
    def test_it_becomes_due_soon_exactly_five_working_days_before_across_christmas(self, world):
        # due Thursday 7 January 2027: five working days before, counting back over
        # New Year's Day, is Wednesday 30 December (31 Dec, 4, 5, 6 and 7 Jan are left)
        reply = world.standards["reply"]
        obligation = obligation_made(reply, owed_by=world.council, due_on=dt.date(2027, 1, 7))
        assert obligation.due_soon_from == dt.date(2026, 12, 30)

        sweep(dt.date(2026, 12, 29))
        assert status_of(obligation) == Status.NOT_YET_DUE

        result = sweep(dt.date(2026, 12, 30))
        assert status_of(obligation) == Status.DUE_SOON
        assert result.due_soon == 1
        assert status_events(obligation) == [("not_yet_due", "due_soon", dt.date(2026, 12, 30))]

    def test_the_number_of_working_days_is_set_per_standard_and_counts_easter(self, world):
        # the notice standard warns 3 working days ahead; due Thursday 1 April 2027, with
        # Good Friday and Easter Monday off, that is Thursday 25 March
        notice = world.standards["notice"]
        obligation = obligation_made(notice, owed_by=world.council, due_on=dt.date(2027, 4, 1))

        sweep(dt.date(2027, 3, 24))
        assert status_of(obligation) == Status.NOT_YET_DUE
        sweep(dt.date(2027, 3, 25))
        assert status_of(obligation) == Status.DUE_SOON

    def test_it_is_still_due_soon_on_its_due_date(self, world):
        obligation = obligation_made(
            world.standards["reply"], owed_by=world.council, due_on=dt.date(2027, 1, 7)
        )
        sweep(dt.date(2027, 1, 7))
        assert status_of(obligation) == Status.DUE_SOON


class TestMissed:
    def test_it_is_missed_the_day_after_its_due_date_and_not_on_it(self, world):
        obligation = obligation_made(
            world.standards["reply"],
            owed_by=world.council,
            due_on=dt.date(2027, 1, 7),
            status=Status.DUE_SOON,
        )

        sweep(dt.date(2027, 1, 7))
        assert status_of(obligation) == Status.DUE_SOON

        result = sweep(dt.date(2027, 1, 8))
        assert status_of(obligation) == Status.MISSED
        assert result.missed == 1
        assert obligation.status_changed_on == dt.date(2027, 1, 8)
        assert status_events(obligation) == [("due_soon", "missed", dt.date(2027, 1, 8))]

    def test_a_sweep_that_did_not_run_for_days_goes_straight_to_missed(self, world):
        obligation = obligation_made(
            world.standards["reply"], owed_by=world.council, due_on=dt.date(2027, 1, 7)
        )

        sweep(dt.date(2027, 1, 20))

        assert status_events(obligation) == [("not_yet_due", "missed", dt.date(2027, 1, 20))]


class TestMet:
    def test_a_met_date_in_the_future_becomes_met_on_that_day(self, world):
        # a twelve-week consultation from Monday 4 January 2027 has run on 29 March
        obligation = activity_made(
            world.standards["consult"],
            owed_by=world.council,
            today=dt.date(2027, 1, 4),
            start_on=dt.date(2027, 1, 4),
            end_on=dt.date(2027, 4, 2),
        )
        assert (obligation.due_on, obligation.met_on) == (dt.date(2027, 3, 29),) * 2

        sweep(dt.date(2027, 3, 26))
        assert status_of(obligation) == Status.DUE_SOON
        result = sweep(dt.date(2027, 3, 29))

        assert status_of(obligation) == Status.MET
        assert result.met == 1
        assert status_events(obligation)[-1] == ("due_soon", "met", dt.date(2027, 3, 29))

    def test_a_met_date_after_the_due_date_is_missed_first_then_met_late(self, world):
        obligation = obligation_made(
            world.standards["reply"],
            owed_by=world.council,
            due_on=dt.date(2027, 1, 7),
            met_on=dt.date(2027, 1, 12),
        )

        sweep(dt.date(2027, 1, 8))
        assert status_of(obligation) == Status.MISSED
        result = sweep(dt.date(2027, 1, 12))

        assert status_of(obligation) == Status.MET_LATE
        assert result.met_late == 1
        assert [(f, t) for f, t, _ in status_events(obligation)] == [
            ("not_yet_due", "missed"),
            ("missed", "met_late"),
        ]

    def test_met_on_time_is_not_reminded_even_when_the_window_has_opened(self, world):
        obligation = obligation_made(
            world.standards["reply"],
            owed_by=world.council,
            due_on=dt.date(2027, 1, 7),
            met_on=dt.date(2027, 1, 4),
        )

        sweep(dt.date(2027, 1, 4))

        assert status_of(obligation) == Status.MET
        assert Reminder.objects.count() == 0


class TestWhatTheSweepLeavesAlone:
    def test_excused_and_cancelled_obligations_are_never_touched(self, world):
        reply = world.standards["reply"]
        excused = obligation_made(
            reply,
            owed_by=world.council,
            due_on=dt.date(2027, 1, 7),
            status=Status.EXCUSED,
            excuse_reason="Agreed with the partners",
        )
        cancelled = obligation_made(
            reply, owed_by=world.council, due_on=dt.date(2027, 1, 7), status=Status.CANCELLED
        )

        for day in (dt.date(2027, 1, 4), dt.date(2027, 1, 8)):
            assert sweep(day).moved == 0

        assert (status_of(excused), status_of(cancelled)) == ("excused", "cancelled")
        assert ObligationEvent.objects.count() == 0
        assert Reminder.objects.count() == 0

    def test_obligations_not_yet_in_their_window_stay_not_yet_due(self, world):
        obligation = obligation_made(
            world.standards["reply"], owed_by=world.council, due_on=dt.date(2027, 6, 1)
        )
        assert sweep(dt.date(2027, 1, 4)).moved == 0
        assert status_of(obligation) == Status.NOT_YET_DUE


class TestIdempotence:
    def test_running_twice_for_the_same_day_changes_nothing_the_second_time(self, world):
        reply = world.standards["reply"]
        for due in (dt.date(2027, 1, 4), dt.date(2027, 1, 7), dt.date(2027, 1, 11)):
            obligation_made(reply, owed_by=world.council, due_on=due, owed_to=[world.charity])
        day = dt.date(2027, 1, 5)

        first = sweep(day)
        events = list(ObligationEvent.objects.values_list("pk", flat=True))
        reminders_made = list(Reminder.objects.values_list("pk", "state"))
        sent = len(mail.outbox)
        second = sweep(day)

        assert (first.missed, first.due_soon, first.reminders_sent) == (1, 2, 3)
        assert second == SweepResult(today=day)
        assert list(ObligationEvent.objects.values_list("pk", flat=True)) == events
        assert list(Reminder.objects.values_list("pk", "state")) == reminders_made
        assert len(mail.outbox) == sent

    def test_each_move_writes_one_event_on_the_sweeps_day_with_no_user(self, world):
        obligation = obligation_made(
            world.standards["reply"], owed_by=world.council, due_on=dt.date(2027, 1, 4)
        )
        sweep(dt.date(2027, 1, 5))
        sweep(dt.date(2027, 1, 5))

        [event] = obligation.events.all()
        assert (event.kind, event.on, event.by, event.note) == (
            "status",
            dt.date(2027, 1, 5),
            None,
            SWEEP_NOTE,
        )

    def test_a_sweep_larger_than_one_chunk_moves_every_row_once(self, world, monkeypatch):
        monkeypatch.setattr(reminders, "CHUNK_SIZE", 3)
        reply = world.standards["reply"]
        made = [
            obligation_made(reply, owed_by=world.council, due_on=dt.date(2027, 1, 4))
            for _ in range(10)
        ]

        result = sweep(dt.date(2027, 1, 5))

        assert result.missed == 10
        assert Obligation.objects.filter(status=Status.MISSED).count() == 10
        assert ObligationEvent.objects.count() == 10
        [digest] = Reminder.objects.filter(recipient=world.council_officer)
        assert digest.obligations.count() == len(made)


def make_a_busy_day(world, count: int) -> dt.date:
    """`count` obligations that all move on Tuesday 5 January 2027, in three ways."""
    reply = world.standards["reply"]
    for n in range(count):
        kind = n % 3
        if kind == 0:  # missed, and the charity is told
            obligation_made(
                reply,
                owed_by=world.council,
                due_on=dt.date(2027, 1, 4),
                owed_to=[world.charity],
            )
        elif kind == 1:  # due soon
            obligation_made(reply, owed_by=world.council, due_on=dt.date(2027, 1, 8))
        else:  # met on time, on the day
            obligation_made(
                reply,
                owed_by=world.council,
                due_on=dt.date(2027, 1, 8),
                met_on=dt.date(2027, 1, 5),
            )
    return dt.date(2027, 1, 5)


def assert_each_moved_once(count: int) -> None:
    assert Obligation.objects.filter(status=Status.NOT_YET_DUE).count() == 0
    assert ObligationEvent.objects.filter(kind="status").count() == count
    for obligation in Obligation.objects.all():
        assert obligation.events.filter(kind="status").count() == 1
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == sorted(set(recipients))
    assert Reminder.objects.exclude(state=Reminder.State.SENT).count() == 0


class TestConcurrency:
    def test_two_sweeps_one_after_another_move_each_obligation_once(self, world, monkeypatch):
        monkeypatch.setattr(reminders, "CHUNK_SIZE", 7)
        day = make_a_busy_day(world, 60)

        first, second = sweep(day), sweep(day)

        assert first.moved == 60 and second.moved == 0
        assert_each_moved_once(60)
        assert len(mail.outbox) == 3

    @on_postgresql
    @pytest.mark.django_db(transaction=True)
    def test_two_sweeps_at_once_on_postgresql_move_each_obligation_once(self, monkeypatch):
        monkeypatch.setattr(reminders, "CHUNK_SIZE", 7)
        world = world_made()
        day = make_a_busy_day(world, 300)
        start = threading.Barrier(2)
        results: list[SweepResult] = []
        errors: list[BaseException] = []

        def worker():
            try:
                start.wait()
                results.append(obligations_sweep(today=day, now=NOW))
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert errors == []
        assert sum(r.moved for r in results) == 300
        assert sum(r.reminders_sent for r in results) == Reminder.objects.count()
        assert_each_moved_once(300)
        # the council's officer and administrator, and the charity's officer: one each
        assert len(mail.outbox) == 3

    @on_postgresql
    @pytest.mark.django_db(transaction=True)
    def test_a_row_locked_by_someone_else_is_moved_once_they_let_go(self, monkeypatch):
        waited_for = []
        advance = sweep_module._advance_chunk

        def spy(transition, ids, **kwargs):
            moved = advance(transition, ids, **kwargs)
            if not kwargs["skip_locked"]:
                waited_for.extend(moved)
            return moved

        monkeypatch.setattr(sweep_module, "_advance_chunk", spy)
        world = world_made()
        obligation = obligation_made(
            world.standards["reply"], owed_by=world.council, due_on=dt.date(2027, 1, 4)
        )
        locked, release = threading.Event(), threading.Event()

        def editor():
            try:
                with transaction.atomic():
                    Obligation.objects.select_for_update().get(pk=obligation.pk)
                    locked.set()
                    release.wait(timeout=10)
                    time.sleep(0.5)
            finally:
                connections.close_all()

        thread = threading.Thread(target=editor)
        thread.start()
        locked.wait(timeout=10)
        release.set()
        result = sweep(dt.date(2027, 1, 5))
        thread.join(timeout=10)

        assert result.missed == 1
        assert waited_for == [obligation.pk]  # skipped while locked, then waited for
        assert status_events(obligation) == [("not_yet_due", "missed", dt.date(2027, 1, 5))]


class TestEndToEnd:
    def test_an_activity_is_reminded_due_soon_then_missed_and_the_charity_is_told(self, world):
        # a reply is due 10 working days after Thursday 17 December 2026: 5 January 2027
        obligation = activity_made(
            world.standards["reply"],
            owed_by=world.council,
            owed_to=[world.charity],
            today=dt.date(2026, 12, 17),
            start_on=dt.date(2026, 12, 17),
        )
        assert obligation.due_on == dt.date(2027, 1, 5)

        sweep(dt.date(2026, 12, 23))
        assert mail.outbox == []
        sweep(dt.date(2026, 12, 24))
        due_soon = {m.to[0]: m.subject for m in mail.outbox}
        mail.outbox.clear()
        sweep(dt.date(2027, 1, 5))
        assert mail.outbox == []
        sweep(dt.date(2027, 1, 6))
        missed = {m.to[0]: m.subject for m in mail.outbox}

        assert due_soon == {
            "council.officer@example.org": "1 obligation due soon for Testshire Council",
            "council.admin@example.org": "1 obligation due soon for Testshire Council",
        }
        assert missed == {
            "council.officer@example.org": "1 obligation missed by Testshire Council",
            "council.admin@example.org": "1 obligation missed by Testshire Council",
            "charity.officer@example.org": "1 obligation to Testshire Charity was missed",
        }
        obligation.refresh_from_db()
        assert obligation.reminded_due_soon_on == dt.date(2026, 12, 24)
        assert obligation.reminded_missed_on == dt.date(2027, 1, 6)


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


class TestSweepCommand:
    def test_it_prints_one_line_per_transition_and_reminder_state(self, world):
        obligation_made(world.standards["reply"], owed_by=world.council, due_on=dt.date(2027, 1, 4))
        Reminder.objects.create(
            recipient=world.council_member,
            on=dt.date(2027, 1, 4),
            kind=Reminder.Kind.OWING,
            state=Reminder.State.SENDING,
        )

        output = run("sweep_obligations", "--today", "2027-01-05")

        assert output.splitlines() == [
            "Sweep for 2027-01-05",
            "met: 0",
            "met late: 0",
            "missed: 1",
            "due soon: 0",
            "reminders queued: 2",
            "reminders sent: 2",
            "reminders failed: 0",
            "reminders left sending, not resent: 1",
            "reminders marked lost (never confirmed sent): 0",
        ]

    def test_a_bad_date_is_an_error_that_says_how_to_write_one(self, db):
        with pytest.raises(CommandError, match=r"--today must be a date written YYYY-MM-DD"):
            run("sweep_obligations", "--today", "5/1/2027")

    def test_without_a_date_it_sweeps_for_today_in_the_sites_time_zone(self, db):
        today = timezone.localdate()
        assert run("sweep_obligations").splitlines()[0] == f"Sweep for {today.isoformat()}"


class TestSchedule:
    def test_setting_up_the_schedule_twice_leaves_one_daily_schedule(self, db):
        first = run("setup_schedule")
        second = run("setup_schedule")

        [schedule] = Schedule.objects.all()
        assert (schedule.func, schedule.schedule_type, schedule.repeats) == (
            SWEEP_FUNC,
            Schedule.DAILY,
            -1,
        )
        assert timezone.localtime(schedule.next_run).time() == dt.time(6, 0)
        assert first.startswith("Created schedule") and second.startswith("Updated schedule")

    def test_the_next_run_is_six_in_the_morning_london_time_in_summer_and_winter(self):
        winter = next_run_after(dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC))
        summer = next_run_after(dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC))

        assert winter == dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)
        assert summer == dt.datetime(2026, 7, 1, 5, 0, tzinfo=dt.UTC)

    def test_the_scheduled_task_sweeps_today_and_returns_its_counts(self, db):
        with CaptureQueriesContext(connection) as queries:
            result = sweep_daily()
        assert result["today"] == timezone.localdate()
        assert result["missed"] == 0
        assert result["idempotency_keys_purged"] == 0
        # SQLite gathers planner statistics only when told to; PostgreSQL's autovacuum does
        sql = [query["sql"] for query in queries.captured_queries]
        if connection.vendor == "sqlite":
            assert sql[-1] == "PRAGMA optimize"  # once, after the sweep
            assert sql.count("PRAGMA optimize") == 1
        else:
            assert not [s for s in sql if "PRAGMA" in s.upper()]
