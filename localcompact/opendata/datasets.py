"""The open datasets: what each one is, and every field it has.

A dataset's `fields` are the single definition of its columns: the CSV header and row
cells, the JSON records' keys, and the fields page are all made from them (each field
carries the function that reads its value), so the files and their documentation cannot
drift apart. `catalogue()` adds the downloads other apps already serve, each with its
own field descriptions or the open standard that defines them, so the index lists every
dataset the platform publishes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

from . import selectors

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
PERSONAL_DATA = (
    "Personal data are excluded: no respondent, member, signatory or officer is named, "
    "and nothing confidential is published. Organisations are named where their own "
    "pages on this site already name them."
)
FREQUENCY = "Generated on request from the live records: always up to date."


def site_url(path: str) -> str:
    """An absolute link on the site's configured address (SITE_URL), never on the host a
    request happened to use."""
    return settings.SITE_URL.rstrip("/") + path


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning: str
    example: str
    get: Callable[[Any], Any] = field(repr=False, compare=False, default=lambda record: None)


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: tuple[Field, ...]
    records: Callable[..., Iterable[Any]] = field(repr=False)
    filename: str = ""

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def values(self, record) -> list:
        return [f.get(record) for f in self.fields]


# Types, as the fields pages name them.
TEXT = "text"
INTEGER = "integer"
DATE = "date (YYYY-MM-DD)"
BOOLEAN = "boolean (true or false)"
URL = "URL"
LIST = "text list (joined with '; ')"
LINES = "text list (one item a line)"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _joined(items: list[str]) -> str:
    return "; ".join(items)


def _lines(items: list[str]) -> str:
    return "\n".join(items)


# --- Consultations --------------------------------------------------------------------


def _fed_back(record, value):
    return value if record.feedback_published else None


CONSULTATION_FIELDS = (
    Field(
        "id", INTEGER, "The consultation's number on this site", "42", lambda r: r.consultation.pk
    ),
    Field(
        "url",
        URL,
        "Its page on this site",
        "https://compact.example.org/consultations/42/",
        lambda r: site_url(r.consultation.get_absolute_url()),
    ),
    Field(
        "compact",
        TEXT,
        "The compact it runs under (its slug)",
        "leicester",
        lambda r: r.consultation.compact.slug,
    ),
    Field(
        "compact_name",
        TEXT,
        "The compact's name",
        "Leicester Compact",
        lambda r: r.consultation.compact.name,
    ),
    Field(
        "lead",
        TEXT,
        "The organisation that runs it",
        "Leicester City Council",
        lambda r: r.consultation.lead.name,
    ),
    Field("title", TEXT, "Its title", "Library opening hours", lambda r: r.consultation.title),
    Field(
        "summary",
        TEXT,
        "What it is about, in plain English",
        "We propose new opening hours for the libraries.",
        lambda r: r.consultation.summary,
    ),
    Field(
        "who_affected",
        TEXT,
        "Who it affects",
        "Library users and staff.",
        lambda r: r.consultation.who_affected,
    ),
    Field(
        "open_to_change",
        TEXT,
        "What the responses can change",
        "The hours on weekdays.",
        lambda r: r.consultation.open_to_change,
    ),
    Field(
        "level",
        TEXT,
        "The level of participation: informing, consulting or partnership",
        "consulting",
        lambda r: r.consultation.level,
    ),
    Field(
        "status",
        TEXT,
        "Where it stands: planned, open, closed, analysis, decided or "
        "feedback (feedback published)",
        "feedback",
        lambda r: r.consultation.status,
    ),
    Field(
        "tags",
        LIST,
        "Its topics, areas and audiences, each as kind:name",
        "topic:Libraries; area:North ward",
        lambda r: _joined(r.tags),
    ),
    Field(
        "announced_on",
        DATE,
        "When it went on the forward plan",
        "2026-01-12",
        lambda r: _date(r.consultation.announced_on),
    ),
    Field(
        "opens_on",
        DATE,
        "The first day responses are taken",
        "2026-02-02",
        lambda r: _date(r.consultation.opens_on),
    ),
    Field(
        "closes_on",
        DATE,
        "The last day responses are taken",
        "2026-04-27",
        lambda r: _date(r.consultation.closes_on),
    ),
    Field(
        "feedback_by",
        DATE,
        "When the lead body promised its feedback; empty if it gave no date",
        "2026-06-22",
        lambda r: _date(r.consultation.feedback_by),
    ),
    Field(
        "short_period_reason",
        TEXT,
        "Why it ran for less than the compact's minimum "
        "period, under the exception the compact allows; empty if it did not",
        "A statutory deadline set by government.",
        lambda r: r.consultation.short_period_reason,
    ),
    Field(
        "anonymous_allowed",
        BOOLEAN,
        "Whether anonymous responses are accepted",
        "true",
        lambda r: r.consultation.anonymous_allowed,
    ),
    Field(
        "decided_on",
        DATE,
        "When the decision was recorded; empty until then",
        "2026-05-18",
        lambda r: _date(r.consultation.decided_on),
    ),
    Field(
        "decision",
        TEXT,
        "What was decided; empty until then",
        "The libraries open until 7pm on Thursdays.",
        lambda r: r.consultation.decision if r.consultation.decided_on else None,
    ),
    Field(
        "reasons_for_decision",
        TEXT,
        "The reasons given; empty until feedback is published",
        "Most respondents asked for a late opening.",
        lambda r: _fed_back(r, r.consultation.reasons_for_decision),
    ),
    Field(
        "effect_of_consultation",
        TEXT,
        "How the responses changed the decision; empty until feedback is published",
        "The late opening moved from Tuesday to Thursday.",
        lambda r: _fed_back(r, r.consultation.effect_of_consultation),
    ),
    Field(
        "what_you_told_us",
        TEXT,
        "The lead body's summary of the responses; empty until feedback is published",
        "Most of you wanted later opening on one weekday.",
        lambda r: _fed_back(r, r.consultation.what_you_told_us),
    ),
    Field(
        "responses_received",
        INTEGER,
        "How many responses were sent (a count only: no "
        "response or respondent is published here); empty until feedback is published",
        "128",
        lambda r: _fed_back(r, r.consultation.responses_sent),
    ),
    Field(
        "feedback_published_on",
        DATE,
        "When the feedback was published; empty until then",
        "2026-06-15",
        lambda r: _fed_back(r, _date(r.consultation.feedback_published_on)),
    ),
)


# --- Meetings ---------------------------------------------------------------------------


def _meeting_url(record) -> str:
    m = record.meeting
    return site_url(reverse("governance:meeting", kwargs={"compact": m.compact.slug, "pk": m.pk}))


MEETING_FIELDS = (
    Field("id", INTEGER, "The meeting's number on this site", "7", lambda r: r.meeting.pk),
    Field(
        "url",
        URL,
        "Its page on this site",
        "https://compact.example.org/governance/leicester/meetings/7/",
        _meeting_url,
    ),
    Field("compact", TEXT, "The compact (its slug)", "leicester", lambda r: r.meeting.compact.slug),
    Field(
        "compact_name",
        TEXT,
        "The compact's name",
        "Leicester Compact",
        lambda r: r.meeting.compact.name,
    ),
    Field(
        "kind",
        TEXT,
        "annual (the compact's annual meeting) or body (a meeting of one of "
        "its bodies, such as the steering group)",
        "annual",
        lambda r: r.meeting.kind,
    ),
    Field("title", TEXT, "The meeting's title", "Annual meeting 2026", lambda r: r.meeting.title),
    Field("date", DATE, "The day it meets", "2026-06-10", lambda r: _date(r.meeting.on)),
    Field(
        "place",
        TEXT,
        "Where it meets; empty if not given",
        "Town Hall, Leicester",
        lambda r: r.meeting.place,
    ),
    Field(
        "invitations_sent_on",
        DATE,
        "When signatories were invited; empty if not yet",
        "2026-05-01",
        lambda r: _date(r.meeting.invitations_sent_on),
    ),
    Field(
        "agenda_published_on",
        DATE,
        "When its agenda was published; empty if not yet",
        "2026-05-27",
        lambda r: _date(r.meeting.agenda_published_on),
    ),
    Field(
        "agenda",
        LIST,
        "The published agenda's items, in order; empty until published",
        "Compliance with the standards; Action plan progress",
        lambda r: _joined(r.agenda),
    ),
    Field(
        "held", BOOLEAN, "Whether it has been recorded as held", "true", lambda r: r.meeting.held
    ),
    Field(
        "minutes_published_on",
        DATE,
        "When its minutes were published; empty if not yet",
        "2026-06-12",
        lambda r: _date(r.meeting.minutes_published_on),
    ),
    Field(
        "minutes",
        TEXT,
        "The published minutes; empty until published",
        "The meeting agreed the action plan.",
        lambda r: r.meeting.minutes if r.meeting.minutes_published_on else None,
    ),
    Field(
        "decisions",
        LINES,
        "The decisions recorded at it, one a line",
        "The action plan for 2026-27 is agreed.",
        lambda r: _lines(r.decisions),
    ),
)


# --- Compliance figures ----------------------------------------------------------------

COMPLIANCE_FIELDS = (
    Field("compact", TEXT, "The compact (its slug)", "leicester", lambda r: r.compact_slug),
    Field(
        "compact_name", TEXT, "The compact's name", "Leicester Compact", lambda r: r.compact_name
    ),
    Field(
        "year", INTEGER, "The calendar year the obligations were due in", "2026", lambda r: r.year
    ),
    Field(
        "code",
        TEXT,
        "The code of practice the standard belongs to (its slug); empty for "
        "standards outside the codes",
        "consultation",
        lambda r: r.code,
    ),
    Field(
        "standard",
        TEXT,
        "The standard's id in the compact's definition",
        "minimum-consultation-period",
        lambda r: r.standard_id,
    ),
    Field(
        "standard_title",
        TEXT,
        "What the standard asks for",
        "Consultations run for at least twelve weeks",
        lambda r: r.standard_title,
    ),
    Field(
        "clause_document",
        TEXT,
        "The compact document the standard comes from",
        "002_6d0c2b2a1f5e4c3d.txt",
        lambda r: r.clause_document,
    ),
    Field("clause", TEXT, "The clause of that document", "5.3", lambda r: r.clause),
    Field("met", INTEGER, "Obligations met on time", "14", lambda r: r.met),
    Field("met_late", INTEGER, "Obligations met after their due date", "2", lambda r: r.met_late),
    Field("missed", INTEGER, "Obligations missed", "1", lambda r: r.missed),
    Field(
        "excused",
        INTEGER,
        "Obligations excused, with a reason the compact allows",
        "1",
        lambda r: r.excused,
    ),
    Field(
        "open", INTEGER, "Obligations not yet due, or due and not yet met", "3", lambda r: r.open
    ),
    Field("total", INTEGER, "All of the above added up", "21", lambda r: r.total),
)


# --- Published findings ------------------------------------------------------------------

FINDING_FIELDS = (
    Field("reference", TEXT, "The case's reference", "LEI-2026-0003", lambda r: r.case.reference),
    Field(
        "url",
        URL,
        "The finding's page on this site",
        "https://compact.example.org/disagreements/findings/LEI-2026-0003/",
        lambda r: site_url(reverse("disputes:finding", args=[r.case.reference])),
    ),
    Field(
        "compact",
        TEXT,
        "The compact whose procedure was used (its slug)",
        "leicester",
        lambda r: r.case.compact.slug,
    ),
    Field(
        "compact_name",
        TEXT,
        "The compact's name",
        "Leicester Compact",
        lambda r: r.case.compact.name,
    ),
    Field(
        "organisations",
        LIST,
        "The organisations on either side",
        "Leicester City Council; Northfield Community Action",
        lambda r: _joined(r.organisations),
    ),
    Field(
        "published_on",
        DATE,
        "When the finding was published",
        "2026-05-04",
        lambda r: _date(r.case.published_on),
    ),
    Field(
        "finding",
        TEXT,
        "The finding, as the compact's procedure names it",
        "The compact was breached",
        lambda r: r.finding,
    ),
    Field(
        "statement",
        LINES,
        "The other records the procedure publishes with the finding "
        "(such as a brief statement of the disagreement), one a line as title: text",
        "Brief statement of what the disagreement was about: Whether the council "
        "consulted for long enough.",
        lambda r: _lines([f"{title}: {value}" for title, value in r.statement]),
    ),
)


DATASETS = {
    d.slug: d
    for d in (
        Dataset(
            slug="consultations",
            title="Consultations and their outcomes",
            description="Every consultation run on the platform under a compact: what it "
            "is about, who runs it, its dates and status, and, once published, the "
            "decision, the reasons for it, what respondents said in summary and how many "
            "responded. No response or respondent is included.",
            fields=CONSULTATION_FIELDS,
            records=selectors.consultation_records,
        ),
        Dataset(
            slug="meetings",
            title="Compact meetings",
            description="The compacts' annual meetings and their bodies' meetings (such "
            "as the steering group): date, place, the published agenda and minutes, and "
            "the decisions recorded. Partnership groups' own meetings are not included: "
            "their records are kept for the groups' participants.",
            fields=MEETING_FIELDS,
            records=selectors.meeting_records,
        ),
        Dataset(
            slug="compliance",
            title="Compliance with the compacts' standards",
            description="For every compact, year and standard, how many obligations were "
            "met on time, met late, missed, excused or are still open: the figures of the "
            "compliance pages, across all compacts and years in one file. Counts only; "
            "no organisation is named.",
            fields=COMPLIANCE_FIELDS,
            records=selectors.compliance_records,
        ),
        Dataset(
            slug="findings",
            title="Published findings on disagreements",
            description="The findings the compacts' disagreement procedures have "
            "published: the organisations involved, the finding and what the procedure "
            "publishes with it. The rest of a case stays confidential to those involved "
            "and is never included.",
            fields=FINDING_FIELDS,
            records=selectors.finding_records,
        ),
    )
}


# --- The downloads other apps serve ------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Entry:
    """One dataset on the index: ours (`dataset`) or another app's download."""

    slug: str
    title: str
    description: str
    formats: tuple[Link, ...]
    fields: tuple[Field, ...] = ()
    standard: Link | None = None  # an open standard that defines the fields
    per_compact: str = ""  # how to get one compact's part
    dataset: Dataset | None = None

    @property
    def fields_url(self) -> str:
        return reverse("opendata:fields", kwargs={"dataset": self.slug})


