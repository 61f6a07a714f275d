"""The public iCalendar feed of planned and open consultations (the forward plan)."""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event


def calendar_ics(request: HttpRequest, consultations) -> HttpResponse:
    """One event per consultation, from the day it opens to the day it closes (inclusive).

    Links are on SITE_URL, never on the request's Host header (which the sender of a
    request chooses, and which a calendar keeps)."""
    site = settings.SITE_URL.rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//LocalCompact//Consultations//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Consultations: forward plan")
    now = timezone.now()
    for c in consultations:
        url = site + c.get_absolute_url()
        event = Event()
        event.add("uid", f"consultation-{c.pk}@localcompact")
        event.add("dtstamp", now)
        event.add("dtstart", c.opens_on)
        event.add("dtend", c.closes_on + dt.timedelta(days=1))
        event.add("summary", f"Consultation: {c.title} ({c.lead.name})")
        event.add(
            "description",
            f"{c.get_status_display()}. Open from {c.opens_on:%-d %B %Y} to "
            f"{c.closes_on:%-d %B %Y} under the {c.compact.name}."
            + (
                f" Community groups can respond until {c.community_groups_close_on:%-d %B %Y}."
                if c.community_groups_close_on
                else ""
            )
            + f"\n{url}",
        )
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="consultations.ics"'
    return response
