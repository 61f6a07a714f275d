"""Absolute links, for feeds, calendars, e-mails and downloads that leave the site."""

from django.conf import settings


def absolute(path: str) -> str:
    """`path` on the site's configured address (SITE_URL). Never build such a link from
    the request: its Host header is whatever the sender chose, and a feed, calendar or
    e-mail keeps the link long after."""
    return settings.SITE_URL.rstrip("/") + path