REGISTER_KINDS = {
    "name": (TEXT, "Northfield Community Action"),
    "url": (URL, "https://compact.example.org/organisations/northfield-community-action/"),
    "identifiers": (LIST, "GB-CHC-1234567; GB-COH-07654321"),
    "sector": (TEXT, "vcs"),
    "kind": (TEXT, "charity"),
    "unconstituted": (BOOLEAN, "false"),
    "bme_led": (BOOLEAN, "false"),
    "equality_and_diversity": (BOOLEAN, "true"),
    "receives_public_funding": (BOOLEAN, "true"),
    "area_served": (TEXT, "Leicester"),
    "website": (URL, "https://northfield.example.org"),
    "income_band": (TEXT, "100k-1m"),
    "compacts_signed": (LIST, "leicester:2025-06-01"),
    "withdrawn": (LIST, "herefordshire:2025-09-30"),
    "signatory_positions": (LIST, "leicester:Chief executive"),
    "signatures": ("list of objects (JSON only)", '[{"compact": "leicester", ...}]'),
}


def _register_fields() -> tuple[Field, ...]:
    """The register's fields, with their meanings as the organisations app states them
    next to its own download code (`DOWNLOAD_FIELDS`, `JSON_EXTRA_FIELDS`); the type and
    example of each are added here. A test checks every field there has them here; a
    field added there since is still listed, as text, until it does."""
    from localcompact.organisations.register import DOWNLOAD_FIELDS, JSON_EXTRA_FIELDS

    meanings = {**DOWNLOAD_FIELDS, **JSON_EXTRA_FIELDS}
    return tuple(
        Field(
            name,
            REGISTER_KINDS.get(name, (TEXT, ""))[0],
            meaning,
            REGISTER_KINDS.get(name, (TEXT, ""))[1],
        )
        for name, meaning in meanings.items()
    )


