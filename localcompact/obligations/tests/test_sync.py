"""The declaration point: a source declares, obligations_sync makes the table agree."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given, settings
from hypothesis import strategies as st

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import Standard
from localcompact.compacts.services import compact_load
from localcompact.compacts.tests.conftest import clause, tiny_definition, write
from localcompact.obligations.models import Activity, Obligation, ObligationEvent, Status
from localcompact.obligations.services import (
    computed_status,
    due_soon_from,
    obligation_excuse,
    obligations_close_for,
    obligations_sync,
)
from localcompact.organisations.models import Organisation
from localcompact.rulebook import ExcuseRefused, calendar_for, status_for

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def standard_row(ident, rule, params, exception=None):
    return {
        "id": ident,
        "title": ident.replace("-", " ").capitalize(),
        "summary": "An invented standard for the tests.",
        "applies_to": "consultation",
        "owed_by": "public-sector",
        "owed_to": "vcs",
        "rule": rule,
        "params": params,
        "strictness": "should",
        "exception": exception,
        "clause": clause(f"4.{ident}"),
    }


@pytest.fixture
def standards(db, tmp_path):
    data = tiny_definition(standards=0)
    data["standards"] = [
        standard_row(
            "reply",
            "respond_within",
            {"limit": {"count": 10, "unit": "working_days"}, "after": "received"},
        ),
        standard_row(
            "consult",
            "minimum_period",
            {"period": {"count": 12, "unit": "weeks"}, "start": "opens", "end": "closes"},
            {"kind": "by_agreement", "summary": "Shorter if the partners agree."},
        ),
        standard_row(
            "notice",
            "notice_before_event",
            {"notice": {"count": 4, "unit": "weeks"}, "event": "meeting"},
        ),
    ]
    compact_load(definition=read_definition(write(tmp_path, data)), now=NOW)
    return {s.ident: s for s in Standard.objects.select_related("version__compact")}


@pytest.fixture
def council(db):
    return Organisation.objects.create(name="Testshire Council", slug="council", sector="public")


@pytest.fixture
def charity(db):
    return Organisation.objects.create(name="Testshire Charity", slug="charity", sector="vcs")


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user("officer", password="x" * 20)


def activity(standard, owed_by, **dates):
    return Activity.objects.create(standard=standard, title="A thing", owed_by=owed_by, **dates)


class TestSync:
    def test_a_new_source_creates_its_obligation_dated_by_the_rule(
        self, standards, council, charity
    ):
        # 10 working days after Thursday 17 December 2026, across Christmas in England
        source = activity(standards["reply"], council, start_on=dt.date(2026, 12, 17))
        source.owed_to.add(charity)

        [obligation] = obligations_sync(source=source, today=dt.date(2026, 12, 1))

        assert obligation.due_on == dt.date(2027, 1, 5)
        assert obligation.status == Status.NOT_YET_DUE
        assert obligation.owed_by == council
        assert list(obligation.owed_to.all()) == [charity]
        assert obligation.standard == standards["reply"]
        assert obligation.compact == standards["reply"].version.compact
        assert [e.kind for e in obligation.events.all()] == ["created"]

    def test_syncing_again_without_changes_changes_nothing(self, standards, council):
        source = activity(standards["reply"], council, start_on=dt.date(2026, 12, 17))
        obligations_sync(source=source, today=dt.date(2026, 12, 1))
        obligations_sync(source=source, today=dt.date(2026, 12, 1))

        assert Obligation.objects.count() == 1
        assert ObligationEvent.objects.count() == 1

    def test_changing_the_source_date_re_dates_its_obligation(self, standards, council):
        source = activity(standards["notice"], council, start_on=dt.date(2027, 3, 1))
        [before] = obligations_sync(source=source, today=dt.date(2026, 12, 1))
        assert before.due_on == dt.date(2027, 2, 1)

        source.start_on = dt.date(2027, 4, 5)
        source.save()
        [after] = obligations_sync(source=source, today=dt.date(2026, 12, 1))

        assert after.pk == before.pk
        assert after.due_on == dt.date(2027, 3, 8)
        assert after.due_soon_from == due_soon_from(
            standard=standards["notice"], due_on=dt.date(2027, 3, 8)
        )
        redated = after.events.get(kind=ObligationEvent.Kind.REDATED)
        assert "2027-02-01" in redated.note and "2027-03-08" in redated.note

    def test_a_new_date_that_is_already_past_makes_it_missed_at_once(self, standards, council):
        source = activity(standards["notice"], council, start_on=dt.date(2027, 3, 1))
        obligations_sync(source=source, today=dt.date(2026, 12, 1))
        source.start_on = dt.date(2026, 12, 10)
        source.save()

        [obligation] = obligations_sync(source=source, today=dt.date(2026, 12, 1))

        assert obligation.status == Status.MISSED
        event = obligation.events.get(kind=ObligationEvent.Kind.STATUS)
        assert (event.from_status, event.to_status) == ("not_yet_due", "missed")

    def test_doing_it_on_time_marks_it_met_and_late_marks_it_met_late(self, standards, council):
        on_time = activity(standards["reply"], council, start_on=dt.date(2026, 12, 17))
        late = activity(standards["reply"], council, start_on=dt.date(2026, 12, 17))
        obligations_sync(source=on_time, today=dt.date(2026, 12, 17))
        obligations_sync(source=late, today=dt.date(2026, 12, 17))

        on_time.done_on = dt.date(2027, 1, 5)
        on_time.save()
        late.done_on = dt.date(2027, 1, 6)
        late.save()

        assert obligations_sync(source=on_time, today=dt.date(2027, 1, 7))[0].status == "met"
        assert obligations_sync(source=late, today=dt.date(2027, 1, 7))[0].status == "met_late"

    def test_withdrawing_the_source_closes_its_obligation_and_keeps_the_history(
        self, standards, council
    ):
        source = activity(standards["reply"], council, start_on=dt.date(2026, 12, 17))
        [obligation] = obligations_sync(source=source, today=dt.date(2026, 12, 1))

        source.withdrawn_on = dt.date(2026, 12, 2)
        source.save()
        assert obligations_sync(source=source, today=dt.date(2026, 12, 2)) == []

        obligation.refresh_from_db()
        assert obligation.status == Status.CANCELLED
        assert obligation.cancelled_reason == "Its source no longer asks for it"
        assert [e.kind for e in obligation.events.all()] == ["created", "cancelled"]

    def test_deleting_the_source_closes_its_obligation(self, standards, council):
        source = activity(standards["reply"], council, start_on=dt.date(2026, 12, 17))
        [obligation] = obligations_sync(source=source, today=dt.date(2026, 12, 1))

        closed = obligations_close_for(
            source=source, today=dt.date(2026, 12, 3), reason="Recorded in error"
        )

        assert closed == 1
        obligation.refresh_from_db()
        assert (obligation.status, obligation.cancelled_reason) == (
            "cancelled",
            "Recorded in error",
        )
        assert obligations_close_for(source=source, today=dt.date(2026, 12, 4), reason="x") == 0

    def test_a_minimum_period_is_kept_on_the_day_it_has_run(self, standards, council):
        source = activity(
            standards["consult"],
            council,
            start_on=dt.date(2027, 1, 4),
            end_on=dt.date(2027, 4, 2),
        )
        [obligation] = obligations_sync(source=source, today=dt.date(2027, 1, 4))

        assert obligation.due_on == dt.date(2027, 3, 29)
        assert obligation.met_on == dt.date(2027, 3, 29)
        assert obligation.status == Status.NOT_YET_DUE
        [later] = obligations_sync(source=source, today=dt.date(2027, 3, 29))
        assert later.status == Status.MET


class TestExcuses:
    def test_a_standard_that_allows_agreement_accepts_it_with_who_agreed(
        self, standards, council, officer
    ):
        source = activity(
            standards["consult"],
            council,
            start_on=dt.date(2027, 1, 4),
            end_on=dt.date(2027, 3, 15),
        )
        [obligation] = obligations_sync(source=source, today=dt.date(2027, 1, 4))

        excused = obligation_excuse(
            obligation=obligation,
            kind="by_agreement",
            reason="Statutory deadline for the budget",
            agreed_by="The partnership board, 2 December 2026",
            today=dt.date(2027, 1, 4),
            by=officer,
        )

        assert excused.status == Status.EXCUSED
        assert excused.excused_by == officer
        assert excused.excuse_agreed_by == "The partnership board, 2 December 2026"
        event = excused.events.get(kind=ObligationEvent.Kind.EXCUSED)
        assert event.by == officer
        assert "agreed by The partnership board" in event.note

    def test_an_excused_obligation_stays_excused_when_its_source_is_synced(
        self, standards, council, officer
    ):
        source = activity(
            standards["consult"], council, start_on=dt.date(2027, 1, 4), end_on=dt.date(2027, 2, 1)
        )
        [obligation] = obligations_sync(source=source, today=dt.date(2027, 1, 4))
        obligation_excuse(
            obligation=obligation,
            kind="by_agreement",
            reason="Urgent",
            agreed_by="All partners",
            today=dt.date(2027, 1, 4),
            by=officer,
        )
        [again] = obligations_sync(source=source, today=dt.date(2027, 5, 1))
        assert again.status == Status.EXCUSED

    @pytest.mark.parametrize(
        "kind,reason,agreed_by,message",
        [
            ("stated_reasons", "Urgent", "", "only by agreement"),
            ("by_agreement", "  ", "The board", "reason"),
            ("by_agreement", "Urgent", "", "who agreed"),
            ("a-whim", "Urgent", "", "is not one"),
        ],
    )
    def test_an_excuse_the_standard_does_not_allow_is_refused_naming_the_clause(
        self, standards, council, officer, kind, reason, agreed_by, message
    ):
        source = activity(
            standards["consult"], council, start_on=dt.date(2027, 1, 4), end_on=dt.date(2027, 2, 1)
        )
        [obligation] = obligations_sync(source=source, today=dt.date(2027, 1, 4))

        with pytest.raises(ExcuseRefused) as refused:
            obligation_excuse(
                obligation=obligation,
                kind=kind,
                reason=reason,
                agreed_by=agreed_by,
                today=dt.date(2027, 1, 4),
                by=officer,
            )

        assert message in refused.value.message
        assert refused.value.clause.ref == "4.consult"
        obligation.refresh_from_db()
        assert obligation.status != Status.EXCUSED
        assert not obligation.events.filter(kind="excused").exists()

    def test_a_standard_with_no_exception_refuses_every_excuse(self, standards, council, officer):
        source = activity(standards["reply"], council, start_on=dt.date(2026, 12, 17))
        [obligation] = obligations_sync(source=source, today=dt.date(2026, 12, 1))
        with pytest.raises(ExcuseRefused) as refused:
            obligation_excuse(
                obligation=obligation,
                kind="emergency",
                reason="Snow",
                today=dt.date(2026, 12, 1),
                by=officer,
            )
        assert "4.reply" in refused.value.message


@pytest.mark.django_db
@settings(max_examples=200, deadline=None)
@given(
    due=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31)),
    back=st.integers(min_value=0, max_value=30),
    window=st.integers(min_value=0, max_value=10),
)
def test_the_stored_reminder_date_agrees_with_the_rules_on_every_day(due, back, window):
    """The sweep compares dates; the rules package counts working days: same answer."""

    class FakeVersion:
        calendar = calendar_for("england-and-wales")

    class FakeStandard:
        version = FakeVersion()
        due_soon_working_days = window

    today = due - dt.timedelta(days=back)
    start = due_soon_from(standard=FakeStandard(), due_on=due)
    by_dates = start <= today <= due
    by_rules = (
        status_for(
            due=due,
            done_on=None,
            today=today,
            cal=FakeVersion.calendar,
            due_soon_working_days=window,
        ).value
        == "due_soon"
    )
    assert by_dates == by_rules
    assert (
        computed_status(standard=FakeStandard(), due_on=due, met_on=None, today=today) == "due_soon"
    ) == by_dates
