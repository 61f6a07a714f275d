"""The annual report's figures, read from the platform's own records.

`report_figures(compact=..., year=..., today=...)` returns a plain dict (stored as JSON on
`AnnualReport.figures`) with one entry per section. Each section has headline figures,
each for the year and the year before with the change, and the data its charts and
tables are drawn from.

Where a figure is an obligation kept on time (a consultation's minimum period, feedback,
a notice, a payment...), it is read from the same per-standard counts as the public
compliance page (`obligations.selectors.compliance_figures`, called once for each year),
so the report and that page always agree. A standard counts towards a figure by what it
applies to and its rule kind (below), never by a compact's own numbers or names.

"Kept on time" is counted as the governance indicators count it
(`governance.selectors.outcome_indicators`): met on time out of those met on time, met
late or missed. Excused obligations (an exception the standard allows, used with its
reason) and those still open are shown beside it, not in the share.

Disagreements: only counts (`disputes.selectors.figures`) and the public records of
published findings; nothing else of a case is read.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, When
from django.urls import reverse
from django.utils import timezone

from localcompact.compacts.models import Compact, Standard
from localcompact.consultations.models import Consultation
from localcompact.consultations.models import Status as ConsultationStatus
from localcompact.disputes import selectors as disputes
from localcompact.disputes.models import Case, procedure_of
from localcompact.funding.models import Award, Payment
from localcompact.governance.models import Action, ActionUpdate, Meeting
from localcompact.governance.selectors import outcome_indicators
from localcompact.notices.models import Notice
from localcompact.notices.models import Status as NoticeStatus
from localcompact.obligations import selectors as obligations
from localcompact.obligations.models import Obligation, Status
from localcompact.organisations.models import Signature
from localcompact.rulebook import ExceptionKind, long_date
from localcompact.volunteering.models import Opportunity as VolunteeringOpportunity
from localcompact.volunteering.models import VolunteeringFigures

from . import disclosure
from .disclosure import THRESHOLD

# The stored figures' format: reports stored in an older one are generated again before
# they are shown (views._report_for), never shown as they are. 2: disagreement counts
# with disclosure control. 3: action plan actions counted as they stood at the year's end.
FORMAT = 3
STILL_OPEN = "Still open"  # disputes.selectors.figures' outcome for cases not closed
STATUS_KEYS = tuple(key for key, _ in obligations.FIGURES)  # met, met_late, missed, ...
EXCEPTIONS_LISTED = 50  # reasons listed in full per year; the rest are counted

# Which standards a section's table shows, by what they apply to.
SECTION_APPLIES_TO = {
    "consultations": ("consultation", "consultation-response"),
    "notices": ("informing-notice", "meeting", "meeting-calendar", "meeting-papers"),
    "funding": ("funding-decision", "payment", "funding-end", "service-wind-down", "monitoring"),
    "disagreements": ("disagreement", "complaint"),
    "governance": ("annual-meeting", "action-plan", "compact-review", "body-composition"),
    "volunteering": ("volunteering-arrangements", "volunteer-expense-claim"),
}
FEEDBACK_FIELDS = {"feedback-on-outcomes", "findings", "respondents-notified"}


def _notice_is_agreed(s: Standard) -> bool:
    return s.params.get("notice") == "agreed"


# A headline "kept on time" figure: the standards it sums, by what they apply to and rule.
KEPT_FIGURES: dict[str, tuple[str, Callable[[Standard], bool]]] = {
    "minimum-period": (
        "Consultations that ran for at least the minimum period",
        lambda s: s.applies_to == "consultation" and s.rule_kind == "minimum_period",
    ),
    "feedback": (
        "Consultations with feedback published on time",
        lambda s: (
            s.applies_to == "consultation"
            and (
                (
                    s.rule_kind == "respond_within"
                    and s.params.get("after") in ("closes", "decision")
                )
                or (
                    s.rule_kind == "required_record"
                    and bool(FEEDBACK_FIELDS & set(s.params.get("fields", [])))
                )
            )
        ),
    ),
    "informing-notices": (
        "Informing notices published on time",
        lambda s: s.applies_to == "informing-notice",
    ),
    "meeting-notices": (
        "Meetings with notice given on time",
        lambda s: s.applies_to == "meeting" and s.rule_kind == "notice_before_event",
    ),
    "funding-confirmed": (
        "Awards confirmed in time before the work started",
        lambda s: (
            s.applies_to == "funding-decision"
            and s.rule_kind == "notice_before_event"
            and not _notice_is_agreed(s)
        ),
    ),
    "decision-notice": (
        "Funding decisions notified by the agreed date",
        lambda s: (
            s.applies_to == "funding-decision"
            and s.rule_kind == "notice_before_event"
            and _notice_is_agreed(s)
        ),
    ),
    "paid-on-time": (
        "Payments made on time",
        lambda s: s.applies_to == "payment" and s.rule_kind == "respond_within",
    ),
    "paid-in-advance": (
        "Payments made in advance of the spending",
        lambda s: s.applies_to == "payment" and s.rule_kind == "notice_before_event",
    ),
    "end-notice": (
        "Notice of funding or services ending given in time",
        lambda s: s.applies_to in ("funding-end", "service-wind-down"),
    ),
}


# --- Small helpers ---------------------------------------------------------------------


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def change(this, previous):
    if this is None or previous is None:
        return None
    return round(this - previous, 1) if isinstance(this, float) else this - previous


def figure(
    key: str, label: str, this, previous, *, unit: str = "count", notes=("", ""), hidden=None
) -> dict:
    """One figure for both years. `hidden`: the disclosure markers (`disclosure.SMALL`...)
    of values not published (given as None, so the change is None too)."""
    result = {
        "key": key,
        "label": label,
        "unit": unit,
        "this": this,
        "previous": previous,
        "change": change(this, previous),
        "note_this": notes[0],
        "note_previous": notes[1],
    }
    if hidden is not None:
        result["hidden_this"], result["hidden_previous"] = hidden
    return result


def kept_counts(rows: Iterable[dict]) -> dict:
    total = {key: 0 for key in STATUS_KEYS}
    for row in rows:
        for key in STATUS_KEYS:
            total[key] += row[key]
    return total


def kept_share(counts: dict) -> int | None:
    return share(counts["met"], counts["met"] + counts["met_late"] + counts["missed"])


def kept_note(counts: dict) -> str:
    decided = counts["met"] + counts["met_late"] + counts["missed"]
    if not decided:
        return "none due" if not counts["excused"] + counts["open"] else "none decided yet"
    return f"{counts['met']} of {decided}"


def kept_figure(key: str, label: str, this: dict, previous: dict) -> dict:
    return figure(
        key,
        label,
        kept_share(this),
        kept_share(previous),
        unit="percent",
        notes=(kept_note(this), kept_note(previous)),
    )


# --- Obligations, by standard, from the compliance page's selector ------------------------


def _compliance(compact: Compact, year: int) -> tuple[list[dict], dict[str, dict]]:
    """The compliance page's groups for the year as plain data, and its rows by ident."""
    date_from, date_to = year_range(year)
    groups = obligations.compliance_figures(
        version=compact.current_version, date_from=date_from, date_to=date_to
    )
    plain, by_ident = [], {}
    for group in groups:
        rows = []
        for row in group.rows:
            item = {
                "ident": row.ident,
                "title": row.title,
                "clause": f"{row.document} {row.clause_ref}".strip(),
                "document_title": row.document_title,
                "code": row.code_slug,
                **{key: getattr(row, key) for key in STATUS_KEYS},
            }
            rows.append(item)
            by_ident[row.ident] = item
        plain.append({"slug": group.slug, "title": group.title, "rows": rows})
    return plain, by_ident


