"""A compact's public calendar (iCalendar): its consultations, meetings and the deadlines
of obligations whose records are public. Links are absolute on SITE_URL."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from icalendar import Calendar, Event

from localcompact.compacts.models import Compact
from localcompact.rulebook import long_date

from . import selectors
from .datasets import site_url

DOMAIN = "localcompact"


def _source_url(obligation, compact: Compact) -> str:
    model = obligation.source_type.model
    if model == "consultation":
        path = reverse("consultations:detail", kwargs={"pk": obligation.source_id})
    elif model == "meeting":
        path = reverse(
            "governance:meeting", kwargs={"compact": compact.slug, "pk": obligation.source_id}
        )
    else:
        path = reverse("governance:home", kwargs={"compact": compact.slug})
    return site_url(path)


def _event(
    uid: str,
    stamp: dt.datetime,
    start: dt.date,
    end: dt.date,
    summary: str,
    description: str,
    url: str,
    category: str,
    location: str = "",
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", f"{description}\n{url}")
    event.add("url", url)
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")
    if location:
        event.add("location", location)
    return event


def compact_calendar(compact: Compact, *, today: dt.date, now: dt.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//LocalCompact//Open data//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{compact.name}: consultations, meetings and deadlines")
    day = dt.timedelta(days=1)
    for c in selectors.calendar_consultations(compact, today):
        calendar.add_component(
            _event(
                f"opendata-consultation-{c.pk}",
                now,
                c.opens_on,
                c.closes_on + day,
                f"Consultation: {c.title} ({c.lead.name})",
                f"{c.get_status_display()}. Open from {long_date(c.opens_on)} to "
                f"{long_date(c.closes_on)} under the {compact.name}.",
                site_url(c.get_absolute_url()),
                "consultation",
            )
        )
    for m in selectors.calendar_meetings(compact, today):
        calendar.add_component(
            _event(
                f"opendata-meeting-{m.pk}",
                now,
                m.on,
                m.on + day,
                f"Meeting: {m.title}",
                f"{m.get_kind_display()} of the {compact.name}" + (" (held)." if m.held else "."),
                site_url(
                    reverse("governance:meeting", kwargs={"compact": compact.slug, "pk": m.pk})
                ),
                "meeting",
                location=m.place,
            )
        )
    for o in selectors.calendar_deadlines(compact, today):
        standard = o.standard
        calendar.add_component(
            _event(
                f"opendata-deadline-{o.pk}",
                now,
                o.due_on,
                o.due_on + day,
                f"Deadline: {o.summary}",
                f"Due on {long_date(o.due_on)}: {standard.title} ({standard.source.file}, "
                f"{standard.clause_ref}).",
                _source_url(o, compact),
                "deadline",
            )
        )
    return calendar.to_ical()
