"""Reads for the obligations pages. Each page's queries are fixed in number, whatever
the number of obligations: rows come with what they show (select_related), related
rows in one query each (prefetch), and counts from one aggregate query."""

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404

from localcompact.compacts.models import Compact, CompactVersion, Standard
from localcompact.organisations.models import Membership, Organisation

from .models import (
    OPEN_STATUSES,
    Activity,
    CalendarFeed,
    ComplianceStamp,
    Obligation,
    ObligationEvent,
    Status,
)
from .sources import DATED_RULES

PER_PAGE = 20
NEXT_MONTHS = 3
RECENT_DAYS = 60
FEED_PAST_DAYS = 90
FEED_FUTURE_DAYS = 365

ROW_RELATED = ("compact", "standard__source", "code", "owed_by")


# --- Dashboards -----------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    where: Q
    order: tuple[str, ...]
    empty: str


def dashboard_sections_defined(today: dt.date) -> list[Section]:
    soon_end = today + relativedelta(months=NEXT_MONTHS)
    recent_start = today - dt.timedelta(days=RECENT_DAYS)
    return [
        Section(
            "due_soon",
            "Due soon",
            Q(status=Status.DUE_SOON),
            ("due_on", "pk"),
            "Nothing is due soon.",
        ),
        Section(
            "missed",
            "Missed",
            Q(status=Status.MISSED),
            ("-due_on", "-pk"),
            "Nothing has been missed.",
        ),
        Section(
            "not_yet_due",
            "Not yet due: the next 3 months",
            Q(status=Status.NOT_YET_DUE, due_on__lte=soon_end),
            ("due_on", "pk"),
            "Nothing else falls due in the next 3 months.",
        ),
        Section(
            "recently_met",
            "Recently met: the last 60 days",
            Q(status__in=(Status.MET, Status.MET_LATE), met_on__gte=recent_start),
            ("-met_on", "-pk"),
            "Nothing was met in the last 60 days.",
        ),
        Section(
            "excused",
            "Excused",
            Q(status=Status.EXCUSED),
            ("-excused_on", "-pk"),
            "Nothing has been excused.",
        ),
    ]


@dataclass
class SectionPage:
    section: Section
    count: int
    number: int
    per_page: int
    rows: list[Obligation] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    @property
    def last_shown(self) -> int:
        return min(self.count, self.number * self.per_page)


def obligations_of(*, organisation: Organisation, direction: str) -> QuerySet[Obligation]:
    """What the organisation owes ("owing") or is owed ("owed")."""
    if direction == "owing":
        return Obligation.objects.filter(owed_by=organisation)
    # A subquery rather than a join: the database then starts from the organisation's
    # few rows of the through table, instead of walking a status index over every
    # obligation and probing the join for each (SQLite's choice without statistics).
    owed_to = Obligation.owed_to.through.objects.filter(organisation=organisation)
    return Obligation.objects.filter(pk__in=owed_to.values("obligation_id"))


@dataclass(frozen=True)
class FilterOptions:
    compacts: list[tuple[str, str]]
    codes: list[tuple[str, str, str]]  # (value, title, compact name)
    standards: list[tuple[str, str, str]]


def filter_options(base: QuerySet[Obligation]) -> FilterOptions:
    """The compacts, codes and standards the organisation's obligations fall under."""
    rows = (
        base.order_by()
        .values(
            "compact__slug",
            "compact__name",
            "code__slug",
            "code__title",
            "standard__ident",
            "standard__title",
        )
        .distinct()
    )
    compacts, codes, standards = {}, {}, {}
    for row in rows:
        slug, name = row["compact__slug"], row["compact__name"]
        compacts[slug] = name
        if row["code__slug"]:
            codes[f"{slug}:{row['code__slug']}"] = (row["code__title"], name)
        standards[f"{slug}:{row['standard__ident']}"] = (row["standard__title"], name)

    def ordered(items):
        return sorted(
            ((value, title, compact) for value, (title, compact) in items.items()),
            key=lambda item: (item[2], item[1]),
        )

    return FilterOptions(
        compacts=sorted(compacts.items(), key=lambda item: item[1]),
        codes=ordered(codes),
        standards=ordered(standards),
    )


def obligations_filtered(
    base: QuerySet[Obligation], *, compact: str = "", code: str = "", standard: str = ""
) -> QuerySet[Obligation]:
    """Narrowed by compact slug, `<compact>:<code>` and `<compact>:<standard>` values."""
    if compact:
        base = base.filter(compact__slug=compact)
    if code:
        compact_slug, _, code_slug = code.partition(":")
        base = base.filter(compact__slug=compact_slug, code__slug=code_slug)
    if standard:
        compact_slug, _, ident = standard.partition(":")
        base = base.filter(compact__slug=compact_slug, standard__ident=ident)
    return base


