"""Open data: the index of every dataset, each dataset's fields, the downloads (CSV and
JSON, streamed), a compact's calendar and the Atom feeds. All public."""

from __future__ import annotations

import datetime as dt
import json

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from localcompact.compacts.models import Compact

from . import calendars, selectors
from .datasets import DATASETS, FEED_KINDS, FREQUENCY, LICENCE, PERSONAL_DATA, catalogue, entry_get
from .feeds import FEEDS
from .writers import csv_lines, json_chunks


def today() -> dt.date:
    """Today in the site's time zone; views read it once (tests replace it)."""
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(
        request,
        template,
        {
            "licence": LICENCE,
            "personal_data": PERSONAL_DATA,
            "frequency": FREQUENCY,
            "nav_section": "open-data",
            **context,
        },
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    compacts = selectors.compacts()
    return _page(
        request,
        "opendata/index.html",
        {
            "entries": catalogue(compacts),
            "compacts": compacts,
            "feed_kinds": list(FEED_KINDS.items()),
            "page_title": "Open data",
        },
    )


@require_safe
def fields(request: HttpRequest, dataset: str) -> HttpResponse:
    entry = entry_get(dataset, selectors.compacts())
    if entry is None:
        raise Http404("No such dataset")
    return _page(
        request,
        "opendata/fields.html",
        {"entry": entry, "page_title": f"Fields – {entry.title}"},
    )


class BadFilter(Exception):
    pass


def _compact_filter(request: HttpRequest) -> Compact | None:
    slug = request.GET.get("compact", "")
    if not slug:
        return None
    compact = selectors.compact_get(slug)
    if compact is None:
        raise BadFilter(
            f"There is no compact {slug[:80]!r}. Leave compact out for all compacts, or use "
            "the slug of one listed at /open-data/."
        )
    return compact


def _bad_request(message: str, fmt: str) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(
            json.dumps({"errors": {"compact": message}}),
            status=400,
            content_type="application/json",
        )
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


@require_safe
def download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    found = DATASETS.get(dataset)
    if found is None or fmt not in ("csv", "json"):
        raise Http404("No such download")
    try:
        compact = _compact_filter(request)
    except BadFilter as problem:
        return _bad_request(str(problem), fmt)
    records = found.records(compact)
    moment = now()
    name = "-".join([found.slug, *([compact.slug] if compact else []), moment.date().isoformat()])
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(found, records), content_type="text/csv; charset=utf-8"
        )
    else:
        response = StreamingHttpResponse(
            json_chunks(
                found, records, generated_at=moment, compact=compact.slug if compact else None
            ),
            content_type="application/json",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    compact = get_object_or_404(Compact.objects.only("pk", "slug", "name"), slug=slug)
    body = calendars.compact_calendar(compact, today=today(), now=now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{compact.slug}-calendar.ics"'
    return response


@require_safe
def feed(request: HttpRequest, kind: str) -> HttpResponse:
    feed_class = FEEDS.get(kind)
    if feed_class is None:
        raise Http404("No such feed")
    try:
        compact = _compact_filter(request)
    except BadFilter as problem:
        return _bad_request(str(problem), "text")
    return feed_class()(request, compact=compact)
