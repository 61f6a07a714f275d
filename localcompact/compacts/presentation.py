"""Plain-English descriptions of standards' rules, for pages and exports."""

from collections.abc import Mapping
from typing import Any

from localcompact.rulebook import Period

STRICTNESS_HINT = {
    "must": "The compact says this must happen.",
    "should": "The compact says this should happen.",
    "best_practice": "The compact sets this as best practice.",
}

EXCEPTION_LABEL = {
    "stated_reasons": "Allowed with reasons stated publicly",
    "by_agreement": "Allowed by agreement, recording who agreed",
    "where_legally_impossible": "Allowed where the law does not make it possible",
    "where_not_possible": "Allowed where it is not possible, with the reason",
    "emergency": "Allowed in an emergency, recorded as such",
    "stated_at_start": "Allowed where this was said at the start",
    "extended_by_agreement": "Can be extended by agreement of both sides",
}

APPOINTMENT_LABEL = {
    "independent": "Independent appointment",
    "ex_officio": "Ex officio (because of the office held)",
    "nominated": "Nominated",
    "elected": "Elected",
    "appointed": "Appointed",
}


# How the event names of the definitions' vocabulary read in a sentence.
EVENT_PHRASE = {
    "opens": "opening",
    "closes": "closing",
    "announced": "announcement",
    "received": "day it is received",
    "action-due": "day action is due",
    "required-action": "day action is required",
    "year-start": "start of the year",
    "group-set-up": "setting up of the group",
    "informal-failure": "day informal talks fail",
    "submitted": "day it is put in writing",
    "chair-reply": "chair's reply",
    "mediation-start": "start of mediation",
    "stage-three-notice": "notice that the appeal stage will be used",
    "information-received": "day the information is received",
    "final-exchange": "final exchange of information",
    "subgroup-meeting": "subgroup's meeting",
    "project-start": "start of the project",
    "expenditure-start": "start of spending",
    "funding-ends": "end of the funding",
    "service-ends": "end of the service",
    "previous-annual-meeting": "previous annual meeting",
    "action-plan-agreed": "day the action plan was last agreed",
    "adopted": "day the compact was adopted",
}


def words(slug: str) -> str:
    return slug.replace("-", " ").replace("_", " ")


def event(slug: str) -> str:
    return EVENT_PHRASE.get(slug, words(slug))


def period_text(value: Any) -> str:
    if value == "agreed":
        return "a period agreed case by case"
    return str(Period.parse(value))


def describe_rule(rule: str, params: Mapping[str, Any], body_names: Mapping[str, str]) -> str:
    """One sentence saying what a standard's rule requires."""
    if rule == "minimum_period":
        text = (
            f"At least {period_text(params['period'])} from {event(params['start'])} "
            f"to {event(params['end'])}"
        )
        if "ideal" in params:
            text += f", ideally {period_text(params['ideal'])}"
        return text + "."
    if rule == "notice_before_event":
        if params["notice"] == "agreed":
            return f"Notice, of a period agreed case by case, before the {event(params['event'])}."
        if params["notice"]["count"] == 0:
            return f"No later than the {event(params['event'])}."
        return (
            f"Notice at least {period_text(params['notice'])} before the {event(params['event'])}."
        )
    if rule == "respond_within":
        if params["limit"] == "agreed":
            return f"By the date agreed case by case, counted from the {event(params['after'])}."
        return f"Within {period_text(params['limit'])} of the {event(params['after'])}."
    if rule == "required_record":
        fields = [words(field) for field in params["fields"]]
        listed = fields[0] if len(fields) == 1 else ", ".join(fields[:-1]) + " and " + fields[-1]
        text = f"A record of {listed}"
        if "by" in params:
            text += f", by the {event(params['by'])}"
        return text + "."
    if rule == "seat_quotas":
        name = body_names.get(params["body"], words(params["body"]))
        return f"The {name} has its seats filled as the compact's quotas say."
    return words(rule).capitalize() + "."


def params_text(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A standard's parameters as (name, plain text) pairs."""
    rows = []
    for key, value in params.items():
        if isinstance(value, dict):
            rows.append((key, period_text(value)))
        elif isinstance(value, list):
            rows.append((key, ", ".join(words(item) for item in value)))
        else:
            rows.append((key, words(str(value))))
    return rows