def _empty_row(standard: Standard) -> dict:
    return {
        "ident": standard.ident,
        "title": standard.title,
        "clause": f"{standard.source.file} {standard.clause_ref}",
        "document_title": standard.source.title,
        "code": standard.code.slug if standard.code else "",
        **{key: 0 for key in STATUS_KEYS},
    }


def _year_rows(standards, this: dict, previous: dict) -> list[dict]:
    """Each standard's counts for both years (zeros where none fell due)."""
    rows = []
    for s in standards:
        rows.append(
            {
                "ident": s.ident,
                "title": s.title,
                "clause": f"{s.source.file} {s.clause_ref}",
                "this": this.get(s.ident) or _empty_row(s),
                "previous": previous.get(s.ident) or _empty_row(s),
            }
        )
    return rows


def standards_chart(key: str, title: str, rows: list[dict], year: int) -> dict | None:
    """A stacked bar chart of a section's standards, this year above the year before."""
    if not rows:
        return None
    return {
        "id": f"chart-{key}",
        "kind": "stacked",
        "title": title,
        "desc": (
            f"For each standard, two bars: obligations due in {year} and in {year - 1}, "
            "split into met on time, met late, missed, excused and still open. The same "
            "figures are in the table after the chart."
        ),
        "groups": [
            {
                "title": row["title"],
                "rows": [
                    {"title": str(year), **{k: row["this"][k] for k in STATUS_KEYS}},
                    {"title": str(year - 1), **{k: row["previous"][k] for k in STATUS_KEYS}},
                ],
            }
            for row in rows
        ],
    }


def bars_chart(
    key: str, title: str, rows: list[tuple[str, int, int]], year: int, hidden=None
) -> dict:
    """A grouped bar chart: for each label, this year's bar and the year before's.
    `hidden`: for each row, the disclosure markers of its two values (if any)."""
    hidden = hidden or [("", "")] * len(rows)
    return {
        "id": f"chart-{key}",
        "kind": "bars",
        "title": title,
        "desc": (
            f"For each figure, a bar for {year} and one for {year - 1}. The same figures "
            "are in the table after the chart."
        ),
        "rows": [
            {"label": label, "this": a, "previous": b, "hidden_this": h, "hidden_previous": g}
            for (label, a, b), (h, g) in zip(rows, hidden, strict=True)
        ],
    }


# --- The sections ----------------------------------------------------------------------


