"""How a consultation and its responses turn into obligations, by the compact's standards.

Nothing here knows a compact's numbers: each standard that `applies_to` a consultation
(or a response) is read from the version the consultation was planned under, its rule
built by the rules package, and the dates of the consultation fed to it. A standard
owed by a party applies when the lead body's sector is one of that party's sectors.
Only consultations at the consulting level are held to the consulting standards
(Herefordshire 003_d44882093ddd00d6.txt 8.3 and section 10).
"""

from __future__ import annotations

import datetime as dt

from localcompact.compacts.models import Party, Standard
from localcompact.obligations.services import Declared
from localcompact.rulebook import MinimumPeriod, NoticeBeforeEvent, RequiredRecord, RespondWithin

from .models import Consultation, Level, Response, ResponseKind

OWED_TO_LABELS = {
    "respondents": "respondents",
    "partners": "partners",
    "everyone": "everyone",
}


def _party_sectors(version) -> dict[str, list[str]]:
    cache = getattr(version, "_party_sectors", None)
    if cache is None:
        cache = {p.ident: list(p.sectors) for p in Party.objects.filter(version=version)}
        version._party_sectors = cache
    return cache


def owed_by_sector(standard: Standard, sector: str) -> bool:
    """Whether an organisation of `sector` owes what `standard` asks."""
    sectors = _party_sectors(standard.version).get(standard.owed_by)
    return sectors is not None and sector in sectors


def owed_to_label(standard: Standard) -> str:
    if standard.owed_to in OWED_TO_LABELS:
        return OWED_TO_LABELS[standard.owed_to]
    party = Party.objects.filter(version=standard.version, ident=standard.owed_to).first()
    return party.name if party else standard.owed_to.replace("-", " ")


def standards_for(consultation: Consultation, applies_to: str = "consultation") -> list[Standard]:
    """The standards of its compact version that the consultation is held to."""
    if consultation.level != Level.CONSULTING:
        return []
    standards = Standard.objects.filter(
        version=consultation.version, applies_to=applies_to
    ).select_related("version__compact", "source", "code")
    standards = list(standards)
    for s in standards:
        s.version = consultation.version  # one instance, so the parties are read once
    return [s for s in standards if owed_by_sector(s, consultation.lead.sector)]


def event_dates(c: Consultation) -> dict[str, dt.date | None]:
    """The dates of the events the standards count from or to (definitions README)."""
    return {
        "announced": c.announced_on,
        "opens": c.opens_on,
        "closes": c.closes_on,
        "community-groups-close": c.community_groups_close_on or c.closes_on,
        "decision": c.decided_on,
        "feedback-published": c.feedback_published_on,
    }


def expected_dates(c: Consultation) -> dict[str, dt.date]:
    """When an event that has not happened yet is expected, to date an obligation."""
    expected = c.feedback_by or c.community_groups_close_on or c.closes_on
    return {
        "announced": c.announced_on,
        "opens": c.opens_on,
        "closes": c.closes_on,
        "community-groups-close": c.community_groups_close_on or c.closes_on,
        "decision": c.decided_on or expected,
        "feedback-published": c.feedback_published_on or expected,
    }


def record_of(c: Consultation) -> dict[str, tuple[object, dt.date | None]]:
    """What the consultation states for each field a required-record standard names,
    with the date it came to state it."""
    planned = c.announced_on
    return {
        "response-methods": (c.response_methods, planned),
        # only met when anonymous comment is possible (Herefordshire 10.2.5)
        "anonymous-responses-allowed": (True if c.anonymous_allowed else None, planned),
        "petitions-considered": (c.petitions_considered, c.decided_on),
        "respondents-notified": (c.respondents_notified_on, c.respondents_notified_on),
        "effect-of-consultation": (c.effect_of_consultation, c.decided_on),
        "feedback-on-outcomes": (c.what_you_told_us, c.feedback_published_on),
        "findings": (c.what_you_told_us, c.feedback_published_on),
        "reasons-for-decision": (c.reasons_for_decision, c.decided_on),
        # The time community groups are given: stated only when it is longer than
        # everyone else's, which is what Redcar's code asks for (002_41c5fa4d4a1baeb0.txt,
        # Community groups and neighbourhoods code, key principle 2).
        "community-group-response-time": (
            f"{c.community_group_extra_text} more, until {c.community_groups_close_on}"
            if c.community_groups_close_on
            else None,
            planned,
        ),
        "accessible-information": (c.accessible_information, planned),
        "participation-support": (c.participation_support, planned),
    }


