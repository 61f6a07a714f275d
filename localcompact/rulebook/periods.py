"""Periods of time as compacts state them: a count of days, working days, weeks or months."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from .calendar import WorkingCalendar
from .errors import RuleError

AGREED = "agreed"
"""The schema's word for a period agreed per record rather than fixed by the compact.

Rules hold such a period as ``None`` and take the agreed value (or date) from the record.
"""


class Unit(StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"


_NAMES = {
    Unit.DAYS: ("day", "days"),
    Unit.WORKING_DAYS: ("working day", "working days"),
    Unit.WEEKS: ("week", "weeks"),
    Unit.MONTHS: ("month", "months"),
}


@dataclass(frozen=True)
class Period:
    count: int
    unit: Unit

    def __str__(self) -> str:
        singular, plural = _NAMES[self.unit]
        return f"{self.count} {singular if self.count == 1 else plural}"

    @classmethod
    def parse(cls, value: object, path: Sequence[str | int] = ()) -> Period:
        """A Period from the definition's ``{"count": 12, "unit": "weeks"}``."""
        path = tuple(path)
        if isinstance(value, Period):
            return value
        if not isinstance(value, Mapping):
            raise RuleError(
                f"A period must be a count and a unit, like {{count: 12, unit: weeks}}; "
                f"got {value!r}.",
                path,
            )
        unknown = sorted(set(value) - {"count", "unit"})
        if unknown:
            raise RuleError(f"A period has only a count and a unit, not {unknown[0]!r}.", path)
        count = value.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise RuleError(
                f"A period's count must be a whole number, 0 or more; got {count!r}.",
                (*path, "count"),
            )
        try:
            unit = Unit(value.get("unit"))
        except ValueError:
            units = ", ".join(u.value for u in Unit)
            raise RuleError(
                f"A period's unit must be one of {units}; got {value.get('unit')!r}.",
                (*path, "unit"),
            ) from None
        return cls(count, unit)

    @classmethod
    def parse_or_agreed(cls, value: object, path: Sequence[str | int] = ()) -> Period | None:
        """A Period, or ``None`` for the schema's ``"agreed"`` (set per record)."""
        if value == AGREED:
            return None
        return cls.parse(value, path)


def add(d: date, period: Period, cal: WorkingCalendar) -> date:
    """The date ``period`` after ``d``.

    Weeks are 7 days; months are calendar months (31 January plus 1 month is 28 or 29
    February); working days skip weekends and the calendar's bank holidays.
    """
    return _shift(d, period, cal, 1)


def subtract(d: date, period: Period, cal: WorkingCalendar) -> date:
    """The date ``period`` before ``d`` (the reverse of :func:`add`)."""
    return _shift(d, period, cal, -1)


def _shift(d: date, period: Period, cal: WorkingCalendar, sign: int) -> date:
    n = period.count * sign
    match period.unit:
        case Unit.DAYS:
            return d + timedelta(days=n)
        case Unit.WEEKS:
            return d + timedelta(weeks=n)
        case Unit.MONTHS:
            return d + relativedelta(months=n)
        case Unit.WORKING_DAYS:
            return cal.add_working_days(d, n)
    raise ValueError(f"Unknown unit {period.unit!r}")