def dashboard_sections(
    *,
    base: QuerySet[Obligation],
    today: dt.date,
    pages: Mapping[str, int],
    per_page: int = PER_PAGE,
) -> list[SectionPage]:
    """Each section's count, and the rows of its current page.

    Queries: one for every count, one per section for its page, then one for who the
    rows are owed to and one per kind of source record.
    """
    sections = dashboard_sections_defined(today)
    counts = base.aggregate(**{s.key: Count("pk", filter=s.where) for s in sections})
    result, shown = [], []
    for section in sections:
        page = SectionPage(section, counts[section.key], 1, per_page)
        page.number = min(max(1, pages.get(section.key, 1)), page.pages)
        start = (page.number - 1) * per_page
        page.rows = list(
            base.filter(section.where)
            .select_related(*ROW_RELATED)
            .order_by(*section.order)[start : start + per_page]
        )
        shown += page.rows
        result.append(page)
    prefetch_related_objects(shown, "owed_to", "source")
    return result


def memberships_with_counts(user) -> QuerySet[Membership]:
    """The user's organisations, with how much each owes that is due soon or missed."""
    owed = "organisation__obligations_owed"
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .annotate(
            due_soon=Count(owed, filter=Q(**{f"{owed}__status": Status.DUE_SOON})),
            missed=Count(owed, filter=Q(**{f"{owed}__status": Status.MISSED})),
        )
        .order_by("organisation__name")
    )


# --- One obligation, one activity ------------------------------------------------------


def obligation_get(*, pk: int) -> Obligation:
    return get_object_or_404(
        Obligation.objects.select_related(
            "compact",
            "standard__source",
            "standard__version",
            "code",
            "owed_by",
            "excused_by",
        ).prefetch_related(
            "owed_to",
            Prefetch("events", queryset=ObligationEvent.objects.select_related("by")),
        ),
        pk=pk,
    )


def activity_get(*, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related(
            "standard__source", "standard__version__compact", "standard__code", "owed_by"
        ).prefetch_related("owed_to"),
        pk=pk,
    )


def obligations_of_source(source) -> QuerySet[Obligation]:
    return (
        Obligation.objects.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )
        .select_related(*ROW_RELATED)
        .prefetch_related("owed_to")
    )


def standards_recordable(*, compact: Compact | None = None) -> QuerySet[Standard]:
    """The current versions' standards an activity can be recorded under (dated rules)."""
    rows = Standard.objects.filter(
        version__compact__current_version=F("version"), rule_kind__in=DATED_RULES
    )
    if compact is not None:
        rows = rows.filter(version__compact=compact)
    return rows.select_related("version__compact", "code", "source").order_by(
        "version__compact__name", "position"
    )


def compacts_with_recordable_standards() -> list[Compact]:
    return list(
        Compact.objects.filter(
            current_version__standards__rule_kind__in=DATED_RULES,
        )
        .distinct()
        .select_related("current_version")
        .order_by("name")
    )


# --- Compliance ------------------------------------------------------------------------

FIGURES = (
    ("met", "Met on time"),
    ("met_late", "Met late"),
    ("missed", "Missed"),
    ("excused", "Excused"),
    ("open", "Still open"),
)


@dataclass
class FigureRow:
    ident: str
    title: str
    clause_ref: str
    document: str
    document_title: str
    code_slug: str
    code_title: str
    met: int = 0
    met_late: int = 0
    missed: int = 0
    excused: int = 0
    open: int = 0

    @property
    def total(self) -> int:
        return self.met + self.met_late + self.missed + self.excused + self.open

    @property
    def counts(self) -> list[int]:
        return [getattr(self, key) for key, _ in FIGURES]


@dataclass
class CodeGroup:
    slug: str
    title: str
    rows: list[FigureRow]


COMPLIANCE_CACHE_SECONDS = 24 * 60 * 60
COMPLIANCE_CACHE_PREFIX = "obligations:compliance:1"


def compliance_stamp(compact_id: int) -> str | None:
    """The compact's current ComplianceStamp: it changes, in the same transaction, with
    every write that can change its compliance figures (see the model). None when the
    compact has no row (no obligation yet, or a flushed table, until the next write)."""
    return (
        ComplianceStamp.objects.filter(compact_id=compact_id)
        .values_list("stamp", flat=True)
        .first()
    )