def required_record_state(standard: Standard, c: Consultation):
    """The rule's verdict on the consultation, and the date it became complete."""
    rule = standard.rule()
    stated = record_of(c)
    verdict = rule.check({field: stated.get(field, (None, None))[0] for field in rule.fields})
    met_on = None
    if not verdict.missing:
        dates = [stated[f][1] for f in rule.fields if f in stated and stated[f][1]]
        met_on = max(dates) if dates else c.announced_on
    return verdict, met_on


def consultation_declared(c: Consultation) -> list[Declared]:
    declared = []
    cal = c.version.calendar
    expected = expected_dates(c)
    for standard in standards_for(c):
        rule = standard.rule()
        common = {
            "standard": standard,
            "owed_by": c.lead,
            "owed_to_label": owed_to_label(standard),
        }
        summary = f"{standard.title}: {c.title}"
        if isinstance(rule, MinimumPeriod):
            start, end = expected.get(rule.start), expected.get(rule.end)
            if start is None or end is None:
                continue
            due = rule.earliest_end(start, cal)
            declared.append(
                Declared(
                    key=standard.ident,
                    summary=summary,
                    due_on=due,
                    met_on=due if end >= due else None,
                    **common,
                )
            )
        elif isinstance(rule, NoticeBeforeEvent):
            event_on = expected.get(rule.event)
            due = event_on and rule.latest_notice_date(event_on, cal)
            if due is None:
                continue
            declared.append(
                Declared(
                    key=standard.ident,
                    summary=summary,
                    due_on=due,
                    met_on=c.announced_on,
                    **common,
                )
            )
        elif isinstance(rule, RespondWithin):
            trigger = expected.get(rule.after)
            due = trigger and rule.due_date(trigger, cal, agreed_due=c.feedback_by)
            if due is None:
                continue
            declared.append(
                Declared(
                    key=standard.ident,
                    summary=summary,
                    due_on=due,
                    met_on=c.feedback_published_on,
                    **common,
                )
            )
        elif isinstance(rule, RequiredRecord):
            due = expected.get(rule.by or "opens") or c.opens_on
            _, met_on = required_record_state(standard, c)
            declared.append(
                Declared(key=standard.ident, summary=summary, due_on=due, met_on=met_on, **common)
            )
    return declared


def response_declared(r: Response) -> list[Declared]:
    """A sent response's obligations: its acknowledgement (where the compact asks for
    one), and a responding organisation's own deadline (where the compact sets one)."""
    if not r.submitted or r.submitted_on is None:
        return []
    c = r.consultation
    declared = []
    for standard in standards_for(c, "consultation-response"):
        rule = standard.rule()
        if isinstance(rule, RequiredRecord) and "acknowledgement" in rule.fields:
            if not c.acknowledged:
                continue  # said at the start: the excuse is recorded by the service
            declared.append(
                Declared(
                    key=standard.ident,
                    standard=standard,
                    summary=f"{standard.title}: a response to {c.title}",
                    due_on=max(r.submitted_on, c.closes_on),
                    owed_by=c.lead,
                    owed_to_label="the respondent",
                    met_on=r.acknowledged_on,
                )
            )
    # Standards a respondent owes (City Together: VCS responses meet the deadline).
    if r.kind in (ResponseKind.ORGANISATION, ResponseKind.JOINT) and r.organisation:
        standards = Standard.objects.filter(
            version=c.version, applies_to="consultation-response"
        ).select_related("version__compact", "source", "code")
        for standard in standards:
            rule = standard.rule()
            if not isinstance(rule, NoticeBeforeEvent) or rule.event != "closes":
                continue
            if not owed_by_sector(standard, r.organisation.sector):
                continue
            to_sectors = _party_sectors(standard.version).get(standard.owed_to)
            if to_sectors is not None and c.lead.sector not in to_sectors:
                continue
            due = rule.latest_notice_date(c.closes_on, c.version.calendar)
            if due is None:
                continue
            declared.append(
                Declared(
                    key=standard.ident,
                    standard=standard,
                    summary=f"{standard.title}: response to {c.title}",
                    due_on=due,
                    owed_by=r.organisation,
                    owed_to=(c.lead,),
                    met_on=r.submitted_on,
                )
            )
    return declared
