"""Reads for consultations. Every page's queries are fixed in number, whatever the size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from localcompact.obligations.models import Obligation
from localcompact.organisations.models import IncomeBand

from .models import Consultation, Response, ResponseKind, Status, Tag, Theme

PAGE_SIZE = 20


def consultations_filtered(
    *, q: str = "", status: str = "", compact: str = "", tag: str = ""
) -> QuerySet[Consultation]:
    rows = (
        Consultation.objects.select_related("lead", "compact")
        .only(
            "pk",
            "title",
            "summary",
            "status",
            "opens_on",
            "closes_on",
            "lead__name",
            "compact__name",
        )
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("pk", "name").order_by("kind", "name"))
        )
    )
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if status:
        rows = rows.filter(status=status)
    if compact:
        rows = rows.filter(compact__slug=compact)
    if tag:
        kind, _, slug = tag.partition(":")
        rows = rows.filter(tags__kind=kind, tags__slug=slug)
    return rows.order_by("-opens_on", "-pk")


@dataclass
class Page:
    rows: list
    number: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_of(rows: QuerySet, number: int, size: int = PAGE_SIZE) -> Page:
    total = rows.count()
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(list(rows[start : start + size]), number, pages, total)


def consultation_get(pk: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.select_related(
            "lead", "compact", "version", "created_by"
        ).prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("kind", "name")),
            "documents",
            Prefetch("joint_with", queryset=Consultation.objects.select_related("lead")),
        ),
        pk=pk,
    )


def obligations_of(source) -> list[Obligation]:
    return list(
        Obligation.objects.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )
        .select_related("standard__source", "compact")
        .order_by("due_on", "pk")
    )


def response_counts(consultation: Consultation) -> dict[str, int]:
    rows = (
        Response.objects.filter(consultation=consultation, state=Response.State.SUBMITTED)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {kind: 0 for kind in ResponseKind.values}
    counts.update({row["kind"]: row["n"] for row in rows})
    counts["total"] = sum(counts[k] for k in ResponseKind.values)
    return counts


def on_plan(*, today: dt.date, compact: str = "") -> QuerySet[Consultation]:
    rows = (
        Consultation.objects.on_plan()
        .filter(closes_on__gte=today)
        .select_related("lead", "compact")
        .order_by("opens_on", "pk")
    )
    if compact:
        rows = rows.filter(compact__slug=compact)
    return rows


FORWARD_PLAN_PAGE = 50


def week_of(consultation: Consultation, today: dt.date) -> dt.date:
    """The Monday of the week a consultation is listed under in the forward plan: the
    week it opens, or this week for one already open."""
    start = max(consultation.opens_on, today)
    return start - dt.timedelta(days=start.weekday())


@dataclass
class PlanPage:
    """One page of the forward plan: its consultations grouped by week. A week that
    runs over from the page before (or on to the next) is marked, and the neighbouring
    pages are named by their weeks."""

    weeks: list[tuple[dt.date, list[Consultation]]]
    number: int
    pages: int
    total: int
    continued: bool  # the first week began on the page before
    continues: bool  # the last week goes on to the next page
    previous_week: dt.date | None  # the last week on the page before
    next_week: dt.date | None  # the first week on the next page

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def plan_page(
    rows: QuerySet[Consultation], *, number: int, today: dt.date, size: int | None = None
) -> PlanPage:
    """At most `size` consultations (FORWARD_PLAN_PAGE), in two queries whatever the
    plan's size. A number past the end gives the last page and one below 1 the first (as
    the list's pages)."""
    size = size or FORWARD_PLAN_PAGE
    total = rows.count()
    pages = max(1, -(-total // size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    # One row either side of the page, to say which weeks the neighbouring pages show.
    fetched = list(rows[max(0, start - 1) : start + size + 1])
    before = fetched.pop(0) if start and fetched else None
    after = fetched.pop() if len(fetched) > size else None
    weeks: dict[dt.date, list[Consultation]] = {}
    for c in fetched:
        weeks.setdefault(week_of(c, today), []).append(c)
    grouped = sorted(weeks.items())
    previous_week = week_of(before, today) if before else None
    next_week = week_of(after, today) if after else None
    return PlanPage(
        weeks=grouped,
        number=number,
        pages=pages,
        total=total,
        continued=bool(grouped) and previous_week == grouped[0][0],
        continues=bool(grouped) and next_week == grouped[-1][0],
        previous_week=previous_week,
        next_week=next_week,
    )


def published_responses(consultation: Consultation) -> QuerySet[Response]:
    return Response.objects.filter(
        consultation=consultation, published_on__isnull=False
    ).select_related("organisation")


def responses_of(consultation: Consultation) -> QuerySet[Response]:
    return (
        Response.objects.filter(consultation=consultation, state=Response.State.SUBMITTED)
        .select_related("organisation")
        .prefetch_related("joint_organisations", "themes")
        .order_by("pk")
    )


@dataclass
class Analysis:
    by_band: list[tuple[str, int]]
    by_kind: dict[str, int]
    petitions: list[Response]
    petition_signatures: int
    themes: list[Theme]


def analysis_of(consultation: Consultation) -> Analysis:
    """Responses by organisation size band (Herefordshire 10.2.8: small and large
    organisations' views weigh alike), petitions by signatures (10.2.6), and themes."""
    sent = Response.objects.filter(consultation=consultation, state=Response.State.SUBMITTED)
    bands = dict(
        sent.filter(kind__in=[ResponseKind.ORGANISATION, ResponseKind.JOINT])
        .values("organisation__income_band")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("organisation__income_band", "n")
    )
    by_band = [(label, bands.get(value, 0)) for value, label in IncomeBand.choices]
    petitions = list(
        sent.filter(kind=ResponseKind.PETITION).order_by("-petition_signatures", "pk")[:50]
    )
    total_signatures = (
        sent.filter(kind=ResponseKind.PETITION).aggregate(n=Sum("petition_signatures"))["n"] or 0
    )
    themes = list(
        Theme.objects.filter(consultation=consultation)
        .annotate(n=Count("responses", filter=Q(responses__state=Response.State.SUBMITTED)))
        .order_by("-n", "name")
    )
    return Analysis(by_band, response_counts(consultation), petitions, total_signatures, themes)


def my_responses(user) -> QuerySet[Response]:
    return (
        Response.objects.filter(user=user)
        .exclude(kind=ResponseKind.ANONYMOUS)
        .select_related("consultation", "organisation")
        .order_by("-pk")
    )


def tags_of(kind: str) -> QuerySet[Tag]:
    return Tag.objects.filter(kind=kind).order_by("name")


STATUS_ORDER = [s.value for s in Status]