def signatories_section(compact: Compact, year: int, today: dt.date) -> dict:
    ends = {y: min(year_range(y)[1], today) for y in (year, year - 1)}
    counts = Signature.objects.filter(compact=compact).aggregate(
        **{f"joined_{y}": Count("pk", filter=Q(signed_on__year=y)) for y in (year, year - 1)},
        **{f"withdrawn_{y}": Count("pk", filter=Q(withdrawn_on__year=y)) for y in (year, year - 1)},
        **{
            f"standing_{y}": Count(
                "pk",
                filter=Q(signed_on__lte=ends[y])
                & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=ends[y])),
            )
            for y in (year, year - 1)
        },
    )
    p = year - 1
    figures = [
        figure(
            "joined", "Organisations that signed", counts[f"joined_{year}"], counts[f"joined_{p}"]
        ),
        figure(
            "withdrawn",
            "Organisations that withdrew",
            counts[f"withdrawn_{year}"],
            counts[f"withdrawn_{p}"],
        ),
        figure(
            "standing",
            "Signatories at the end of the year",
            counts[f"standing_{year}"],
            counts[f"standing_{p}"],
            notes=(
                f"on {long_date(ends[year])}",
                f"on {long_date(ends[p])}",
            ),
        ),
    ]
    return {
        "key": "signatories",
        "title": "Signatories",
        "intro": (
            "Organisations that signed the compact, or withdrew from it, during the year, "
            "from the register of signatories."
        ),
        "figures": figures,
        "charts": [
            bars_chart(
                "signatories",
                "Organisations that signed and withdrew, year on year",
                [(f["label"], f["this"], f["previous"]) for f in figures[:2]],
                year,
            )
        ],
        "standards": [],
        "lists": [],
    }


def _section_standards(standards, section: str):
    applies = SECTION_APPLIES_TO[section]
    return [s for s in standards if s.applies_to in applies]


def _kept(key, standards, this, previous) -> dict | None:
    label, test = KEPT_FIGURES[key]
    matched = [s.ident for s in standards if test(s)]
    if not matched:
        return None
    return kept_figure(
        key,
        label,
        kept_counts(this[i] for i in matched if i in this),
        kept_counts(previous[i] for i in matched if i in previous),
    )


def _exceptions(compact: Compact, year: int, applies_to: tuple[str, ...]) -> dict:
    """Excused obligations due in the year under these standards: by kind, with reasons."""
    rows = list(
        Obligation.objects.filter(
            compact=compact,
            due_on__year=year,
            status=Status.EXCUSED,
            standard__applies_to__in=applies_to,
        )
        .order_by("due_on", "pk")
        .values_list("summary", "exception_kind", "excuse_reason", "excuse_agreed_by", "due_on")[
            : EXCEPTIONS_LISTED + 1
        ]
    )
    by_kind = dict(
        Obligation.objects.filter(
            compact=compact,
            due_on__year=year,
            status=Status.EXCUSED,
            standard__applies_to__in=applies_to,
        )
        .order_by()
        .values_list("exception_kind")
        .annotate(n=Count("pk"))
    )
    return {"rows": rows[:EXCEPTIONS_LISTED], "by_kind": by_kind}


def _kind_label(kind: str) -> str:
    try:
        return ExceptionKind(kind).label.capitalize()
    except ValueError:
        return kind.replace("_", " ").capitalize() or "Not stated"


def consultations_section(compact, year, standards, this, previous) -> dict:
    mine = _section_standards(standards, "consultations")
    counts = (
        Consultation.objects.filter(compact=compact)
        .exclude(status=ConsultationStatus.PLANNED)
        .aggregate(
            **{f"opened_{y}": Count("pk", filter=Q(opens_on__year=y)) for y in (year, year - 1)},
            **{
                f"consulting_{y}": Count("pk", filter=Q(opens_on__year=y, level="consulting"))
                for y in (year, year - 1)
            },
        )
    )
    figures = [
        figure(
            "opened",
            "Consultations that opened",
            counts[f"opened_{year}"],
            counts[f"opened_{year - 1}"],
        ),
        figure(
            "consulting",
            "Of which asking for views before a decision (the consulting level)",
            counts[f"consulting_{year}"],
            counts[f"consulting_{year - 1}"],
        ),
    ]
    figures += [
        f for f in (_kept(k, mine, this, previous) for k in ("minimum-period", "feedback")) if f
    ]
    applies = SECTION_APPLIES_TO["consultations"]
    exceptions = {y: _exceptions(compact, y, applies) for y in (year, year - 1)}
    kinds = sorted(set(exceptions[year]["by_kind"]) | set(exceptions[year - 1]["by_kind"]))
    figures.append(
        figure(
            "exceptions",
            "Exceptions used (a standard's allowed exception, with its reason)",
            sum(exceptions[year]["by_kind"].values()),
            sum(exceptions[year - 1]["by_kind"].values()),
        )
    )
    for kind in kinds:
        figures.append(
            figure(
                f"exceptions-{kind}",
                f"Exceptions: {_kind_label(kind).lower()}",
                exceptions[year]["by_kind"].get(kind, 0),
                exceptions[year - 1]["by_kind"].get(kind, 0),
            )
        )
    total = sum(exceptions[year]["by_kind"].values())
    items = [
        f"{summary} (due {long_date(due)}): {_kind_label(kind).lower()}: {reason}"
        + (f" Agreed by {agreed}." if agreed else "")
        for summary, kind, reason, agreed, due in exceptions[year]["rows"]
    ]
    rows = _year_rows(mine, this, previous)
    return {
        "key": "consultations",
        "title": "Consultations",
        "intro": (
            "Consultations that opened during the year, and how the compact's consultation "
            "standards were kept. The shares count obligations due in the year."
        ),
        "figures": figures,
        "charts": [
            c
            for c in [
                standards_chart(
                    "consultations", "Consultation standards kept, year on year", rows, year
                )
            ]
            if c
        ],
        "standards": rows,
        "lists": [
            {
                "title": f"Exceptions used in {year}, with their reasons",
                "items": items,
                "more": max(0, total - len(items)),
                "empty": "No exception was used.",
            }
        ],
    }


