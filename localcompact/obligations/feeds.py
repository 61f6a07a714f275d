"""Private iCalendar feeds of an organisation's obligations.

A feed's URL carries a random token (`secrets.token_urlsafe(32)`); only its SHA-256 is
stored, so the token is shown once, when the link is made, and never again. Revoking a
feed stops it at once: a revoked token answers exactly as an unknown one does.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from icalendar import Calendar, Event

from localcompact.core.logging import audit_log
from localcompact.organisations.models import Organisation

from .models import CalendarFeed, Obligation


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(
    *, organisation: Organisation, by: AbstractBaseUser
) -> tuple[CalendarFeed, str]:
    """A new feed and its token (the only time the token exists outside the URL)."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        organisation=organisation, token_hash=token_hash(token), created_by=by
    )
    audit_log("calendar_feed.created", feed=feed, organisation=organisation)
    return feed, token


def calendar_feed_revoke(*, feed: CalendarFeed, now: dt.datetime) -> bool:
    """Revoke the feed; False if it already was (the guard makes a second revoke a no-op)."""
    changed = CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
        revoked_at=now
    )
    feed.refresh_from_db(fields=["revoked_at"])
    if changed:
        audit_log("calendar_feed.revoked", feed=feed, organisation_id=feed.organisation_id)
    return changed == 1


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed the token opens, or None (unknown and revoked alike)."""
    return (
        CalendarFeed.objects.select_related("organisation")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )


def obligations_ical(
    *,
    organisation: Organisation,
    obligations: Iterable[Obligation],
    url_for: Callable[[Obligation], str],
    now: dt.datetime,
) -> bytes:
    """One all-day event per obligation, on its due date, with a stable UID."""
    calendar = Calendar()
    calendar.add("prodid", "-//LocalCompact//Obligations//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{organisation.name}: obligations")
    for obligation in obligations:
        standard = obligation.standard
        url = url_for(obligation)
        status = obligation.get_status_display()
        event = Event()
        event.add("uid", f"obligation-{obligation.pk}@localcompact")
        event.add("dtstamp", now)
        event.add("last-modified", obligation.updated_at)
        event.add("dtstart", obligation.due_on)
        event.add("dtend", obligation.due_on + dt.timedelta(days=1))
        event.add("summary", f"Due: {obligation.summary}")
        event.add(
            "description",
            "\n".join(
                [
                    f"Status: {status}",
                    f"Standard: {standard.title} ({obligation.compact.name})",
                    f"Source: {standard.source.title} ({standard.source.file}), "
                    f"clause {standard.clause_ref}",
                    url,
                ]
            ),
        )
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
