"""Exceptions a standard allows, the excuses people claim, and the check between them.

An exception is part of the rule: a standard that allows a shorter period "by agreement"
is met by a shorter period that was agreed, and by nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .errors import RuleError
from .verdicts import Clause


class ExceptionKind(StrEnum):
    STATED_REASONS = "stated_reasons"
    BY_AGREEMENT = "by_agreement"
    WHERE_LEGALLY_IMPOSSIBLE = "where_legally_impossible"
    WHERE_NOT_POSSIBLE = "where_not_possible"
    EMERGENCY = "emergency"
    STATED_AT_START = "stated_at_start"
    EXTENDED_BY_AGREEMENT = "extended_by_agreement"

    @property
    def condition(self) -> str:
        """When the standard allows the exception: "only by agreement"."""
        return _WORDING[self][0]

    @property
    def claim(self) -> str:
        """What an excuse of this kind offers: "a stated reason"."""
        return _WORDING[self][1]

    @property
    def label(self) -> str:
        return _WORDING[self][2]


_WORDING = {
    ExceptionKind.STATED_REASONS: ("only with stated reasons", "a stated reason", "stated reason"),
    ExceptionKind.BY_AGREEMENT: ("only by agreement", "an agreement", "by agreement"),
    ExceptionKind.WHERE_LEGALLY_IMPOSSIBLE: (
        "only where the law makes it impossible",
        "legal impossibility",
        "legally impossible",
    ),
    ExceptionKind.WHERE_NOT_POSSIBLE: (
        "only where it is not possible",
        "impossibility",
        "not possible",
    ),
    ExceptionKind.EMERGENCY: ("only in an emergency", "an emergency", "emergency"),
    ExceptionKind.STATED_AT_START: (
        "only when stated at the start",
        "a statement at the start",
        "stated at the start",
    ),
    ExceptionKind.EXTENDED_BY_AGREEMENT: (
        "only by an agreed extension",
        "an agreed extension",
        "extended by agreement",
    ),
}


def _kind(value: object, path: Sequence[str | int]) -> ExceptionKind:
    try:
        return ExceptionKind(value)
    except ValueError:
        kinds = ", ".join(k.value for k in ExceptionKind)
        raise RuleError(f"Unknown exception kind {value!r}: use one of {kinds}.", path) from None


@dataclass(frozen=True)
class AllowedException:
    """The exception a standard permits, as its definition states it."""

    kind: ExceptionKind
    summary: str

    @classmethod
    def parse(
        cls, data: Mapping[str, object] | None, path: Sequence[str | int] = ("exception",)
    ) -> AllowedException | None:
        """From the definition's ``exception`` (``None`` when the standard allows none)."""
        if data is None:
            return None
        return cls(_kind(data.get("kind"), (*path, "kind")), str(data.get("summary", "")))


@dataclass(frozen=True)
class Excuse:
    """An exception someone claims for one record."""

    kind: ExceptionKind
    reason: str
    recorded_on: date
    agreed_by: str = ""
    extended_to: date | None = None


class ExcuseRefused(Exception):
    """An excuse the standard does not permit; ``message`` names the clause."""

    def __init__(self, message: str, clause: Clause) -> None:
        super().__init__(message)
        self.message = message
        self.clause = clause


def check_excuse(
    excuse: Excuse,
    allowed: AllowedException | None,
    clause: Clause,
    *,
    what: str = "an exception",
) -> Excuse:
    """Return ``excuse`` if the standard permits it, else raise ExcuseRefused.

    Refused when the standard allows no exception, when the kinds differ, when the
    reason is blank, when an agreement does not say who agreed, and when an extension
    does not say to when. ``what`` names what the exception gives ("a shorter period").
    """
    if allowed is None:
        raise ExcuseRefused(
            f"This standard ({clause}) allows no exception; it must be met as written.", clause
        )
    if excuse.kind != allowed.kind:
        raise ExcuseRefused(
            f"This standard ({clause}) allows {what} {allowed.kind.condition}; "
            f"{excuse.kind.claim} is not enough.",
            clause,
        )
    if not excuse.reason.strip():
        raise ExcuseRefused(f"Give the reason for {what} ({clause}); it cannot be blank.", clause)
    agreed = (ExceptionKind.BY_AGREEMENT, ExceptionKind.EXTENDED_BY_AGREEMENT)
    if excuse.kind in agreed and not excuse.agreed_by.strip():
        raise ExcuseRefused(
            f"Say who agreed to {what} ({clause}); this standard allows it "
            f"{allowed.kind.condition}.",
            clause,
        )
    if excuse.kind == ExceptionKind.EXTENDED_BY_AGREEMENT and excuse.extended_to is None:
        raise ExcuseRefused(f"Give the date the deadline was extended to ({clause}).", clause)
    return excuse