def notices_section(compact, year, standards, this, previous) -> dict:
    mine = _section_standards(standards, "notices")
    counts = (
        Notice.objects.filter(compact=compact)
        .exclude(status=NoticeStatus.DRAFT)
        .aggregate(
            **{
                f"published_{y}": Count("pk", filter=Q(published_on__year=y))
                for y in (year, year - 1)
            }
        )
    )
    meetings = Meeting.objects.filter(compact=compact, held=True).aggregate(
        **{f"held_{y}": Count("pk", filter=Q(on__year=y)) for y in (year, year - 1)}
    )
    figures = [
        figure(
            "published",
            "Informing notices published",
            counts[f"published_{year}"],
            counts[f"published_{year - 1}"],
        ),
        figure(
            "meetings-held",
            "Compact meetings held (the annual meeting and its bodies)",
            meetings[f"held_{year}"],
            meetings[f"held_{year - 1}"],
        ),
    ]
    figures += [
        f
        for f in (_kept(k, mine, this, previous) for k in ("informing-notices", "meeting-notices"))
        if f
    ]
    rows = _year_rows(mine, this, previous)
    return {
        "key": "notices",
        "title": "Informing notices and meeting notices",
        "intro": (
            "Decisions made known with informing notices, and notice given of meetings, "
            "against the compact's notice periods."
        ),
        "figures": figures,
        "charts": [
            c
            for c in [standards_chart("notices", "Notice standards kept, year on year", rows, year)]
            if c
        ],
        "standards": rows,
        "lists": [],
    }


def funding_section(compact, year, standards, this, previous) -> dict:
    mine = _section_standards(standards, "funding")
    awards = Award.objects.filter(version__compact=compact).aggregate(
        **{f"n_{y}": Count("pk", filter=Q(award_date__year=y)) for y in (year, year - 1)},
        **{f"sum_{y}": Sum("amount", filter=Q(award_date__year=y)) for y in (year, year - 1)},
    )
    payments = Payment.objects.filter(award__version__compact=compact).aggregate(
        **{f"paid_{y}": Count("pk", filter=Q(paid_on__year=y)) for y in (year, year - 1)}
    )
    figures = [
        figure("awards", "Awards made", awards[f"n_{year}"], awards[f"n_{year - 1}"]),
        figure(
            "awarded",
            "Amount awarded",
            float(awards[f"sum_{year}"] or 0),
            float(awards[f"sum_{year - 1}"] or 0),
            unit="money",
        ),
        figure("payments", "Payments made", payments[f"paid_{year}"], payments[f"paid_{year - 1}"]),
    ]
    figures += [
        f
        for f in (
            _kept(k, mine, this, previous)
            for k in (
                "funding-confirmed",
                "decision-notice",
                "paid-in-advance",
                "paid-on-time",
                "end-notice",
            )
        )
        if f
    ]
    rows = _year_rows(mine, this, previous)
    return {
        "key": "funding",
        "title": "Funding",
        "intro": (
            "Grants and contracts awarded during the year, and how the compact's funding "
            "standards were kept: confirming funding before work starts, paying on time "
            "and in advance, and giving notice."
        ),
        "figures": figures,
        "charts": [
            c
            for c in [
                standards_chart("funding", "Funding standards kept, year on year", rows, year)
            ]
            if c
        ],
        "standards": rows,
        "lists": [],
    }


def _disagreement_labels(compact, now, before) -> dict[str, list[str]]:
    """Every row label of each breakdown: all the procedure's stages, outcomes and
    findings (zeros included), so that which rows appear says nothing of the counts."""
    labels = {"by_stage": [], "by_outcome": [], "by_finding": []}
    version = compact.current_version
    if version is not None and "disagreement_procedure" in version.definition:
        procedure = procedure_of(version)
        labels["by_stage"] = list(dict.fromkeys(procedure.stage_titles.values()))
        labels["by_outcome"] = sorted(
            {st.title for st in procedure.states.values() if st.final} | {STILL_OPEN}
        )
        labels["by_finding"] = list(dict.fromkeys(procedure.findings.values()))
    for key, found in labels.items():
        for f in (now, before):
            for label, _ in getattr(f, key) if f is not None else []:
                if label not in found:
                    found.append(label)
    return labels