def _compliance_csv_fields() -> tuple[Field, ...]:
    """The per-compact compliance CSV's columns (obligations app, `CSV_HEADER`)."""
    rows = {
        "compact": (TEXT, "The compact (its slug)", "leicester"),
        "code": (TEXT, "The code of practice (its slug); empty outside the codes", "consultation"),
        "standard_id": (
            TEXT,
            "The standard's id in the compact's definition",
            "minimum-consultation-period",
        ),
        "standard_title": (
            TEXT,
            "What the standard asks for",
            "Consultations run for at least twelve weeks",
        ),
        "clause": (
            TEXT,
            "The compact document and clause the standard comes from",
            "002_6d0c2b2a1f5e4c3d.txt 5.3",
        ),
        "met": (INTEGER, "Obligations due in the period and met on time", "14"),
        "met_late": (INTEGER, "Met after their due date", "2"),
        "missed": (INTEGER, "Missed", "1"),
        "excused": (INTEGER, "Excused, with a reason the compact allows", "1"),
        "open": (INTEGER, "Not yet met (not yet due, or due soon)", "3"),
    }
    return tuple(Field(name, *values) for name, values in rows.items())


def _feed_fields(kind: str) -> tuple[Field, ...]:
    if kind == "atom":
        return (
            Field("title", TEXT, "The entry's title", "Library opening hours"),
            Field(
                "link",
                URL,
                "Its page on this site",
                "https://compact.example.org/consultations/42/",
            ),
            Field(
                "summary",
                TEXT,
                "What it is, in a sentence or two",
                "Testford Council, under the Leicester Compact. Open 2 February to 27 April 2026.",
            ),
            Field(
                "updated",
                "date and time (RFC 3339)",
                "When it was published or announced",
                "2026-01-12T00:00:00Z",
            ),
            Field("author", TEXT, "The organisation it comes from", "Testford Council"),
        )
    return (
        Field("SUMMARY", TEXT, "The event's title", "Consultation: Library opening hours"),
        Field("DTSTART", "date (iCalendar)", "The first day", "20260202"),
        Field(
            "DTEND", "date (iCalendar)", "The day after the last day (all-day events)", "20260428"
        ),
        Field("DESCRIPTION", TEXT, "What it is, with its link", "Open from 2 February..."),
        Field("URL", URL, "Its page on this site", "https://compact.example.org/consultations/42/"),
        Field("UID", TEXT, "A stable identifier for the event", "consultation-42@localcompact"),
    ) + (
        (
            Field(
                "CATEGORIES",
                TEXT,
                "What the event is: consultation, meeting or deadline",
                "deadline",
            ),
        )
        if kind == "compact-ics"
        else ()
    )


