"""The page every app shows when someone may not do what they asked (403)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url

from . import logging as audit


def forbidden(
    request: HttpRequest, *, title: str, reason: str, section: str = "", way_on: tuple
) -> HttpResponse:
    """403, saying why and where to go instead (`way_on`: where, as `resolve_url` takes
    it (a URL name, a path or a model instance), and the link's text); the refusal goes
    to the audit log."""
    audit.log_permission_refused(request)
    where, text = way_on
    return render(
        request,
        "core/forbidden.html",
        {
            "page_title": title,
            "title": title,
            "reason": reason,
            "nav_section": section,
            "way_on_url": resolve_url(where),
            "way_on_text": text,
        },
        status=403,
    )