def _disagreement_cells(f, labels: dict[str, list[str]]):
    """One year's counts as named cells, with the sums a reader can use (see
    `disclosure`), the cells the report publishes and what else it gives away."""
    counts = {key: dict(getattr(f, key)) if f is not None else {} for key in labels}
    values = {
        "raised": f.raised if f else 0,
        "closed": f.closed if f else 0,
        "open": f.open if f else 0,
    }
    for key, prefix in (
        ("by_stage", "stage"),
        ("by_outcome", "outcome"),
        ("by_finding", "finding"),
    ):
        for label in labels[key]:
            values[f"{prefix}:{label}"] = counts[key].get(label, 0)
    values["findings-total"] = sum(counts["by_finding"].values())  # not published
    stages = tuple(f"stage:{label}" for label in labels["by_stage"])
    outcomes = tuple(f"outcome:{label}" for label in labels["by_outcome"])
    closed_outcomes = tuple(o for o in outcomes if o != f"outcome:{STILL_OPEN}")
    findings = tuple(f"finding:{label}" for label in labels["by_finding"])
    candidates = [
        ("raised", ("closed", "open")),
        ("raised", stages),
        ("raised", outcomes),
        ("open", (f"outcome:{STILL_OPEN}",) if f"outcome:{STILL_OPEN}" in values else ()),
        ("closed", closed_outcomes),
        ("findings-total", findings),
    ]
    # Only the sums that hold in these records (a reader may use any that does).
    equations = [
        (t, parts)
        for t, parts in candidates
        if parts and values[t] == sum(values[p] for p in parts)
    ]
    shown = [name for name in values if name != "findings-total"]
    # The times to close are given from THRESHOLD closed cases: that says so much.
    closed_bound = (THRESHOLD, math.inf) if values["closed"] >= THRESHOLD else (0, THRESHOLD - 1)
    return values, equations, shown, {"closed": closed_bound}


def disagreements_protected(f, labels):
    """One year's published cells: values, with None and a marker where hidden."""
    values, equations, shown, bounds = _disagreement_cells(f, labels)
    hidden = disclosure.protect(values, equations, total="raised", shown=shown, bounds=bounds)
    times_given = values["closed"] >= THRESHOLD
    return values, hidden, times_given


def disagreements_section(compact, year, standards, this, previous) -> dict:
    """Counts only, with small counts suppressed (`disclosure`), and the public records
    of findings published in the year."""
    mine = _section_standards(standards, "disagreements")
    now = disputes.figures(compact=compact, year=year)
    before = disputes.figures(compact=compact, year=year - 1)
    labels = _disagreement_labels(compact, now, before)
    a_values, a_hidden, a_times = disagreements_protected(now, labels)
    b_values, b_hidden, b_times = disagreements_protected(before, labels)

    def cell(name):
        return (
            None if name in a_hidden else a_values[name],
            None if name in b_hidden else b_values[name],
        )

    def count(key, label, name):
        return figure(
            key, label, *cell(name), hidden=(a_hidden.get(name, ""), b_hidden.get(name, ""))
        )

    def time(key, label, name):
        hide = (
            "" if a_times or not a_values["closed"] else disclosure.NOT_PUBLISHED,
            "" if b_times or not b_values["closed"] else disclosure.NOT_PUBLISHED,
        )
        return figure(
            key,
            label,
            getattr(now, name) if now and a_times else None,
            getattr(before, name) if before and b_times else None,
            unit="days",
            hidden=hide,
        )

    figures = [
        count("raised", "Disagreements raised", "raised"),
        count("closed", "Of which closed", "closed"),
        count("open", "Of which still open", "open"),
        time("median-days", "Median time to close, in working days", "median_working_days"),
        time("longest-days", "Longest time to close, in working days", "longest_working_days"),
    ]
    breakdowns = []
    for key, title, prefix in (
        ("by_stage", "By the furthest stage reached", "stage"),
        ("by_outcome", "By outcome", "outcome"),
        ("by_finding", "By finding", "finding"),
    ):
        rows = []
        for lb in labels[key]:
            name = f"{prefix}:{lb}"
            this_value, previous_value = cell(name)
            rows.append(
                {
                    "label": lb,
                    "this": this_value,
                    "previous": previous_value,
                    "hidden_this": a_hidden.get(name, ""),
                    "hidden_previous": b_hidden.get(name, ""),
                }
            )
            figures.append(count(f"{key.replace('_', '-')}-{lb}", f"{title}: {lb}", name))
        breakdowns.append({"key": key.replace("_", "-"), "title": title, "rows": rows})
    published = []
    cases = (
        Case.objects.published()
        .filter(compact=compact, published_on__year=year)
        .select_related("version")
        .order_by("published_on", "pk")
    )
    for case in cases:
        published.append(
            {
                "reference": case.reference,
                "published_on": case.published_on.isoformat(),
                "url": reverse("disputes:finding", kwargs={"reference": case.reference}),
                "records": [[title, text] for title, text in disputes.public_statement(case)],
            }
        )
    stage_rows = breakdowns[0]["rows"]
    rows = _year_rows(mine, this, previous)
    charts = []
    if stage_rows:
        charts.append(
            bars_chart(
                "disagreements",
                "Disagreements by the furthest stage reached, year on year",
                [(r["label"], r["this"], r["previous"]) for r in stage_rows],
                year,
                hidden=[(r["hidden_this"], r["hidden_previous"]) for r in stage_rows],
            )
        )
    return {
        "key": "disagreements",
        "title": "Disagreements",
        "intro": (
            "Disagreements raised under the compact's procedure during the year: how far "
            "they went, how they ended and how long they took. Cases are confidential: "
            "only counts are given, and the public records of findings once published."
        ),
        "figures": figures,
        "charts": charts,
        "breakdowns": breakdowns,
        # Said once, only when a count is hidden (a year with none hides nothing).
        "disclosure_notes": list(disclosure.NOTES)
        if a_hidden
        or b_hidden
        or any(f.get("hidden_this") or f.get("hidden_previous") for f in figures)
        else [],
        "published": published,
        "standards": rows,
        "lists": [],
    }