FEED_KINDS = {
    "consultations": "new consultations",
    "outcomes": "consultation outcomes",
    "findings": "published findings",
}


def catalogue(compacts: list) -> list[Entry]:
    """Every dataset the platform publishes, ours first, then other apps' downloads."""
    ours = [
        Entry(
            slug=d.slug,
            title=d.title,
            description=d.description,
            formats=(
                Link("CSV", reverse("opendata:download", kwargs={"dataset": d.slug, "fmt": "csv"})),
                Link(
                    "JSON", reverse("opendata:download", kwargs={"dataset": d.slug, "fmt": "json"})
                ),
            ),
            fields=d.fields,
            per_compact="Add ?compact= and a compact's slug (for example ?compact=leicester) "
            "for one compact's part.",
            dataset=d,
        )
        for d in DATASETS.values()
    ]
    first = compacts[0].slug if compacts else "leicester"
    theirs = [
        Entry(
            slug="register",
            title="The register of signatories",
            description="Every organisation on the register, the compacts whose pledge it "
            "has signed or withdrawn from, and its identifiers. Signatories' names are not "
            "published.",
            formats=(
                Link("CSV", reverse("organisations:register-csv")),
                Link("JSON", reverse("organisations:register-json")),
            ),
            fields=_register_fields(),
            per_compact="The register page's filters apply to the downloads (for example "
            "?compact=leicester).",
        ),
        Entry(
            slug="grants-360giving",
            title="Grants (360Giving Data Standard)",
            description="Grants awarded under the compacts, in the 360Giving Data "
            "Standard, with funders and recipients named by org-id identifiers.",
            formats=(
                Link("JSON", reverse("funding:data_360_json")),
                Link("CSV", reverse("funding:data_360_csv")),
            ),
            standard=Link("the 360Giving Data Standard", "https://standard.threesixtygiving.org/"),
            per_compact="Add ?compact= and a compact's slug for one compact's grants.",
        ),
        Entry(
            slug="contracts-ocds",
            title="Contracts (Open Contracting Data Standard)",
            description="Contracts and service agreements as OCDS 1.1 releases: planning, "
            "tender, award, contract and payments.",
            formats=(Link("JSON", reverse("funding:data_ocds")),),
            standard=Link(
                "the Open Contracting Data Standard 1.1",
                "https://standard.open-contracting.org/1.1/en/",
            ),
            per_compact="Add ?compact= and a compact's slug for one compact's contracts.",
        ),
        Entry(
            slug="compliance-by-compact",
            title="One compact's compliance figures for a period",
            description="The figures on a compact's compliance page, for the period chosen "
            "there, as CSV (from and to dates in the address). For every compact and year "
            "at once, use the compliance dataset above.",
            formats=(Link("CSV", reverse("obligations:compliance_csv", kwargs={"slug": first})),),
            fields=_compliance_csv_fields(),
            per_compact="One file a compact: see the list of compacts below; add "
            "?from=YYYY-MM-DD&to=YYYY-MM-DD for a period.",
        ),
        Entry(
            slug="notices",
            title="Informing notices (Atom feed and calendar)",
            description="The latest public informing notices: decisions public bodies "
            "have taken, and the dates by which action is needed.",
            formats=(
                Link("Atom", reverse("notices:feed_atom")),
                Link("iCalendar", reverse("notices:feed_ics")),
            ),
            fields=_feed_fields("atom"),
        ),
        Entry(
            slug="consultations-calendar",
            title="Consultations forward plan (calendar)",
            description="Planned and open consultations across all compacts, each from the "
            "day it opens to the day it closes.",
            formats=(Link("iCalendar", reverse("consultations:calendar")),),
            fields=_feed_fields("ics"),
        ),
    ]
    feeds = [
        Entry(
            slug="compact-calendars",
            title="A compact's calendar",
            description="One calendar a compact: its consultations (from opening to "
            "closing), its annual and steering meetings, and the deadlines of obligations "
            "whose records are public (consultations, meetings and reviews), from a year "
            "ago to two years ahead. Subscribe to it in any calendar program.",
            formats=(Link("iCalendar", reverse("opendata:calendar", kwargs={"slug": first})),),
            fields=_feed_fields("compact-ics"),
            per_compact="One calendar a compact: see the list of compacts below.",
        ),
        Entry(
            slug="feeds",
            title="News feeds: consultations, outcomes and findings",
            description="Atom feeds of the 50 latest new consultations, consultation "
            "outcomes (feedback published) and published findings on disagreements.",
            formats=tuple(
                Link(f"Atom: {label}", reverse("opendata:feed", kwargs={"kind": kind}))
                for kind, label in FEED_KINDS.items()
            ),
            fields=_feed_fields("atom"),
            per_compact="Add ?compact= and a compact's slug for one compact's entries.",
        ),
    ]
    return ours + feeds + theirs


def entry_get(slug: str, compacts: list) -> Entry | None:
    return next((e for e in catalogue(compacts) if e.slug == slug), None)
