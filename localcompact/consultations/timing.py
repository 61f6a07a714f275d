"""The timing of a consultation, checked against its compact's standards when planned.

Every number comes from the compact version's standards and every verdict from the
rules package: a minimum period (with the exception the standard allows, if any), notice
before opening, and a feedback date where the compact leaves the timescale to be agreed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from localcompact.compacts.models import CompactVersion, Standard
from localcompact.rulebook import (
    ExceptionKind,
    Excuse,
    ExcuseRefused,
    MinimumPeriod,
    NoticeBeforeEvent,
    RespondWithin,
    Status,
    Verdict,
    long_date,
)

from .models import Level
from .obligations import owed_by_sector


class TimingRefused(Exception):
    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Checked:
    standard: Standard
    verdict: Verdict


def applicable(
    *, version: CompactVersion, sector: str, level: str, applies_to: str = "consultation"
) -> list[Standard]:
    if level != Level.CONSULTING:
        return []
    standards = Standard.objects.filter(version=version, applies_to=applies_to).select_related(
        "version__compact", "source"
    )
    standards = list(standards)
    for s in standards:
        s.version = version  # one instance, so the parties are read once
    return [s for s in standards if owed_by_sector(s, sector)]


def minimum_period_standards(standards: list[Standard]) -> list[Standard]:
    return [
        s
        for s in standards
        if s.rule_kind == "minimum_period"
        and s.params.get("start") == "opens"
        and s.params.get("end") == "closes"
    ]


def needs_feedback_date(standards: list[Standard]) -> Standard | None:
    """The standard that leaves the feedback timescale to be agreed, if any."""
    for s in standards:
        rule = s.rule()
        if isinstance(rule, RespondWithin) and rule.limit is None and rule.after == "closes":
            return s
    return None


def check_timing(
    *,
    standards: list[Standard],
    announced_on: dt.date,
    opens_on: dt.date,
    closes_on: dt.date,
    feedback_by: dt.date | None,
    reason: str = "",
    agreed_by: str = "",
) -> list[Checked]:
    """The verdicts on the dates, or TimingRefused naming the field to put right."""
    if opens_on < announced_on:
        raise TimingRefused("The opening date must be today or later", field="opens_on")
    if closes_on <= opens_on:
        raise TimingRefused("The closing date must be after the opening date", field="closes_on")
    if feedback_by is not None and feedback_by < closes_on:
        raise TimingRefused(
            "The feedback date must be on or after the closing date", field="feedback_by"
        )
    checked = []
    for standard in standards:
        rule = standard.rule()
        cal = standard.version.calendar
        if isinstance(rule, MinimumPeriod) and standard in minimum_period_standards([standard]):
            verdict = rule.check(start=opens_on, end=closes_on, cal=cal)
            if verdict.status is Status.MISSED:
                allowed = standard.allowed_exception
                if allowed is None:
                    raise TimingRefused(verdict.explanation, field="closes_on")
                if not reason.strip() and not agreed_by.strip():
                    raise TimingRefused(
                        f"{verdict.explanation[:-1]}. A shorter period is allowed "
                        f"{allowed.kind.condition}: {allowed.summary} Record it below.",
                        field="closes_on",
                    )
                excuse = Excuse(
                    kind=allowed.kind,
                    reason=reason.strip(),
                    recorded_on=announced_on,
                    agreed_by=agreed_by.strip(),
                )
                try:
                    verdict = rule.check(start=opens_on, end=closes_on, cal=cal, excuse=excuse)
                except ExcuseRefused as refused:
                    field = (
                        "short_agreed_by"
                        if reason.strip() and allowed.kind is ExceptionKind.BY_AGREEMENT
                        else "short_reason"
                    )
                    raise TimingRefused(refused.message, field=field) from None
            checked.append(Checked(standard, verdict))
        elif isinstance(rule, NoticeBeforeEvent) and rule.event == "opens":
            verdict = rule.check(
                event_date=opens_on, given_on=announced_on, today=announced_on, cal=cal
            )
            if verdict.status in (Status.MISSED, Status.MET_LATE):
                latest = rule.latest_notice_date(opens_on, cal)
                earliest = opens_on + (announced_on - latest)
                raise TimingRefused(
                    f"It must be announced {rule.notice} before it opens, so it can open on "
                    f"{long_date(earliest)} at the earliest ({standard.clause})",
                    field="opens_on",
                )
            checked.append(Checked(standard, verdict))
        elif (
            isinstance(rule, RespondWithin)
            and rule.limit is None
            and rule.after == "closes"
            and feedback_by is None
        ):
            raise TimingRefused(
                f"Give the date by which feedback will be published: the compact asks "
                f"for feedback within an agreed timescale ({standard.clause})",
                field="feedback_by",
            )
    return checked


def short_exception(standards: list[Standard]):
    """The exception a shorter period may use, from the minimum-period standard."""
    for s in minimum_period_standards(standards):
        return s, s.allowed_exception
    return None, None


def minimum_end(standards: list[Standard], opens_on: dt.date) -> dt.date | None:
    ends = [
        s.rule().earliest_end(opens_on, s.version.calendar)
        for s in minimum_period_standards(standards)
    ]
    return max(ends) if ends else None
