"""Reads for the partnership pages, each a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from icalendar import Calendar, Event

from localcompact.obligations.models import Obligation

from . import services
from .models import (
    Consent,
    Decision,
    Declaration,
    FoiRequest,
    Meeting,
    MeetingCalendar,
    PartnershipGroup,
    RequestToAct,
    WithheldReport,
)
from .sources import notice_due_on, standard_for


def meeting_rows(meetings: list[Meeting], day: dt.date) -> list[Meeting]:
    """The group's meetings with their notice status, for the group page."""
    for meeting in meetings:
        meeting.notice_due = notice_due_on(meeting)
        meeting.short = services.notice_is_short(meeting)
        meeting.past = meeting.date < day
    return meetings


def electronic_decisions(group: PartnershipGroup) -> list[Decision]:
    return list(
        group.decisions.filter(meeting__isnull=True)
        .prefetch_related(Prefetch("objections", queryset=_objections()))
        .order_by("-decided_on", "-pk")
    )


def _objections():
    from .models import Objection

    return Objection.objects.select_related("member__organisation")


def obligations_for(group: PartnershipGroup, calendars, meetings) -> list[Obligation]:
    """The obligations the group, its calendars and its meetings gave rise to."""
    types = ContentType.objects.get_for_models(PartnershipGroup, MeetingCalendar, Meeting)
    condition = Q(source_type=types[PartnershipGroup], source_id=group.pk)
    condition |= Q(source_type=types[Meeting], source_id__in=[m.pk for m in meetings])
    condition |= Q(source_type=types[MeetingCalendar], source_id__in=[c.pk for c in calendars])
    return list(
        Obligation.objects.filter(condition)
        .exclude(status="cancelled")
        .select_related("standard")
        .order_by("due_on", "pk")
    )


def meeting_page(meeting: Meeting, *, day: dt.date, sees_restricted: bool) -> dict:
    """Everything the meeting page shows, with restricted items masked for those who may
    not see them."""
    items = list(meeting.items.all())
    for item in items:
        item.hidden = item.restricted_on(day) and not sees_restricted
    by_pk = {item.pk: item for item in items}
    papers = list(meeting.papers.select_related("document"))
    for paper in papers:
        item = by_pk.get(paper.item_id)
        paper.hidden = (
            paper.restricted_on(day) or bool(item and item.hidden)
        ) and not sees_restricted
    attendance = list(meeting.attendance.select_related("member__organisation"))
    declarations = list(
        Declaration.objects.filter(item__meeting=meeting).select_related("member__organisation")
    )
    for declaration in declarations:
        declaration.item_row = by_pk[declaration.item_id]
        declaration.hidden = declaration.item_row.hidden
    decisions = list(
        meeting.decisions.prefetch_related(Prefetch("objections", queryset=_objections()))
    )
    for decision in decisions:
        item = by_pk.get(decision.item_id)
        decision.item_row = item
        decision.hidden = bool(item and item.hidden)
    notice_due = notice_due_on(meeting)
    obligations = list(
        Obligation.objects.filter(
            source_type=ContentType.objects.get_for_model(Meeting), source_id=meeting.pk
        )
        .select_related("standard")
        .order_by("key")
    )
    return {
        "items": items,
        "papers": papers,
        "tabled_count": sum(1 for p in papers if p.tabled),
        "attendance": attendance,
        "quorum": services.quorum_of(meeting, attendance),
        "declarations": declarations,
        "decisions": decisions,
        "notice_due": notice_due,
        "short_notice": services.notice_is_short(meeting),
        "notice_standard": standard_for(meeting.group.compact, "notice"),
        "obligations": obligations,
    }


def meetings_ical(*, group: PartnershipGroup, now: dt.datetime, base: str) -> bytes:
    """The group's published meeting dates (those in a published year's calendar, not
    cancelled), one event each with a stable UID."""
    calendar = Calendar()
    calendar.add("prodid", "-//LocalCompact//Partnership meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{group.name}: meetings")
    years = list(group.calendars.filter(published_on__isnull=False))
    meetings = group.meetings.filter(cancelled_on__isnull=True)
    url = base.rstrip("/") + group.get_absolute_url()
    for meeting in meetings:
        if not any(y.starts_on <= meeting.date <= y.ends_on for y in years):
            continue
        event = Event()
        event.add("uid", f"partnership-meeting-{meeting.pk}@localcompact")
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + dt.timedelta(hours=2))
        event.add("summary", f"{group.name}: {meeting.title}")
        if meeting.location:
            event.add("location", meeting.location)
        event.add("url", url)
        event.add("description", url)
        calendar.add_component(event)
    return calendar.to_ical()


def organisation_page(organisation) -> dict:
    """An organisation's partnership records: groups, requests, reports, consents, FOI."""
    groups = list(
        PartnershipGroup.objects.filter(
            Q(convener=organisation)
            | Q(members__organisation=organisation, members__left_on__isnull=True)
        )
        .distinct()
        .select_related("compact")
        .order_by("name")
    )
    requests = RequestToAct.objects.select_related("from_organisation", "to_organisation")
    return {
        "groups": groups,
        "requests_received": list(requests.filter(to_organisation=organisation)[:50]),
        "requests_sent": list(requests.filter(from_organisation=organisation)[:50]),
        "withheld": list(
            WithheldReport.objects.filter(reported_by=organisation).select_related("about")[:50]
        ),
        "consents_asked": list(
            Consent.objects.filter(holder=organisation).select_related("about")[:50]
        ),
        "consents_about": list(
            Consent.objects.filter(about=organisation).select_related("holder")[:50]
        ),
        "foi_received": list(
            FoiRequest.objects.filter(public_body=organisation).select_related("organisation")[:50]
        ),
        "foi_about": list(
            FoiRequest.objects.filter(organisation=organisation).select_related("public_body")[:50]
        ),
    }