def actions_as_at(compact: Compact, year: int, end: dt.date):
    """The compact's agreed plans' actions due in `year`, each annotated with its status
    and done date as they stood at the end of `end` (`as_at_status`, `as_at_done_on`),
    in one query (a correlated subquery per column, not a query per action).

    Where the status comes from, first found:
    1. the action's progress log (`ActionUpdate`, append-only, the way the services
       change a status): its latest update dated (`on`) by `end`. The date is the one
       the people recording it gave, so progress recorded in January as done on 20
       December counts for December, and actions older than their history are right;
    2. the action's history (`Action.history`): its latest record made by the end of
       that day, for a change made some other way (the admin);
    3. neither by then: the action was created before its history was kept; it is
       counted as it stands now, if it had been created by then (an action added later
       with no dated progress by then is left out)."""
    at = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    update = ActionUpdate.objects.filter(action=OuterRef("pk"), on__lte=end).order_by(
        "-on", "-at", "-pk"
    )
    latest = Action.history.filter(id=OuterRef("pk"), history_date__lt=at).order_by(
        "-history_date", "-history_id"
    )
    return (
        Action.objects.filter(
            plan__compact=compact, plan__agreed_on__isnull=False, due_on__year=year
        )
        .annotate(
            update_status=Subquery(update.values("status")[:1]),
            update_on=Subquery(update.values("on")[:1]),
            as_at_record=Subquery(latest.values("history_id")[:1]),
            recorded_status=Subquery(latest.values("status")[:1]),
            recorded_done_on=Subquery(latest.values("done_on")[:1]),
        )
        .filter(
            Q(update_status__isnull=False) | Q(as_at_record__isnull=False) | Q(created_at__lt=at)
        )
        .annotate(
            as_at_status=models.Case(
                When(update_status__isnull=False, then=F("update_status")),
                When(as_at_record__isnull=False, then=F("recorded_status")),
                default=F("status"),
            ),
            as_at_done_on=models.Case(
                When(update_status=Action.Status.DONE, then=F("update_on")),
                When(update_status__isnull=False, then=None),
                When(as_at_record__isnull=False, then=F("recorded_done_on")),
                default=F("done_on"),
            ),
        )
    )


def governance_section(compact, year, standards, this, previous, today) -> dict:
    mine = _section_standards(standards, "governance")
    stats = {}
    done = Q(as_at_status=Action.Status.DONE)
    for y in (year, year - 1):
        end = min(year_range(y)[1], today)
        stats[y] = actions_as_at(compact, y, end).aggregate(
            due=Count("pk"),
            done=Count("pk", filter=done),
            done_on_time=Count("pk", filter=done & Q(as_at_done_on__lte=F("due_on"))),
            in_progress=Count("pk", filter=Q(as_at_status=Action.Status.IN_PROGRESS)),
            not_started=Count("pk", filter=Q(as_at_status=Action.Status.NOT_STARTED)),
            dropped=Count("pk", filter=Q(as_at_status=Action.Status.DROPPED)),
            overdue=Count(
                "pk",
                filter=Q(
                    as_at_status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
                    due_on__lt=end,
                ),
            ),
        )
    a, b = stats[year], stats[year - 1]
    figures = [
        figure("actions-due", "Action plan actions due in the year", a["due"], b["due"]),
        figure("actions-done", "Done", a["done"], b["done"]),
        figure(
            "actions-on-time",
            "Done by their due date",
            share(a["done_on_time"], a["due"]),
            share(b["done_on_time"], b["due"]),
            unit="percent",
            notes=(f"{a['done_on_time']} of {a['due']}", f"{b['done_on_time']} of {b['due']}"),
        ),
        figure("actions-in-progress", "In progress", a["in_progress"], b["in_progress"]),
        figure("actions-not-started", "Not started", a["not_started"], b["not_started"]),
        figure("actions-dropped", "Dropped", a["dropped"], b["dropped"]),
        figure("actions-overdue", "Past their due date and not done", a["overdue"], b["overdue"]),
    ]
    outcomes = []
    version = compact.current_version
    indicators = outcome_indicators(compact)
    for outcome in version.definition.get("outcomes", []):
        rows = []
        for indicator in indicators.get(outcome["id"], []):
            by_year = {item["year"]: item for item in indicator.by_year}
            now, before = by_year.get(year), by_year.get(year - 1)
            rows.append(
                {
                    "ident": indicator.ident,
                    "title": indicator.title,
                    "this": now["share"] if now else None,
                    "previous": before["share"] if before else None,
                    "change": change(
                        now["share"] if now else None, before["share"] if before else None
                    ),
                    "note_this": f"{now['kept']} of {now['kept'] + now['late'] + now['missed']}"
                    if now
                    else "none due",
                    "note_previous": (
                        f"{before['kept']} of {before['kept'] + before['late'] + before['missed']}"
                    )
                    if before
                    else "none due",
                }
            )
            figures.append(
                figure(
                    f"indicator-{outcome['id']}-{indicator.ident}",
                    f"Outcome indicator: {indicator.title}",
                    rows[-1]["this"],
                    rows[-1]["previous"],
                    unit="percent",
                    notes=(rows[-1]["note_this"], rows[-1]["note_previous"]),
                )
            )
        clause = outcome.get("clause") or {}
        outcomes.append(
            {
                "id": outcome["id"],
                "text": outcome.get("title") or outcome.get("text", ""),
                "clause": f"{clause.get('document', '')} {clause.get('ref', '')}".strip(),
                "indicators": rows,
            }
        )
    rows = _year_rows(mine, this, previous)
    return {
        "key": "governance",
        "title": "Action plan and outcomes",
        "intro": (
            "Progress on the actions of the compact's agreed action plans that fell due "
            "during the year, as it stood at the end of the year (or today, for the year "
            "under way), and the outcomes the compact aims for, each with the standards "
            "it is measured by."
        ),
        "figures": figures,
        "charts": [
            bars_chart(
                "actions",
                "Action plan actions due in the year, by where they stand",
                [
                    (f["label"], f["this"], f["previous"])
                    for f in figures[1:7]
                    if f["unit"] == "count"
                ],
                year,
            )
        ],
        "outcomes": outcomes,
        "standards": rows,
        "lists": [],
    }


