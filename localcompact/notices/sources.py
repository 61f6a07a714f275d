"""How a notice turns into its obligation, by its compact's informing standard.

The standard (`applies_to: informing-notice`; Herefordshire 003, 9.2.2: a notice period
before the date action is required) is a `notice_before_event` rule whose event is the
required action. The notice owes one obligation: to be published by the last day that
leaves the notice period. A compact without such a standard gives no obligation.
"""

import datetime as dt

from localcompact.obligations.services import Declared
from localcompact.rulebook import NoticeBeforeEvent, Verdict

from .models import Status


def _rule(notice):
    standard = notice.standard()
    if standard is None:
        return None, None
    rule = standard.rule()
    if not isinstance(rule, NoticeBeforeEvent):
        return standard, None
    return standard, rule


def notice_due_on(notice) -> dt.date | None:
    """The last day the notice can be published and still keep the standard."""
    standard, rule = _rule(notice)
    if rule is None:
        return None
    return rule.latest_notice_date(notice.action_by, standard.version.calendar)


def notice_check(notice, *, today: dt.date, publishing_on: dt.date | None = None) -> Verdict | None:
    """The rules package's verdict on the notice's timing (None if no standard applies).

    `publishing_on` asks what the verdict would be if it were published that day.
    """
    standard, rule = _rule(notice)
    if rule is None or rule.latest_notice_date(notice.action_by, standard.version.calendar) is None:
        return None
    return rule.check(
        event_date=notice.action_by,
        given_on=notice.published_on or publishing_on,
        today=today,
        cal=standard.version.calendar,
    )


def notice_declared(notice) -> list[Declared]:
    if notice.status == Status.WITHDRAWN and notice.published_on is None:
        return []  # a draft given up: nothing was owed after all
    standard, rule = _rule(notice)
    if rule is None:
        return []
    due_on = rule.latest_notice_date(notice.action_by, standard.version.calendar)
    if due_on is None:
        return []
    published = notice.published_on is not None
    return [
        Declared(
            key="notice-period",
            standard=standard,
            summary=f"{standard.title}: {notice.label}",
            due_on=due_on,
            owed_by=notice.issued_by,
            owed_to=tuple(notice.shared_with.all()) if published else (),
            owed_to_label="Those the notice informs",
            met_on=notice.published_on,
            met_note="Notice published" if published else "",
        )
    ]
