"""What the obligations views share: the clock, the refusal page, page numbers."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from localcompact.core import refusals


def today() -> dt.date:
    """Today in the site's time zone; views read it once (tests replace it)."""
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


def forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    """403, saying why and what to do about it; the refusal goes to the audit log."""
    return refusals.forbidden(
        request,
        title=title,
        reason=reason,
        section="obligations",
        way_on=("obligations:dashboard", "See your organisations' obligations"),
    )


def page_number(request: HttpRequest, name: str) -> int:
    try:
        return max(1, int(request.GET.get(name, "1")))
    except ValueError:
        return 1


def with_query(request: HttpRequest, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = str(value)
    return "?" + query.urlencode()
