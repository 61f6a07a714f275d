"""The page every app shows when someone may not do what they asked (403)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from . import logging as audit


def forbidden(
    request: HttpRequest, *, title: str, reason: str, section: str, way_on: tuple[str, str]
) -> HttpResponse:
    """403, saying why and where to go instead (`way_on`: URL name, link text); the
    refusal goes to the audit log."""
    audit.log_permission_refused(request)
    url_name, text = way_on
    return render(
        request,
        "core/forbidden.html",
        {
            "page_title": title,
            "title": title,
            "reason": reason,
            "nav_section": section,
            "way_on_url": reverse(url_name),
            "way_on_text": text,
        },
        status=403,
    )
