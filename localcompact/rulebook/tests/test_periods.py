"""Periods as compacts state them."""

from datetime import date

import pytest

from localcompact.rulebook import (
    AGREED,
    Nation,
    Period,
    RuleError,
    Unit,
    add,
    calendar_for,
    subtract,
)

EW = calendar_for(Nation.ENGLAND_AND_WALES)


@pytest.mark.parametrize(
    ("period", "words"),
    [
        (Period(12, Unit.WEEKS), "12 weeks"),
        (Period(1, Unit.WEEKS), "1 week"),
        (Period(10, Unit.WORKING_DAYS), "10 working days"),
        (Period(1, Unit.WORKING_DAYS), "1 working day"),
        (Period(2, Unit.MONTHS), "2 months"),
        (Period(5, Unit.DAYS), "5 days"),
    ],
)
def test_a_period_reads_as_plain_english(period, words):
    assert str(period) == words


def test_it_parses_a_period_from_the_definition():
    assert Period.parse({"count": 12, "unit": "weeks"}) == Period(12, Unit.WEEKS)


def test_agreed_means_the_period_comes_from_the_record():
    assert Period.parse_or_agreed(AGREED) is None
    assert Period.parse_or_agreed({"count": 4, "unit": "weeks"}) == Period(4, Unit.WEEKS)


@pytest.mark.parametrize(
    ("value", "path", "message"),
    [
        ({"count": 12, "unit": "fortnights"}, ("period", "unit"), "unit must be one of days"),
        ({"count": 12}, ("period", "unit"), "unit must be one of"),
        ({"count": -1, "unit": "days"}, ("period", "count"), "0 or more; got -1"),
        ({"count": "12", "unit": "days"}, ("period", "count"), "whole number"),
        ({"count": True, "unit": "days"}, ("period", "count"), "whole number"),
        ({"count": 1, "unit": "days", "ideal": 2}, ("period",), "not 'ideal'"),
        ("12 weeks", ("period",), "count and a unit"),
        ("agreed", ("period",), "count and a unit"),
    ],
)
def test_a_bad_period_is_refused_with_where_and_why(value, path, message):
    with pytest.raises(RuleError, match=message) as caught:
        Period.parse(value, ("period",))
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        (date(2025, 1, 2), Period(12, Unit.WEEKS), date(2025, 3, 27)),
        (date(2025, 3, 3), Period(5, Unit.DAYS), date(2025, 3, 8)),
        (date(2021, 1, 31), Period(1, Unit.MONTHS), date(2021, 2, 28)),
        (date(2024, 1, 31), Period(1, Unit.MONTHS), date(2024, 2, 29)),
        (date(2020, 12, 18), Period(10, Unit.WORKING_DAYS), date(2021, 1, 6)),
    ],
)
def test_adding_a_period(start, period, expected):
    assert add(start, period, EW) == expected


@pytest.mark.parametrize(
    ("end", "period", "expected"),
    [
        (date(2025, 4, 1), Period(2, Unit.MONTHS), date(2025, 2, 1)),
        (date(2025, 3, 27), Period(4, Unit.WEEKS), date(2025, 2, 27)),
        (date(2021, 1, 12), Period(10, Unit.WORKING_DAYS), date(2020, 12, 24)),
    ],
)
def test_subtracting_a_period(end, period, expected):
    assert subtract(end, period, EW) == expected
