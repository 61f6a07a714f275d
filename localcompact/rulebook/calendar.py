"""Working days in each UK nation.

Bank holidays come from the ``holidays`` package (``GB`` with the nation's subdivision).
A bank holiday here is a weekday on which the holiday is kept: when a holiday falls at a
weekend, the package lists both the day itself and the substitute weekday
("Boxing Day (observed)"); GOV.UK lists only the substitute, and so do we. England and
Wales share one calendar (the package's ``ENG`` and ``WLS`` agree).
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays

from .errors import RuleError


class Nation(StrEnum):
    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


_SUBDIVISION = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}
_ONE_DAY = timedelta(days=1)


def _weekdays_up_to(d: date) -> int:
    """How many Mondays to Fridays fall from 1 January of year 1 (a Monday) up to ``d``."""
    weeks, extra = divmod(d.toordinal(), 7)
    return 5 * weeks + min(extra, 5)


class WorkingCalendar:
    """Working days for one nation: Monday to Friday, less that nation's bank holidays."""

    def __init__(self, nation: Nation) -> None:
        self.nation = nation
        self._names: dict[int, dict[date, str]] = {}
        self._sorted: dict[int, tuple[date, ...]] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.nation.value!r})"

    def _year(self, year: int) -> dict[date, str]:
        names = self._names.get(year)
        if names is None:
            source = holidays.country_holidays(
                "GB", subdiv=_SUBDIVISION[self.nation], years=year, categories=holidays.PUBLIC
            )
            names = {d: name for d, name in sorted(source.items()) if d.weekday() < 5}
            self._sorted[year] = tuple(names)
            self._names[year] = names
        return names

    def _bank_holidays_in(self, first: date, last: date) -> int:
        """How many bank holidays fall from ``first`` to ``last``, both included."""
        count = 0
        for year in range(first.year, last.year + 1):
            self._year(year)
            days = self._sorted[year]
            count += bisect.bisect_right(days, last) - bisect.bisect_left(days, first)
        return count

    def bank_holidays(self, year: int) -> dict[date, str]:
        """The nation's bank holidays in ``year``, by date, with their names."""
        return dict(self._year(year))

    def is_bank_holiday(self, d: date) -> bool:
        return d in self._year(d.year)

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday and not a bank holiday."""
        return d.weekday() < 5 and d not in self._year(d.year)

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself not counted).

        ``n == 0`` gives ``d``; a negative ``n`` counts back to the ``n``-th working day
        before ``d``. Whole weeks are skipped at once (each holds five weekdays less its
        bank holidays), then the last few days are walked.
        """
        step = 1 if n > 0 else -1
        remaining = abs(n)
        while remaining > 5:
            weeks = (remaining - 1) // 5
            landing = d + timedelta(weeks=weeks * step)
            if step > 0:
                holidays_passed = self._bank_holidays_in(d + _ONE_DAY, landing)
            else:
                holidays_passed = self._bank_holidays_in(landing, d - _ONE_DAY)
            remaining -= 5 * weeks - holidays_passed
            d = landing
        while remaining:
            d += step * _ONE_DAY
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """How many working days fall after ``a`` up to and including ``b``.

        Negative when ``b`` is before ``a`` (minus the working days after ``b`` up to and
        including ``a``).
        """
        if b < a:
            return -self.working_days_between(b, a)
        if a == b:
            return 0
        weekdays = _weekdays_up_to(b) - _weekdays_up_to(a)
        return weekdays - self._bank_holidays_in(a + _ONE_DAY, b)

    def add_days(self, d: date, n: int) -> date:
        return d + timedelta(days=n)

    def days_between(self, a: date, b: date) -> int:
        return (b - a).days


def parse_nation(value: Nation | str) -> Nation:
    """The nation named by ``value``, or a RuleError that lists the nations."""
    try:
        return Nation(value)
    except ValueError:
        choices = ", ".join(n.value for n in Nation)
        raise RuleError(f"Unknown nation {value!r}: use one of {choices}.", ("nation",)) from None


@cache
def _calendar(nation: Nation) -> WorkingCalendar:
    return WorkingCalendar(nation)


def calendar_for(nation: Nation | str) -> WorkingCalendar:
    """The shared working calendar for a nation (one per nation, built once)."""
    return _calendar(parse_nation(nation))