def volunteering_section(compact, year, standards, this, previous, today) -> dict:
    mine = _section_standards(standards, "volunteering")
    values = {}
    for y in (year, year - 1):
        end = min(year_range(y)[1], today)
        signed = Signature.objects.filter(compact=compact, signed_on__lte=end).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end)
        )
        members = signed.values("organisation_id")
        values[y] = VolunteeringFigures.objects.filter(organisation__in=members, year=y).aggregate(
            organisations=Count("organisation", distinct=True),
            volunteers=Sum("volunteers"),
            hours=Sum("hours"),
            business=Sum("business_volunteers"),
        )
        values[y]["opportunities"] = VolunteeringOpportunity.objects.filter(
            organisation__in=members, created_at__year=y
        ).count()
    a, b = values[year], values[year - 1]
    figures = [
        figure(
            "reporting",
            "Signatories that reported volunteering figures",
            a["organisations"],
            b["organisations"],
        ),
        figure("volunteers", "Volunteers", a["volunteers"] or 0, b["volunteers"] or 0),
        figure("hours", "Hours given", a["hours"] or 0, b["hours"] or 0),
        figure(
            "business",
            "Volunteers from businesses (employer-supported)",
            a["business"] or 0,
            b["business"] or 0,
        ),
        figure(
            "opportunities",
            "Volunteering opportunities offered",
            a["opportunities"],
            b["opportunities"],
        ),
    ]
    rows = _year_rows(mine, this, previous)
    return {
        "key": "volunteering",
        "title": "Volunteering",
        "intro": (
            "What the compact's signatories recorded here about volunteering: the yearly "
            "figures each organisation gives, and opportunities offered."
        ),
        "figures": figures,
        "charts": [
            bars_chart(
                "volunteering",
                "Volunteers and opportunities, year on year",
                [(f["label"], f["this"], f["previous"]) for f in figures if f["key"] != "hours"],
                year,
            )
        ],
        "standards": rows,
        "lists": [],
    }


def compliance_section(compact, year, groups_this, groups_previous, standards) -> dict:
    """Every standard and code: the compliance page's figures, year on year."""
    previous_rows = {row["ident"]: row for g in groups_previous for row in g["rows"]}
    this_rows = {row["ident"]: row for g in groups_this for row in g["rows"]}
    codes: dict[str, dict] = {}
    order = []
    for g in groups_this + groups_previous:
        if g["slug"] not in codes:
            codes[g["slug"]] = {"slug": g["slug"], "title": g["title"], "this": [], "previous": []}
            order.append(g["slug"])
    for g in groups_this:
        codes[g["slug"]]["this"] += g["rows"]
    for g in groups_previous:
        codes[g["slug"]]["previous"] += g["rows"]
    by_code = []
    figures = []
    total_this = kept_counts(this_rows.values())
    total_previous = kept_counts(previous_rows.values())
    figures.append(
        kept_figure("all", "All standards: obligations kept on time", total_this, total_previous)
    )
    figures.append(
        figure(
            "all-due",
            "All standards: obligations due",
            sum(total_this.values()),
            sum(total_previous.values()),
        )
    )
    for key, label in obligations.FIGURES:
        figures.append(
            figure(
                f"all-{key}",
                f"All standards: {label.lower()}",
                total_this[key],
                total_previous[key],
            )
        )
    for slug in order:
        c = codes[slug]
        a, b = kept_counts(c["this"]), kept_counts(c["previous"])
        entry = {"slug": slug, "title": c["title"], "this": a, "previous": b}
        by_code.append(entry)
        f = kept_figure(f"code-{slug or 'none'}", f"Code: {c['title']}", a, b)
        figures.append(f)
        entry["figure"] = f
    by_standard = []
    for ident in list(this_rows) + [i for i in previous_rows if i not in this_rows]:
        a = this_rows.get(ident) or {**previous_rows[ident], **{k: 0 for k in STATUS_KEYS}}
        b = previous_rows.get(ident) or {**this_rows[ident], **{k: 0 for k in STATUS_KEYS}}
        f = kept_figure(f"standard-{ident}", f"Standard: {a['title']}", a, b)
        figures.append(f)
        by_standard.append(
            {
                "ident": ident,
                "title": a["title"],
                "clause": a["clause"],
                "this": a,
                "previous": b,
                "figure": f,
            }
        )
    chart = None
    if groups_this:
        chart = {
            "id": "chart-compliance",
            "kind": "stacked",
            "title": f"Obligations due in {year}, by code and standard",
            "desc": (
                f"For each standard, obligations due in {year}: met on time, met late, "
                "missed, excused and still open. The same figures are in the table after "
                "the chart, with the year before."
            ),
            "groups": [
                {
                    "title": g["title"],
                    "rows": [
                        {"title": r["title"], **{k: r[k] for k in STATUS_KEYS}} for r in g["rows"]
                    ],
                }
                for g in groups_this
            ],
        }
    return {
        "key": "compliance",
        "title": "Compliance by code and standard",
        "intro": (
            "Every obligation due in the year under the compact's standards, as the public "
            "compliance page counts them: kept on time is met on time out of those met on "
            "time, met late or missed."
        ),
        "figures": figures,
        "charts": [chart] if chart else [],
        "by_code": by_code,
        "by_standard": by_standard,
        "standards": [],
        "lists": [],
    }


