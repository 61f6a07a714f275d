"""The one shared status function, and the small words verdicts are made of."""

from datetime import date

import pytest

from localcompact.rulebook import Clause, Nation, Status, calendar_for, long_date, status_for

EW = calendar_for(Nation.ENGLAND_AND_WALES)
DUE = date(2025, 3, 20)  # a Thursday


@pytest.mark.parametrize(
    ("done_on", "today", "expected"),
    [
        (date(2025, 3, 20), date(2025, 3, 25), Status.MET),
        (date(2025, 3, 1), date(2025, 3, 2), Status.MET),
        (date(2025, 3, 21), date(2025, 3, 25), Status.MET_LATE),
        (None, date(2025, 3, 21), Status.MISSED),
        (None, date(2025, 3, 20), Status.DUE_SOON),
        (None, date(2025, 3, 13), Status.DUE_SOON),  # 5 working days before
        (None, date(2025, 3, 12), Status.NOT_YET_DUE),  # 6 working days before
    ],
)
def test_status_follows_the_due_date_and_the_day_done(done_on, today, expected):
    assert status_for(due=DUE, done_on=done_on, today=today, cal=EW) == expected


def test_due_soon_counts_working_days_so_easter_stretches_it():
    # Thursday 8 April 2021 is 4 working days after Wednesday 31 March (Easter between).
    status = status_for(due=date(2021, 4, 8), done_on=None, today=date(2021, 3, 31), cal=EW)
    assert status is Status.DUE_SOON


def test_the_due_soon_window_can_be_set_per_standard():
    kwargs = {"due": DUE, "done_on": None, "today": date(2025, 3, 13), "cal": EW}
    assert status_for(**kwargs, due_soon_working_days=2) is Status.NOT_YET_DUE
    assert status_for(**kwargs, due_soon_working_days=10) is Status.DUE_SOON


def test_each_status_has_a_label_for_people():
    assert [s.label for s in Status] == [
        "Not yet due",
        "Due soon",
        "Met",
        "Met late",
        "Missed",
        "Excused",
    ]


def test_a_clause_names_its_document_and_reference():
    clause = Clause.parse({"document": "003_d44882093ddd00d6.txt", "ref": "10.2.1"})
    assert str(clause) == "003_d44882093ddd00d6.txt 10.2.1"


def test_dates_are_written_as_people_write_them():
    assert long_date(date(2025, 3, 7)) == "7 March 2025"
