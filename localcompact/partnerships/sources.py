"""How partnership records turn into obligations, by the standards of their compact.

Each standard is found in the compact's current version by what it applies to (its
`applies_to`) and its rule kind, so the numbers (four weeks' notice, one week to act...)
come from the definition and a compact that has no such standard yields no obligation.
"""

from __future__ import annotations

import datetime as dt

from localcompact.compacts.models import Compact, Standard
from localcompact.obligations.services import Declared
from localcompact.rulebook import MinimumPeriod, NoticeBeforeEvent, RequiredRecord, RespondWithin

# What each kind of record is called in the definitions' `applies_to`.
APPLIES_TO = {
    "terms": ("terms-of-reference", RequiredRecord),
    "calendar": ("meeting-calendar", NoticeBeforeEvent),
    "notice": ("meeting", NoticeBeforeEvent),
    "papers": ("meeting-papers", NoticeBeforeEvent),
    "request": ("request-to-act", MinimumPeriod),
    "foi": ("foi-request", RespondWithin),
}

# The freedom-of-information limit is the law's, not a compact's: 20 working days from
# receipt (Freedom of Information Act 2000, s.10(1)), cited by 003, 12.3 (second). Used
# only while the compact's definition has no `foi-request` standard of its own.
FOI_WORKING_DAYS = 20


def standard_for(compact: Compact, what: str) -> Standard | None:
    """The compact's current standard for `what` (a key of APPLIES_TO), or None."""
    applies_to, kind = APPLIES_TO[what]
    cache = getattr(compact, "_partnership_standards", None)
    if cache is None:
        cache = compact._partnership_standards = {}
    key = (compact.current_version_id, what)
    if key not in cache:
        found = None
        for standard in Standard.objects.select_related("version", "source", "code").filter(
            version_id=compact.current_version_id, applies_to=applies_to
        ):
            if isinstance(standard.rule(), kind):
                found = standard
                break
        cache[key] = found
    return cache[key]


def _partners(group) -> tuple:
    seen = {}
    for member in group.members.all():
        if member.left_on is None and member.organisation_id != group.convener_id:
            seen.setdefault(member.organisation_id, member.organisation)
    return tuple(seen.values())


def group_declared(group) -> list[Declared]:
    standard = standard_for(group.compact, "terms")
    if standard is None or group.closed_on is not None:
        return []
    return [
        Declared(
            key="terms-of-reference",
            standard=standard,
            summary=f"{standard.title}: {group.name}",
            due_on=group.set_up_on,
            owed_by=group.convener,
            owed_to=_partners(group),
            owed_to_label="the group's partners",
            met_on=group.terms_complete_on,
        )
    ]


def calendar_declared(calendar) -> list[Declared]:
    group = calendar.group
    standard = standard_for(group.compact, "calendar")
    if standard is None:
        return []
    due = standard.rule().latest_notice_date(calendar.starts_on, standard.version.calendar)
    if due is None:
        return []
    return [
        Declared(
            key="calendar",
            standard=standard,
            summary=f"{standard.title}: {group.name}, {calendar.label}",
            due_on=due,
            owed_by=group.convener,
            owed_to=_partners(group),
            owed_to_label="the group's partners",
            met_on=calendar.published_on,
        )
    ]


def notice_due_on(meeting) -> dt.date | None:
    """The last day notice of the meeting can be given, if the compact sets a period."""
    standard = standard_for(meeting.group.compact, "notice")
    if standard is None:
        return None
    return standard.rule().latest_notice_date(meeting.date, standard.version.calendar)


def papers_due_on(meeting) -> dt.date | None:
    standard = standard_for(meeting.group.compact, "papers")
    if standard is None:
        return None
    return standard.rule().latest_notice_date(meeting.date, standard.version.calendar)


def paper_name(paper) -> str:
    """A paper as an obligation names it: a restricted one without its title, since
    obligations are seen beyond the group's participants."""
    if paper.sensitivity or (paper.item_id and paper.item.sensitivity):
        return f"a restricted paper (number {paper.pk})"
    return paper.title


def meeting_declared(meeting) -> list[Declared]:
    if meeting.cancelled_on is not None:
        return []
    group = meeting.group
    partners = _partners(group)
    when = f"{group.name}, {meeting.title} on {meeting.date:%-d %B %Y}"
    declared = []
    notice = standard_for(group.compact, "notice")
    if notice is not None and (due := notice_due_on(meeting)) is not None:
        declared.append(
            Declared(
                key="notice",
                standard=notice,
                summary=f"{notice.title}: {when}",
                due_on=due,
                owed_by=group.convener,
                owed_to=partners,
                owed_to_label="the group's partners",
                met_on=meeting.notice_given_on,
                met_note=meeting.short_notice_reason,
            )
        )
    papers = standard_for(group.compact, "papers")
    if papers is not None and (due := papers_due_on(meeting)) is not None:
        for paper in meeting.papers.select_related("item"):
            declared.append(
                Declared(
                    key=f"paper-{paper.pk}",
                    standard=papers,
                    summary=f"{papers.title}: {paper_name(paper)} ({when})",
                    due_on=due,
                    owed_by=group.convener,
                    owed_to=partners,
                    owed_to_label="the group's partners",
                    met_on=None if paper.tabled else paper.sent_on,
                    met_note="Tabled at the meeting" if paper.tabled else "",
                )
            )
    return declared


def request_declared(request) -> list[Declared]:
    standard = standard_for(request.compact, "request")
    if standard is None:
        return []
    return [
        Declared(
            key="act",
            standard=standard,
            summary=f"Act on the request: {request.title}",
            due_on=request.action_due_on,
            owed_by=request.to_organisation,
            owed_to=(request.from_organisation,),
            met_on=request.done_on,
            met_note=request.done_note,
        )
    ]


def foi_due_on(compact: Compact, received_on: dt.date) -> dt.date:
    """The disclosure date: by the compact's own standard if it has one, else the law's
    20 working days (FOI_WORKING_DAYS), in the compact's working-day calendar."""
    standard = standard_for(compact, "foi")
    if standard is not None:
        due = standard.rule().due_date(received_on, standard.version.calendar)
        if due is not None:
            return due
    return compact.current_version.calendar.add_working_days(received_on, FOI_WORKING_DAYS)


def foi_declared(foi) -> list[Declared]:
    standard = standard_for(foi.compact, "foi")
    if standard is None:
        return []
    return [
        Declared(
            key="disclosure",
            standard=standard,
            summary=f"Freedom of information request about {foi.organisation.name}: decide "
            "what is disclosed, having invited the organisation's comment",
            due_on=foi.disclosure_due_on,
            owed_by=foi.public_body,
            owed_to=(foi.organisation,),
            owed_to_label="the person who asked",
            met_on=foi.decided_on,
        )
    ]