# --- The whole report --------------------------------------------------------------------

SECTION_STEPS = 8


def report_figures(
    *, compact: Compact, year: int, today: dt.date, progress: Callable[[int], None] | None = None
) -> dict:
    """Every figure of the report for `compact` and `year`, with the year before.

    `progress(percent)` is called after each section (for the background task)."""

    def step(n):
        if progress is not None:
            progress(round(100 * n / SECTION_STEPS))

    version = compact.current_version
    standards = list(version.standards.select_related("source", "code").order_by("position"))
    groups_this, this = _compliance(compact, year)
    groups_previous, previous = _compliance(compact, year - 1)
    step(1)
    sections = [signatories_section(compact, year, today)]
    step(2)
    sections.append(consultations_section(compact, year, standards, this, previous))
    step(3)
    sections.append(notices_section(compact, year, standards, this, previous))
    step(4)
    sections.append(funding_section(compact, year, standards, this, previous))
    step(5)
    sections.append(disagreements_section(compact, year, standards, this, previous))
    step(6)
    sections.append(governance_section(compact, year, standards, this, previous, today))
    sections.append(volunteering_section(compact, year, standards, this, previous, today))
    step(7)
    sections.append(compliance_section(compact, year, groups_this, groups_previous, standards))
    step(8)
    return {
        "format": FORMAT,
        "compact": {"slug": compact.slug, "name": version.name},
        "year": year,
        "previous": year - 1,
        "as_of": today.isoformat(),
        "complete": today > year_range(year)[1],
        "sections": sections,
    }


def is_current(figures: dict) -> bool:
    """Whether stored figures are in this code's format. Older ones may publish what
    is no longer published (FORMAT 1: disagreement counts without disclosure control),
    so they are never shown: the report is generated again."""
    return bool(figures) and figures.get("format") == FORMAT


def figure_rows(figures: dict) -> list[tuple[str, str, object, object, object]]:
    """Every figure as (section, figure, this year, previous year, change): the CSV."""
    rows = []
    marked = False
    for section in figures.get("sections", []):
        for f in section["figures"]:
            this, previous = f["this"], f["previous"]
            if f.get("hidden_this"):
                this, marked = disclosure.CSV_TEXT[f["hidden_this"]], True
            if f.get("hidden_previous"):
                previous, marked = disclosure.CSV_TEXT[f["hidden_previous"]], True
            rows.append((section["title"], _label_with_unit(f), this, previous, f["change"]))
    if marked:  # say what the markers mean, at the end (the CSV has no other notes)
        rows += [("Notes", note, None, None, None) for note in disclosure.CSV_NOTES]
    return rows


def _label_with_unit(f: dict) -> str:
    suffix = {"percent": " (%)", "money": " (£)", "days": ""}.get(f["unit"], "")
    return f["label"] + suffix


# --- Which compacts and years ------------------------------------------------------------


def first_year(compact: Compact, today: dt.date) -> int:
    """The first year with anything recorded for the compact (signatures or obligations)."""
    firsts = [
        Signature.objects.filter(compact=compact)
        .order_by("signed_on")
        .values_list("signed_on", flat=True)[:1],
        Obligation.objects.filter(compact=compact)
        .order_by("due_on")
        .values_list("due_on", flat=True)[:1],
    ]
    years = [today.year]
    for query in firsts:
        years += [d.year for d in query]
    return min(years)


def years_of(compact: Compact, today: dt.date) -> list[int]:
    return list(range(today.year, first_year(compact, today) - 1, -1))


def compacts_with_reports():
    """The loaded compacts, with how many reports of each are ready."""
    from .models import ReportStatus

    return (
        Compact.objects.filter(current_version__isnull=False)
        .select_related("current_version")
        .annotate(
            ready=Count("annual_reports", filter=Q(annual_reports__status=ReportStatus.READY))
        )
        .order_by("name")
    )


def size_of(compact: Compact, year: int) -> int:
    """How many obligations the report reads: decides inline or background generation."""
    return Obligation.objects.filter(
        compact=compact, due_on__range=(year_range(year - 1)[0], year_range(year)[1])
    ).count()
