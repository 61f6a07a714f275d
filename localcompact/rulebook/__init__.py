"""The compact rules: working days, periods, rule kinds, exceptions and staged procedures.

Plain Python with no Django import. Functions take dates and plain values (``today`` is
always passed in) and return dates or Verdicts that carry the clause they enforce.
"""

from .calendar import Nation, WorkingCalendar, calendar_for, parse_nation
from .errors import RuleError
from .exceptions import (
    AllowedException,
    ExceptionKind,
    Excuse,
    ExcuseRefused,
    check_excuse,
)
from .kinds import (
    RULES,
    MinimumPeriod,
    NoticeBeforeEvent,
    RequiredRecord,
    RespondWithin,
    Rule,
    SeatQuotas,
    build,
)
from .periods import AGREED, Period, Unit, add, subtract
from .procedure import Move, MoveRefused, StagedProcedure, State
from .verdicts import Clause, Status, Verdict, long_date, status_for

__all__ = [
    "AGREED",
    "RULES",
    "AllowedException",
    "Clause",
    "ExceptionKind",
    "Excuse",
    "ExcuseRefused",
    "MinimumPeriod",
    "Move",
    "MoveRefused",
    "Nation",
    "NoticeBeforeEvent",
    "Period",
    "RequiredRecord",
    "RespondWithin",
    "Rule",
    "RuleError",
    "SeatQuotas",
    "StagedProcedure",
    "State",
    "Status",
    "Unit",
    "Verdict",
    "WorkingCalendar",
    "add",
    "build",
    "calendar_for",
    "check_excuse",
    "long_date",
    "parse_nation",
    "status_for",
    "subtract",
]
