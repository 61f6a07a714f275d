"""Formats and venue access, recorded on consultations and on the compact's meetings.

The formats are the volunteering app's (`Format`, also used by its requests for another
format or language), so a request and what was offered speak of the same things. The
venue features are the ones people most often need to know before they travel.
Compacts asking for this: 000_fbfad6764e4f2d7a.txt (Inclusive city code: accessible
information and venues), 002_41c5fa4d4a1baeb0.txt (Consultation and engagement code, key
principles 3 and 4: varied formats and languages, accessible methods), 003 (Herefordshire
10.2.2: ways to respond).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import models
from django.urls import reverse

from localcompact.volunteering.models import Format

# What a consultation or meeting can offer: every format but the catch-alls that only a
# request can name ("access to a venue" is the venue's own record, "something else").
OFFERED_FORMATS = [(value, label) for value, label in Format.choices if value not in ("venue",)]


class VenueAccess(models.TextChoices):
    STEP_FREE = "step_free", "Step-free access"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    ACCESSIBLE_TOILET = "accessible_toilet", "Accessible toilet"
    QUIET_ROOM = "quiet_room", "Quiet room"
    BSL_ON_REQUEST = "bsl_on_request", "British Sign Language interpreter on request"


def format_labels(values) -> list[str]:
    labels = dict(Format.choices)
    return [labels[v] for v in values if v in labels]


def venue_labels(values) -> list[str]:
    labels = dict(VenueAccess.choices)
    return [labels[v] for v in values if v in labels]


def clean_choices(values, allowed) -> list[str]:
    """The known values among `values`, once each, in the order of `allowed`."""
    chosen = set(values or ())
    return [value for value, _ in allowed if value in chosen]


def format_request_url(*, organisation=None, compact=None, subject: str, path: str) -> str:
    """The volunteering app's page for asking `organisation` (or, where none is named,
    `compact`'s support team) for another format or language, with what it is about
    filled in (it keeps only links within the site)."""
    query = urlencode({"subject": subject[:300], "from": path})
    if organisation is None:
        page = reverse("volunteering:format_request_new_compact", args=[compact.slug])
    else:
        page = reverse("volunteering:format_request_new", args=[organisation.slug])
    return f"{page}?{query}"
