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
    Period,
    RespondWithin,
    Status,
    Unit,
    Verdict,
    add,
    long_date,
)

from .models import ExtraUnit, Level
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


# The event a compact would name for the end of community groups' extra time, in a
# minimum-period standard that runs from `closes` (definitions README, events vocabulary).
COMMUNITY_GROUPS_CLOSE = "community-groups-close"
MAX_EXTRA_DAYS = 365


def community_group_standards(standards: list[Standard]) -> list[Standard]:
    """Standards that fix how much longer community groups get: a minimum period from
    the general close to the community groups' close. None of the shipped compacts gives
    a figure (Redcar asks for "more time" without one), so these come only from a
    definition that does."""
    return [
        s
        for s in standards
        if s.rule_kind == "minimum_period"
        and s.params.get("start") == "closes"
        and s.params.get("end") == COMMUNITY_GROUPS_CLOSE
    ]


def community_group_time_standards(standards: list[Standard]) -> list[Standard]:
    """Standards that ask something of the time community groups get: a fixed extra
    period, or a record of the time given (Redcar's code asks for more time)."""
    return [
        s
        for s in standards
        if s in community_group_standards([s])
        or (
            s.rule_kind == "required_record"
            and "community-group-response-time" in (s.params.get("fields") or ())
        )
    ]


def community_group_extra_default(standards: list[Standard]) -> tuple[int, str]:
    """The extra time to offer by default, as (count, unit): the compact's own figure,
    else none. Weeks are 7 days; a month is offered as 31 days, never less than it."""
    for s in community_group_standards(standards):
        period = s.rule().period
        if period.unit is Unit.WORKING_DAYS:
            return period.count, ExtraUnit.WORKING_DAYS
        per = {Unit.DAYS: 1, Unit.WEEKS: 7, Unit.MONTHS: 31}[period.unit]
        return period.count * per, ExtraUnit.DAYS
    return 0, ExtraUnit.DAYS


def community_groups_close(
    *, version: CompactVersion, closes_on: dt.date, extra: int, unit: str
) -> dt.date | None:
    """The last day a community group may respond, or None when it gets no extra time.
    Working days skip weekends and the compact's nation's bank holidays."""
    if not extra:
        return None
    period = Period(extra, Unit.WORKING_DAYS if unit == ExtraUnit.WORKING_DAYS else Unit.DAYS)
    return add(closes_on, period, version.calendar)


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
    community_groups_close_on: dt.date | None = None,
) -> list[Checked]:
    """The verdicts on the dates, or TimingRefused naming the field to put right.

    `community_groups_close_on` is the end of the extra time for community groups, if
    any: feedback comes after it, and a compact that fixes the extra time is held to it.
    """
    if opens_on < announced_on:
        raise TimingRefused("The opening date must be today or later", field="opens_on")
    if closes_on <= opens_on:
        raise TimingRefused("The closing date must be after the opening date", field="closes_on")
    if feedback_by is not None and feedback_by < closes_on:
        raise TimingRefused(
            "The feedback date must be on or after the closing date", field="feedback_by"
        )
    if (
        feedback_by is not None
        and community_groups_close_on is not None
        and feedback_by < community_groups_close_on
    ):
        raise TimingRefused(
            "The feedback date must be on or after the last day community groups can respond, "
            f"{long_date(community_groups_close_on)}",
            field="feedback_by",
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
        elif isinstance(rule, MinimumPeriod) and standard in community_group_standards([standard]):
            verdict = rule.check(
                start=closes_on, end=community_groups_close_on or closes_on, cal=cal
            )
            if verdict.status is Status.MISSED:
                raise TimingRefused(
                    f"Community groups must have at least {rule.period} more than others to "
                    f"respond, until {long_date(verdict.due)} ({standard.clause})",
                    field="community_group_extra",
                )
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
