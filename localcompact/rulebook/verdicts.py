"""Verdicts: what a rule says about one record, with the clause it enforces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .calendar import WorkingCalendar
    from .exceptions import Excuse

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(d: date) -> str:
    """A date as people write it: ``20 March 2025`` (independent of the locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def prose(slug: str) -> str:
    """A slug or flag in plain words: ``decision-method`` becomes ``decision method``."""
    return slug.replace("-", " ").replace("_", " ")


def and_list(items: list[str] | tuple[str, ...]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class Clause:
    """Where a promise is written: a seed document's file name and a clause reference."""

    document: str
    ref: str

    def __str__(self) -> str:
        return f"{self.document} {self.ref}"

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> Clause:
        """A Clause from the definition's ``{document: ..., ref: ...}``."""
        return cls(document=str(data["document"]), ref=str(data["ref"]))


class Status(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    DUE_SOON = "due_soon"
    MET = "met"
    MET_LATE = "met_late"
    MISSED = "missed"
    EXCUSED = "excused"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.NOT_YET_DUE: "Not yet due",
    Status.DUE_SOON: "Due soon",
    Status.MET: "Met",
    Status.MET_LATE: "Met late",
    Status.MISSED: "Missed",
    Status.EXCUSED: "Excused",
}


@dataclass(frozen=True)
class Verdict:
    """A rule's finding on one record.

    ``explanation`` is a sentence a user can act on, ending with the clause; ``missing``
    lists what is absent or wrong (fields of a record, unmet seat quotas).
    """

    status: Status
    clause: Clause
    due: date | None
    explanation: str
    excuse: Excuse | None = None
    missing: tuple[str, ...] = ()


def status_for(
    *,
    due: date,
    done_on: date | None,
    today: date,
    cal: WorkingCalendar,
    due_soon_working_days: int = 5,
) -> Status:
    """The status of something owed by ``due``.

    Done on or before the due date: met; done after it: met late. Not done: missed once
    today is past the due date, due soon when the due date is at most
    ``due_soon_working_days`` working days away, otherwise not yet due.
    """
    if done_on is not None:
        return Status.MET if done_on <= due else Status.MET_LATE
    if today > due:
        return Status.MISSED
    if cal.working_days_between(today, due) <= due_soon_working_days:
        return Status.DUE_SOON
    return Status.NOT_YET_DUE
