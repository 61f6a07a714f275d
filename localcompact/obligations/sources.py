"""How an Activity turns into its one declared obligation, by its standard's rule."""

from localcompact.rulebook import MinimumPeriod, NoticeBeforeEvent, RequiredRecord, RespondWithin

from .services import Declared

# Rule kinds an activity can be recorded under (seat quotas are not a dated promise).
DATED_RULES = ("minimum_period", "notice_before_event", "respond_within", "required_record")


def activity_due_on(activity):
    """The due date the standard gives this activity, or None if a date is missing."""
    rule = activity.standard.rule()
    calendar = activity.standard.version.calendar
    if isinstance(rule, MinimumPeriod):
        return rule.earliest_end(activity.start_on, calendar)
    if isinstance(rule, NoticeBeforeEvent):
        if rule.notice is None:
            return activity.agreed_due_on
        return rule.latest_notice_date(activity.start_on, calendar)
    if isinstance(rule, RespondWithin):
        if rule.limit is None:
            return activity.agreed_due_on
        return rule.due_date(activity.start_on, calendar)
    if isinstance(rule, RequiredRecord):
        return activity.agreed_due_on or activity.start_on
    return None


def activity_declared(activity) -> list[Declared]:
    if activity.withdrawn_on is not None:
        return []
    due_on = activity_due_on(activity)
    if due_on is None:
        return []
    met_on = activity.done_on
    if activity.standard.rule_kind == "minimum_period":
        # kept on the day the minimum period has run, if the activity lasts that long
        met_on = due_on if activity.end_on and activity.end_on >= due_on else None
    return [
        Declared(
            key="standard",
            standard=activity.standard,
            summary=f"{activity.standard.title}: {activity.title}",
            due_on=due_on,
            owed_by=activity.owed_by,
            owed_to=tuple(activity.owed_to.all()),
            owed_to_label=activity.owed_to_label,
            met_on=met_on,
            met_note=activity.done_note,
        )
    ]
