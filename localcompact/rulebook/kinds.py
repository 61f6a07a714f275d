"""The five kinds of rule a compact's standards are made of.

Each kind is built from a standard's ``params`` (exactly those the schema allows), its
clause and the exception it permits, and returns Verdicts that carry that clause. The
rules take dates and plain values and never read the clock: ``today`` is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, ClassVar

from .calendar import WorkingCalendar
from .errors import RuleError
from .exceptions import AllowedException, ExceptionKind, Excuse, ExcuseRefused, check_excuse
from .periods import Period, add, subtract
from .verdicts import Clause, Status, Verdict, and_list, long_date, prose, status_for

__all__ = [
    "RULES",
    "MinimumPeriod",
    "NoticeBeforeEvent",
    "RequiredRecord",
    "RespondWithin",
    "Rule",
    "RuleError",
    "SeatQuotas",
    "build",
]

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LATE = (Status.MISSED, Status.MET_LATE)


def _check_keys(params: Mapping[str, Any], required: str, optional: str = "") -> None:
    """Refuse params that lack a required key or have one the schema does not allow."""
    needed, allowed = set(required.split()), set(required.split()) | set(optional.split())
    for key in sorted(needed - set(params)):
        raise RuleError(f"This rule needs {key!r} in its params.", ("params", key))
    for key in sorted(set(params) - allowed):
        names = ", ".join(sorted(allowed))
        raise RuleError(f"Unknown param {key!r}; this rule takes {names}.", ("params", key))


def _slug(value: object, path: Sequence[str | int]) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise RuleError(
            f"Expected a slug (lower-case words joined by hyphens); got {value!r}.", path
        )
    return value


@dataclass(frozen=True, kw_only=True)
class _Rule:
    kind: ClassVar[str]
    clause: Clause
    exception: AllowedException | None = None
    due_soon_working_days: int = 5

    def _allowed(self, excuse: Excuse | None, what: str) -> Excuse | None:
        """The excuse if the standard permits it; ExcuseRefused if not."""
        return (
            None if excuse is None else check_excuse(excuse, self.exception, self.clause, what=what)
        )

    def _verdict(
        self,
        status: Status,
        due: date | None,
        text: str,
        note: str = "",
        *,
        excuse: Excuse | None = None,
        missing: tuple[str, ...] = (),
    ) -> Verdict:
        cited = f"{note}; {self.clause}" if note else str(self.clause)
        return Verdict(status, self.clause, due, f"{text} ({cited}).", excuse, missing)

    def _dated(
        self,
        status: Status,
        *,
        due: date,
        done_on: date | None,
        excuse: Excuse | None,
        done: str,
        not_done: str,
        to_do: str,
        basis: str,
    ) -> Verdict:
        """A verdict for something owed by a date, in the words given for this rule.

        Late or missed with a permitted excuse is excused.
        """
        if done_on is not None:
            on_time = "by" if done_on <= due else "after"
            text = f"{done} on {long_date(done_on)}, {on_time} {long_date(due)}"
        elif status is Status.MISSED:
            text = f"{not_done} by {long_date(due)}"
        else:
            text = f"{to_do} by {long_date(due)}"
        if status in _LATE and excuse is not None:
            text += f"; excused ({excuse.kind.label}): {excuse.reason}"
            return self._verdict(Status.EXCUSED, due, text, basis, excuse=excuse)
        return self._verdict(status, due, text, basis)


@dataclass(frozen=True, kw_only=True)
class MinimumPeriod(_Rule):
    """A span (from the record's ``start`` date to its ``end`` date) lasts at least ``period``.

    For example a consultation open at least 12 weeks (Herefordshire 10.2.1; City
    Together consultation code 2), or at least 1 week and ideally 4 to act on a request
    (Herefordshire 11.3.1). A span short of ``ideal`` is still met, and says so.
    """

    kind: ClassVar[str] = "minimum_period"
    period: Period
    ideal: Period | None = None
    start: str
    end: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> MinimumPeriod:
        _check_keys(params, "period start end", "ideal")
        period = Period.parse(params["period"], ("params", "period"))
        ideal = None
        if params.get("ideal") is not None:
            ideal = Period.parse(params["ideal"], ("params", "ideal"))
            if ideal.unit == period.unit and ideal.count < period.count:
                raise RuleError(
                    f"The ideal ({ideal}) is shorter than the minimum ({period}).",
                    ("params", "ideal", "count"),
                )
        return cls(
            period=period,
            ideal=ideal,
            start=_slug(params["start"], ("params", "start")),
            end=_slug(params["end"], ("params", "end")),
            **common,
        )

    def earliest_end(self, start: date, cal: WorkingCalendar) -> date:
        """The earliest ``end`` date that meets the minimum."""
        return add(start, self.period, cal)

    def check(
        self, *, start: date, end: date, cal: WorkingCalendar, excuse: Excuse | None = None
    ) -> Verdict:
        due = self.earliest_end(start, cal)
        excuse = self._allowed(excuse, "a shorter period")
        ends = f"{prose(self.end).capitalize()} on {long_date(end)}"
        if end >= due:
            if self.ideal is not None and end < (ideal_end := add(start, self.ideal, cal)):
                text = (
                    f"{ends}: meets the minimum of {self.period} but is short of the ideal "
                    f"of {self.ideal}, which would run until {long_date(ideal_end)}"
                )
                return self._verdict(Status.MET, due, text)
            text = f"{ends}, at least {self.period} after {long_date(start)}"
            return self._verdict(Status.MET, due, text)
        if excuse is not None:
            text = (
                f"{ends}, before {long_date(due)}; the shorter period is excused "
                f"({excuse.kind.label}): {excuse.reason}"
            )
            return self._verdict(Status.EXCUSED, due, text, str(self.period), excuse=excuse)
        text = f"{ends} but must run until at least {long_date(due)}"
        return self._verdict(Status.MISSED, due, text, str(self.period))


@dataclass(frozen=True, kw_only=True)
class NoticeBeforeEvent(_Rule):
    """Notice is given at least ``notice`` before the record's ``event`` date.

    For example 4 weeks' notice of meetings (Herefordshire 11.2.1), information 4 weeks
    before required action (Herefordshire 9.2.2), papers 10 working days before the
    dispute subgroup meets (Leicester 5f). ``notice`` is ``None`` when the definition
    says "agreed": the period is then agreed per record and passed as ``agreed_notice``.
    """

    kind: ClassVar[str] = "notice_before_event"
    notice: Period | None
    event: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> NoticeBeforeEvent:
        _check_keys(params, "notice event")
        return cls(
            notice=Period.parse_or_agreed(params["notice"], ("params", "notice")),
            event=_slug(params["event"], ("params", "event")),
            **common,
        )

    def latest_notice_date(
        self, event_date: date, cal: WorkingCalendar, agreed_notice: Period | None = None
    ) -> date | None:
        """The last day notice can be given; ``None`` if the period is agreed and unknown."""
        notice = self.notice or agreed_notice
        return None if notice is None else subtract(event_date, notice, cal)

    def check(
        self,
        *,
        event_date: date,
        given_on: date | None,
        today: date,
        cal: WorkingCalendar,
        excuse: Excuse | None = None,
        agreed_notice: Period | None = None,
    ) -> Verdict:
        event = f"the {prose(self.event)} on {long_date(event_date)}"
        notice = self.notice or agreed_notice
        due = self.latest_notice_date(event_date, cal, agreed_notice)
        if notice is None or due is None:
            text = f"The notice period for {event} is agreed case by case; record it"
            status = Status.MET if given_on else Status.NOT_YET_DUE
            return self._verdict(status, None, text, missing=("agreed notice period",))
        excuse = self._allowed(excuse, "shorter notice")
        status = status_for(
            due=due,
            done_on=given_on,
            today=today,
            cal=cal,
            due_soon_working_days=self.due_soon_working_days,
        )
        return self._dated(
            status,
            due=due,
            done_on=given_on,
            excuse=excuse,
            done="Notice given",
            not_done="No notice given",
            to_do="Give notice",
            basis=f"{notice} before {event}",
        )


@dataclass(frozen=True, kw_only=True)
class RespondWithin(_Rule):
    """Something is done within ``limit`` of the record's ``after`` date.

    For example the dispute subgroup's chair answers both sides, naming the next stage,
    no later than 10 working days after receiving the written disagreement (Leicester 5d). With
    ``limit`` ``None`` ("agreed") the due date is agreed per record (``agreed_due``). An
    allowed ``extended_by_agreement`` excuse moves the due date to ``extended_to``.
    """

    kind: ClassVar[str] = "respond_within"
    limit: Period | None
    after: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> RespondWithin:
        _check_keys(params, "limit after")
        return cls(
            limit=Period.parse_or_agreed(params["limit"], ("params", "limit")),
            after=_slug(params["after"], ("params", "after")),
            **common,
        )

    def due_date(
        self, trigger: date, cal: WorkingCalendar, agreed_due: date | None = None
    ) -> date | None:
        """The due date; for an agreed limit, ``agreed_due`` (``None`` if not yet agreed)."""
        return agreed_due if self.limit is None else add(trigger, self.limit, cal)

    def check(
        self,
        *,
        trigger: date,
        done_on: date | None,
        today: date,
        cal: WorkingCalendar,
        excuse: Excuse | None = None,
        agreed_due: date | None = None,
    ) -> Verdict:
        after = f"the {prose(self.after)} on {long_date(trigger)}"
        due = self.due_date(trigger, cal, agreed_due)
        if due is None:
            text = f"The time allowed after {after} is agreed case by case; record the due date"
            status = Status.MET if done_on else Status.NOT_YET_DUE
            return self._verdict(status, None, text, missing=("agreed due date",))
        basis = f"{self.limit or 'the agreed time'} after {after}"
        excuse = self._allowed(excuse, "more time")
        extension = None
        if excuse is not None and excuse.kind is ExceptionKind.EXTENDED_BY_AGREEMENT:
            assert excuse.extended_to is not None  # check_excuse refuses an extension without it
            if excuse.extended_to < due:
                raise ExcuseRefused(
                    f"An extension must be later than the due date of {long_date(due)} "
                    f"({self.clause}).",
                    self.clause,
                )
            basis += f", extended by agreement of {excuse.agreed_by} from {long_date(due)}"
            due, extension, excuse = excuse.extended_to, excuse, None
        status = status_for(
            due=due,
            done_on=done_on,
            today=today,
            cal=cal,
            due_soon_working_days=self.due_soon_working_days,
        )
        verdict = self._dated(
            status,
            due=due,
            done_on=done_on,
            excuse=excuse,
            done="Done",
            not_done="Not done",
            to_do="Due",
            basis=basis,
        )
        return verdict if extension is None else replace(verdict, excuse=extension)


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Collection):
        return len(value) == 0
    return False


@dataclass(frozen=True, kw_only=True)
class RequiredRecord(_Rule):
    """A record states every one of ``fields``.

    For example a group's terms of reference state its aims, authority, decision method,
    whether decisions are final, each member's role and the quorum (Herefordshire
    11.2.4). ``by`` names the event by which the record must exist (for example the
    ``decision``); the caller uses it to date the obligation.
    """

    kind: ClassVar[str] = "required_record"
    fields: tuple[str, ...]
    by: str | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> RequiredRecord:
        _check_keys(params, "fields", "by")
        fields = params["fields"]
        if isinstance(fields, str) or not isinstance(fields, Sequence) or not fields:
            raise RuleError("fields must be a list of at least one slug.", ("params", "fields"))
        slugs = tuple(_slug(f, ("params", "fields", i)) for i, f in enumerate(fields))
        if len(set(slugs)) != len(slugs):
            raise RuleError("fields must not repeat a slug.", ("params", "fields"))
        by = params.get("by")
        return cls(fields=slugs, by=None if by is None else _slug(by, ("params", "by")), **common)

    def check(self, record: Mapping[str, object]) -> Verdict:
        """Met when every field is present and not blank.

        A field is looked up by its slug (``decision-method``) or the same name with
        underscores (``decision_method``). None, blank text and empty collections count as
        absent; any other value (including 0 and False) as present.
        """
        missing = tuple(
            field
            for field in self.fields
            if _is_empty(record.get(field, record.get(field.replace("-", "_"))))
        )
        if missing:
            text = f"Does not yet state the {and_list([prose(f) for f in missing])}"
            return self._verdict(Status.MISSED, None, text, missing=missing)
        text = f"States the {and_list([prose(f) for f in self.fields])}"
        return self._verdict(Status.MET, None, text)


@dataclass(frozen=True, kw_only=True)
class SeatQuotas(_Rule):
    """A body's members fill its seats as the definition's ``bodies`` entry requires.

    For example Leicester's steering group (Leicester 6f-6g): independent chair and
    deputy, ex-officio vice-chairs and secretary, six public nominees with every public
    signatory represented, six elected VCS members in funded, unfunded, BME and equality
    places, and more of both when over six public bodies have signed.
    """

    kind: ClassVar[str] = "seat_quotas"
    body: str

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> SeatQuotas:
        _check_keys(params, "body")
        return cls(body=_slug(params["body"], ("params", "body")), **common)

    @staticmethod
    def required_places(seat: Mapping[str, Any], body: Mapping[str, Any], signatories: int) -> int:
        """A seat's places: its count, plus one per public signatory over the growth
        threshold if the seat is one that grows."""
        growth = body.get("growth") or {}
        extra = 0
        if seat["id"] in growth.get("seats", ()):
            extra = max(0, signatories - growth["threshold"])
        return int(seat["count"]) + extra

    def check(
        self,
        *,
        body: Mapping[str, Any],
        members: Sequence[Mapping[str, Any]],
        public_signatories: int,
        public_signatory_ids: Collection[str] | None = None,
    ) -> Verdict:
        """Check ``members`` against ``body``'s seats.

        Each member has ``seat``, ``sector``, ``flags``, ``organisation`` and
        ``is_signatory`` (and, for messages, ``name`` if known). A seat marked
        ``each_signatory_represented`` needs ``public_signatory_ids``.
        """
        if body.get("id") != self.body:
            raise RuleError(
                f"This standard checks the body {self.body!r}, not {body.get('id')!r}.",
                ("params", "body"),
            )
        problems: list[str] = []
        seat_ids = {seat["id"] for seat in body["seats"]}
        for i, member in enumerate(members):
            if member.get("seat") not in seat_ids:
                problems.append(
                    f"{_who(member, i)} is in seat {member.get('seat')!r}, "
                    "which this body does not have"
                )
        for seat in body["seats"]:
            in_seat = [(i, m) for i, m in enumerate(members) if m.get("seat") == seat["id"]]
            problems += _seat_problems(
                seat,
                in_seat,
                self.required_places(seat, body, public_signatories),
                public_signatory_ids,
            )
        name = body.get("name", prose(self.body))
        if problems:
            text = f"{name}: {'; '.join(problems)}"
            return self._verdict(Status.MISSED, None, text, missing=tuple(problems))
        return self._verdict(Status.MET, None, f"{name} meets every seat quota")


_FLAG_WORDS = {
    "receives_public_funding": "receives public funding",
    "unfunded": "is unfunded",
    "bme_led": "is a black and minority ethnic group",
    "equality_and_diversity": "is an equality and diversity group",
    "infrastructure": "is an infrastructure organisation",
}


def _who(member: Mapping[str, Any], index: int) -> str:
    return str(member.get("name") or member.get("id") or f"Member {index + 1}")


def _seat_problems(
    seat: Mapping[str, Any],
    in_seat: list[tuple[int, Mapping[str, Any]]],
    places: int,
    public_signatory_ids: Collection[str] | None,
) -> list[str]:
    title = f"Seat '{seat['title']}'"
    problems = []
    if len(in_seat) < places:
        noun = "member" if places == 1 else "members"
        problems.append(f"{title} needs {places} {noun} and has {len(in_seat)}")
    elif len(in_seat) > places:
        noun = "place" if places == 1 else "places"
        problems.append(f"{title} has {len(in_seat)} members but only {places} {noun}")
    sector = seat.get("sector", "any")
    for i, member in in_seat:
        who = _who(member, i)
        if sector != "any" and member.get("sector") != sector:
            problems.append(
                f"{title} is for the {sector} sector but {who} is {member.get('sector')}"
            )
        for flag in seat.get("requires_flags", ()):
            if flag not in set(member.get("flags") or ()):
                problems.append(
                    f"{title} needs an organisation that {_FLAG_WORDS.get(flag, prose(flag))}, "
                    f"and {who}'s is not marked so"
                )
        if seat.get("from_signatories") and not (
            member.get("organisation") and member.get("is_signatory")
        ):
            problems.append(f"{title} is for signatories but {who}'s organisation has not signed")
    if seat.get("each_signatory_represented"):
        if public_signatory_ids is None:
            raise RuleError(
                f"{title} must represent every signatory: pass public_signatory_ids.",
                ("params", "body"),
            )
        present = {m.get("organisation") for _, m in in_seat}
        for org in sorted(set(public_signatory_ids) - present):
            problems.append(f"{title} has no member from signatory {org!r}")
    return problems


Rule = MinimumPeriod | NoticeBeforeEvent | RespondWithin | RequiredRecord | SeatQuotas

RULES: dict[str, type[Rule]] = {
    cls.kind: cls
    for cls in (MinimumPeriod, NoticeBeforeEvent, RespondWithin, RequiredRecord, SeatQuotas)
}


def build(
    rule: str,
    params: Mapping[str, Any],
    *,
    clause: Clause,
    exception: AllowedException | None,
    due_soon_working_days: int = 5,
) -> Rule:
    """The rule a standard describes, with its params checked (RuleError if unusable)."""
    cls = RULES.get(rule)
    if cls is None:
        raise RuleError(f"Unknown rule kind {rule!r}: use one of {', '.join(RULES)}.", ("rule",))
    if not isinstance(params, Mapping):
        raise RuleError("params must be a mapping of names to values.", ("params",))
    if (
        isinstance(due_soon_working_days, bool)
        or not isinstance(due_soon_working_days, int)
        or due_soon_working_days < 0
    ):
        raise RuleError(
            "due_soon_working_days must be a whole number, 0 or more.", ("due_soon_working_days",)
        )
    return cls.from_params(
        params, clause=clause, exception=exception, due_soon_working_days=due_soon_working_days
    )