def compliance_counted(*, compact_id: int, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """The aggregate behind the figures, straight from the obligations: one query, one
    row per standard ident (over all the compact's versions) with a count per outcome,
    and the standard's and code's titles for standards no longer in the current version.
    Those no longer owed are left out."""
    return list(
        Obligation.objects.filter(compact_id=compact_id, due_on__range=(date_from, date_to))
        .exclude(status=Status.CANCELLED)
        .order_by()
        .values("standard__ident")
        .annotate(
            met=Count("pk", filter=Q(status=Status.MET)),
            met_late=Count("pk", filter=Q(status=Status.MET_LATE)),
            missed=Count("pk", filter=Q(status=Status.MISSED)),
            excused=Count("pk", filter=Q(status=Status.EXCUSED)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            title=Max("standard__title"),
            clause_ref=Max("standard__clause_ref"),
            document=Max("standard__source__file"),
            document_title=Max("standard__source__title"),
            code_slug=Max("code__slug"),
            code_title=Max("code__title"),
        )
    )


def compliance_counted_cached(
    *, compact_id: int, date_from: dt.date, date_to: dt.date, stamp: str | None
) -> list[dict]:
    """`compliance_counted`, from the shared cache when the obligations have not changed
    since it was counted.

    `stamp` is the compact's ComplianceStamp, read before counting (and before anything
    else the caller shows with the figures). A write commits with a new
    stamp, so figures cached under a stamp were counted from the rows as they were
    under that stamp, or later (a write that commits between the two reads is already
    counted, and its new stamp makes the next request count again). Nothing is ever
    adjusted in place, so nothing can drift; the standards' and codes' titles the rows
    carry belong to compact versions, which are never edited once loaded.
    """
    if stamp is None:
        return compliance_counted(compact_id=compact_id, date_from=date_from, date_to=date_to)
    key = (
        f"{COMPLIANCE_CACHE_PREFIX}:{compact_id}:{stamp}:"
        f"{date_from.isoformat()}:{date_to.isoformat()}"
    )
    rows = cache.get(key)
    if rows is None:
        rows = compliance_counted(compact_id=compact_id, date_from=date_from, date_to=date_to)
        cache.set(key, rows, COMPLIANCE_CACHE_SECONDS)
    return rows


def compliance_figures(
    *, version: CompactVersion, date_from: dt.date, date_to: dt.date
) -> list[CodeGroup]:
    """Per standard, how many obligations due in the period are met, late, missed,
    excused or still open (those no longer owed are left out).

    The counts come from one aggregate query over the compact's obligations (of any of
    its versions, grouped by the standard's ident), kept in the shared cache until an
    obligation changes (`compliance_counted_cached`: one query for the stamp on a hit);
    then one query for the current version's standards, whose titles, clauses and codes
    are shown; a standard since removed keeps its own.
    """
    return compliance_figures_stamped(
        version=version,
        date_from=date_from,
        date_to=date_to,
        stamp=compliance_stamp(version.compact_id),
    )


def compliance_figures_stamped(
    *, version: CompactVersion, date_from: dt.date, date_to: dt.date, stamp: str | None
) -> list[CodeGroup]:
    """`compliance_figures`, with the compact's ComplianceStamp read by the caller (the
    page reads it once, for these figures and for its rendered table)."""
    figures = compliance_counted_cached(
        compact_id=version.compact_id, date_from=date_from, date_to=date_to, stamp=stamp
    )
    current = {
        s.ident: s for s in version.standards.select_related("source", "code").order_by("position")
    }
    rows = []
    for item in figures:
        standard = current.get(item["standard__ident"])
        row = FigureRow(
            ident=item["standard__ident"],
            title=standard.title if standard else item["title"],
            clause_ref=standard.clause_ref if standard else item["clause_ref"],
            document=standard.source.file if standard else item["document"],
            document_title=standard.source.title if standard else item["document_title"],
            code_slug=(standard.code.slug if standard.code else "")
            if standard
            else (item["code_slug"] or ""),
            code_title=(standard.code.title if standard.code else "")
            if standard
            else (item["code_title"] or ""),
            **{key: item[key] for key, _ in FIGURES},
        )
        order = (
            (0, standard.code.position if standard.code else 10**6, standard.position)
            if standard
            else (1, 0, 0)
        )
        rows.append((order, row))
    rows.sort(key=lambda pair: (pair[0], pair[1].title))
    groups: list[CodeGroup] = []
    for _, row in rows:
        if not groups or groups[-1].slug != row.code_slug:
            groups.append(
                CodeGroup(row.code_slug, row.code_title or "Standards outside the codes", [])
            )
        groups[-1].rows.append(row)
    return groups


def compliance_missed(
    *, version: CompactVersion, date_from: dt.date, date_to: dt.date
) -> QuerySet[Obligation]:
    """Missed obligations due in the period, with who owed them (for compacts that
    publish names)."""
    return (
        Obligation.objects.filter(
            compact_id=version.compact_id,
            due_on__range=(date_from, date_to),
            status=Status.MISSED,
        )
        .select_related("owed_by", "standard__source")
        .order_by("due_on", "pk")
    )


def names_missed(version: CompactVersion) -> bool:
    return bool(version.definition.get("compliance", {}).get("name_missed", False))


# --- Calendar feeds --------------------------------------------------------------------


def calendar_feeds_of(organisation: Organisation) -> QuerySet[CalendarFeed]:
    return organisation.calendar_feeds.select_related("created_by").order_by("-created_at")


def calendar_obligations(*, organisation: Organisation, today: dt.date) -> QuerySet[Obligation]:
    """Owed by the organisation, and still open or due from 90 days ago to a year ahead."""
    window = (
        today - dt.timedelta(days=FEED_PAST_DAYS),
        today + dt.timedelta(days=FEED_FUTURE_DAYS),
    )
    return (
        Obligation.objects.filter(owed_by=organisation)
        .exclude(status=Status.CANCELLED)
        .filter(Q(status__in=OPEN_STATUSES) | Q(due_on__range=window))
        .select_related("standard__source", "compact")
        .order_by("due_on", "pk")
    )
