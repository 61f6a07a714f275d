"""Reads for the open data: each download is one main query streamed with `iterator()`,
plus at most a few side queries (tags, agenda items, decisions, parties) streamed in the
same order and merged in, so a download issues the same number of queries whatever its
size, and never holds every row in memory.

Only what is public on the site's own pages is read here:

- consultations are public in every status; their decision once recorded, and their
  feedback (what respondents said, the count of responses) once published. No response,
  respondent or reviewer is read: only a count of responses sent;
- governance meetings are public (governance/rules.py); their agenda once published, their
  minutes once published, their decisions. Partnership groups' meetings are not: their
  records are for the group's participants (partnerships/rules.py);
- a disagreement case only once the disputes app marks it public (`Case.is_public`), and
  then only the records its procedure marks public plus the parties' names (what the
  finding page shows); nothing of its steps, documents or title;
- compliance figures are counts (no organisation is named).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from localcompact.compacts.models import Compact, CompactVersion, Standard
from localcompact.consultations.models import Consultation, Response
from localcompact.consultations.models import Status as ConsultationStatus
from localcompact.disputes.models import Case, CaseParty, procedure_of
from localcompact.governance.models import AgendaItem, Decision, Meeting, Review
from localcompact.obligations.models import OPEN_STATUSES as OPEN
from localcompact.obligations.models import Obligation
from localcompact.obligations.models import Status as ObligationStatus

CHUNK = 500


def compacts() -> list[Compact]:
    return list(Compact.objects.only("pk", "slug", "name").order_by("name"))


def compact_get(slug: str) -> Compact | None:
    return Compact.objects.only("pk", "slug", "name").filter(slug=slug).first()


def merged(rows: Iterable, related: Iterable, *, row_key: Callable, related_key: Callable):
    """Pair each row with its related items; both streams sorted by the same key."""
    related = iter(related)
    pending = next(related, None)
    for row in rows:
        key = row_key(row)
        items = []
        while pending is not None and related_key(pending) < key:
            pending = next(related, None)
        while pending is not None and related_key(pending) == key:
            items.append(pending)
            pending = next(related, None)
        yield row, items


# --- Consultations --------------------------------------------------------------------

CONSULTATION_COLUMNS = (
    "pk",
    "title",
    "summary",
    "who_affected",
    "open_to_change",
    "level",
    "status",
    "announced_on",
    "opens_on",
    "closes_on",
    "feedback_by",
    "short_period_kind",
    "short_period_reason",
    "anonymous_allowed",
    "decided_on",
    "decision",
    "reasons_for_decision",
    "effect_of_consultation",
    "what_you_told_us",
    "feedback_published_on",
)


def consultations(compact: Compact | None = None) -> QuerySet[Consultation]:
    sent = (
        Response.objects.filter(consultation=OuterRef("pk"), state=Response.State.SUBMITTED)
        .order_by()
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Consultation.objects.select_related("compact", "lead")
        .only(
            *CONSULTATION_COLUMNS,
            "compact__slug",
            "compact__name",
            "lead__name",
            "lead__slug",
        )
        .annotate(responses_sent=Coalesce(Subquery(sent, output_field=IntegerField()), Value(0)))
        .order_by("pk")
    )
    if compact is not None:
        rows = rows.filter(compact=compact)
    return rows


@dataclass
class ConsultationRecord:
    consultation: Consultation
    tags: list[str]

    @property
    def feedback_published(self) -> bool:
        return self.consultation.status == ConsultationStatus.FEEDBACK


def consultation_records(compact: Compact | None = None) -> Iterator[ConsultationRecord]:
    rows = consultations(compact).iterator(chunk_size=CHUNK)
    through = Consultation.tags.through.objects.select_related("tag").order_by(
        "consultation_id", "tag__kind", "tag__name"
    )
    if compact is not None:
        through = through.filter(consultation__compact=compact)
    for row, tags in merged(
        rows,
        through.iterator(chunk_size=CHUNK),
        row_key=lambda c: c.pk,
        related_key=lambda t: t.consultation_id,
    ):
        yield ConsultationRecord(row, [f"{t.tag.kind}:{t.tag.name}" for t in tags])


# --- Governance meetings --------------------------------------------------------------


@dataclass
class MeetingRecord:
    meeting: Meeting
    agenda: list[str]
    decisions: list[str]


def meeting_records(compact: Compact | None = None) -> Iterator[MeetingRecord]:
    meetings = Meeting.objects.select_related("compact").order_by("pk")
    agenda = AgendaItem.objects.filter(meeting__agenda_published_on__isnull=False).order_by(
        "meeting_id", "position", "pk"
    )
    decisions = Decision.objects.only("meeting_id", "text").order_by("meeting_id", "at", "pk")
    if compact is not None:
        meetings = meetings.filter(compact=compact)
        agenda = agenda.filter(meeting__compact=compact)
        decisions = decisions.filter(meeting__compact=compact)
    with_agenda = merged(
        meetings.iterator(chunk_size=CHUNK),
        agenda.only("meeting_id", "title").iterator(chunk_size=CHUNK),
        row_key=lambda m: m.pk,
        related_key=lambda a: a.meeting_id,
    )
    for (meeting, items), decided in merged(
        with_agenda,
        decisions.iterator(chunk_size=CHUNK),
        row_key=lambda pair: pair[0].pk,
        related_key=lambda d: d.meeting_id,
    ):
        yield MeetingRecord(meeting, [i.title for i in items], [d.text for d in decided])


# --- Compliance figures ---------------------------------------------------------------


@dataclass
class ComplianceRecord:
    compact_slug: str
    compact_name: str
    year: int
    code: str
    standard_id: str
    standard_title: str
    clause_document: str
    clause: str
    met: int
    met_late: int
    missed: int
    excused: int
    open: int

    @property
    def total(self) -> int:
        return self.met + self.met_late + self.missed + self.excused + self.open


def compliance_records(compact: Compact | None = None) -> list[ComplianceRecord]:
    """Obligations counted by compact, year due and standard, by status (cancelled ones,
    no longer owed, are left out). Two queries: the counts, and the compacts' current
    standards, whose titles, clauses and codes are given (a standard since removed keeps
    the one its obligations were made under)."""
    counts = Obligation.objects.exclude(status=ObligationStatus.CANCELLED)
    current = Standard.objects.filter(
        version_id__in=Compact.objects.exclude(current_version=None).values("current_version")
    ).select_related("source", "code", "version")
    if compact is not None:
        counts = counts.filter(compact=compact)
        current = current.filter(version__compact=compact)
    figures = (
        counts.order_by()
        .values("compact_id", "standard__ident")
        .annotate(
            year=ExtractYear("due_on"),
            met=Count("pk", filter=Q(status=ObligationStatus.MET)),
            met_late=Count("pk", filter=Q(status=ObligationStatus.MET_LATE)),
            missed=Count("pk", filter=Q(status=ObligationStatus.MISSED)),
            excused=Count("pk", filter=Q(status=ObligationStatus.EXCUSED)),
            open=Count("pk", filter=Q(status__in=OPEN)),
            compact_slug=Max("compact__slug"),
            compact_name=Max("compact__name"),
            title=Max("standard__title"),
            clause_ref=Max("standard__clause_ref"),
            document=Max("standard__source__file"),
            code_slug=Max("code__slug"),
        )
        .values(
            "compact_id",
            "standard__ident",
            "year",
            "met",
            "met_late",
            "missed",
            "excused",
            "open",
            "compact_slug",
            "compact_name",
            "title",
            "clause_ref",
            "document",
            "code_slug",
        )
    )
    standards = {(s.version.compact_id, s.ident): s for s in current}
    rows = []
    for item in figures:
        standard = standards.get((item["compact_id"], item["standard__ident"]))
        rows.append(
            (
                (
                    item["compact_slug"],
                    item["year"],
                    (0, standard.code.position if standard.code else 10**6, standard.position)
                    if standard
                    else (1, 0, 0),
                    item["standard__ident"],
                ),
                ComplianceRecord(
                    compact_slug=item["compact_slug"],
                    compact_name=item["compact_name"],
                    year=item["year"],
                    code=(standard.code.slug if standard.code else "")
                    if standard
                    else (item["code_slug"] or ""),
                    standard_id=item["standard__ident"],
                    standard_title=standard.title if standard else item["title"],
                    clause_document=standard.source.file if standard else item["document"],
                    clause=standard.clause_ref if standard else item["clause_ref"],
                    met=item["met"],
                    met_late=item["met_late"],
                    missed=item["missed"],
                    excused=item["excused"],
                    open=item["open"],
                ),
            )
        )
    rows.sort(key=lambda pair: pair[0])
    return [record for _, record in rows]


# --- Published findings ---------------------------------------------------------------


@dataclass
class FindingRecord:
    case: Case
    organisations: list[str]
    finding: str
    statement: list[tuple[str, str]]


def _public_records(case: Case, version: CompactVersion) -> tuple[str, list[tuple[str, str]]]:
    """The finding's title and the other records the procedure marks public, in the
    procedure's order (as the disputes app's finding page shows them)."""
    from localcompact.disputes.selectors import shown

    procedure = procedure_of(version)
    finding, statement = "", []
    for move in procedure.moves.values():
        for record in move.records:
            if not record.public or record.id not in case.public_records:
                continue
            value = shown(record, case.public_records[record.id], procedure.findings)
            if record.kind == "finding":
                finding = value
            else:
                statement.append((record.title, value))
    return finding, statement


def finding_records(compact: Compact | None = None) -> Iterator[FindingRecord]:
    cases = (
        Case.objects.published()
        .select_related("compact")
        .only(
            "pk",
            "reference",
            "version_id",
            "published_on",
            "public_records",
            "compact__slug",
            "compact__name",
        )
        .order_by("pk")
    )
    parties = CaseParty.objects.filter(case__is_public=True).select_related("organisation")
    if compact is not None:
        cases = cases.filter(compact=compact)
        parties = parties.filter(case__compact=compact)
    versions = {
        v.pk: v for v in CompactVersion.objects.filter(pk__in=cases.values("version_id").distinct())
    }
    for case, sides in merged(
        cases.iterator(chunk_size=CHUNK),
        parties.only("case_id", "organisation__name")
        .order_by("case_id", "organisation__name")
        .iterator(chunk_size=CHUNK),
        row_key=lambda c: c.pk,
        related_key=lambda p: p.case_id,
    ):
        finding, statement = _public_records(case, versions[case.version_id])
        yield FindingRecord(case, [p.organisation.name for p in sides], finding, statement)


# --- A compact's calendar -------------------------------------------------------------

CALENDAR_PAST_DAYS = 365
CALENDAR_FUTURE_DAYS = 2 * 365


def calendar_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return (
        today - dt.timedelta(days=CALENDAR_PAST_DAYS),
        today + dt.timedelta(days=CALENDAR_FUTURE_DAYS),
    )


def calendar_consultations(compact: Compact, today: dt.date) -> QuerySet[Consultation]:
    start, end = calendar_window(today)
    return (
        Consultation.objects.filter(compact=compact, closes_on__gte=start, opens_on__lte=end)
        .select_related("lead")
        .only("pk", "title", "status", "opens_on", "closes_on", "lead__name")
        .order_by("opens_on", "pk")
    )


def calendar_meetings(compact: Compact, today: dt.date) -> QuerySet[Meeting]:
    start, end = calendar_window(today)
    return (
        Meeting.objects.filter(compact=compact, on__range=(start, end))
        .only("pk", "title", "on", "place", "kind", "held")
        .order_by("on", "pk")
    )


def public_sources() -> list[ContentType]:
    """The records whose obligations are public: each is public on its own page, with the
    obligations it yields (a consultation; a governance meeting or review). Obligations
    of other records (responses, awards, cases, partnership meetings...) are left out:
    their existence is not public."""
    return list(ContentType.objects.get_for_models(Consultation, Meeting, Review).values())


def calendar_deadlines(compact: Compact, today: dt.date) -> QuerySet[Obligation]:
    start, end = calendar_window(today)
    return (
        Obligation.objects.filter(
            compact=compact, due_on__range=(start, end), source_type__in=public_sources()
        )
        .exclude(status=ObligationStatus.CANCELLED)
        .select_related("standard__source", "source_type")
        .only(
            "pk",
            "summary",
            "due_on",
            "source_type",
            "source_id",
            "standard__title",
            "standard__clause_ref",
            "standard__source__file",
            "source_type__app_label",
            "source_type__model",
        )
        .order_by("due_on", "pk")
    )


# --- Feeds -----------------------------------------------------------------------------

FEED_SIZE = 50


def feed_consultations(compact: Compact | None) -> QuerySet[Consultation]:
    rows = Consultation.objects.select_related("compact", "lead").order_by("-announced_on", "-pk")
    if compact is not None:
        rows = rows.filter(compact=compact)
    return rows[:FEED_SIZE]


def feed_outcomes(compact: Compact | None) -> QuerySet[Consultation]:
    rows = (
        Consultation.objects.filter(
            status=ConsultationStatus.FEEDBACK, feedback_published_on__isnull=False
        )
        .select_related("compact", "lead")
        .order_by("-feedback_published_on", "-pk")
    )
    if compact is not None:
        rows = rows.filter(compact=compact)
    return rows[:FEED_SIZE]


def feed_findings(compact: Compact | None) -> list[FindingRecord]:
    """The latest published findings: their ids first, then the records of those only."""
    cases = Case.objects.published().order_by("-published_on", "-pk")
    if compact is not None:
        cases = cases.filter(compact=compact)
    ids = list(cases.values_list("pk", flat=True)[:FEED_SIZE])
    order = {pk: n for n, pk in enumerate(ids)}
    records = [r for r in _findings_among(ids)]
    return sorted(records, key=lambda r: order[r.case.pk])


def _findings_among(ids: list[int]) -> Iterator[FindingRecord]:
    cases = Case.objects.published().filter(pk__in=ids).select_related("compact").order_by("pk")
    parties = (
        CaseParty.objects.filter(case_id__in=ids)
        .select_related("organisation")
        .order_by("case_id", "organisation__name")
    )
    versions = {v.pk: v for v in CompactVersion.objects.filter(cases__pk__in=ids).distinct()}
    for case, sides in merged(
        list(cases), list(parties), row_key=lambda c: c.pk, related_key=lambda p: p.case_id
    ):
        finding, statement = _public_records(case, versions[case.version_id])
        yield FindingRecord(case, [p.organisation.name for p in sides], finding, statement)
