"""Disclosure control of the report's disagreement counts: no small count can be worked
out from what is published, the page and the CSV say "fewer than 5", and reports stored
before it are never shown."""

import csv
import datetime as dt
import importlib
import io
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from localcompact.reports import disclosure
from localcompact.reports import selectors as report_selectors
from localcompact.reports.models import AnnualReport, ReportStatus
from localcompact.reports.pdf import document_text, report_pdf_document
from localcompact.reports.selectors import THRESHOLD, disagreements_protected

from .conftest import YEAR

STAGES = ["Informal", "Mediation", "Panel"]
CLOSED = ["Agreed", "Withdrawn"]
FINDINGS = ["Upheld", "Not upheld"]
LABELS = {
    "by_stage": STAGES,
    "by_outcome": [*CLOSED, "Still open"],
    "by_finding": FINDINGS,
}


def year_figures(stages, closed, still_open, findings):
    return SimpleNamespace(
        raised=sum(stages),
        closed=sum(closed),
        open=still_open,
        by_stage=[(t, n) for t, n in zip(STAGES, stages, strict=True) if n],
        by_outcome=[
            (t, n) for t, n in zip([*CLOSED, "Still open"], [*closed, still_open], strict=True) if n
        ],
        by_finding=[(t, n) for t, n in zip(FINDINGS, findings, strict=True) if n],
        median_working_days=10 if sum(closed) else None,
        longest_working_days=20 if sum(closed) else None,
    )


@st.composite
def cases(draw):
    """A year's counts that add up as the records do."""
    closed = [draw(st.integers(0, 7)) for _ in CLOSED]
    still_open = draw(st.integers(0, 7))
    raised = sum(closed) + still_open
    a = draw(st.integers(0, raised))
    b = draw(st.integers(a, raised))
    stages = [a, b - a, raised - b]
    with_finding = draw(st.integers(0, sum(closed)))
    first = draw(st.integers(0, with_finding))
    return stages, closed, still_open, [first, with_finding - first]


def fits(published, name, value):
    shown = published[name]
    if isinstance(shown, int):
        return value == shown
    if shown == disclosure.SMALL:
        return 1 <= value < THRESHOLD
    if shown == disclosure.WITHHELD:
        return value >= THRESHOLD
    return True


def compositions(total, parts):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in compositions(total - first, parts - 1):
            yield (first, *rest)


def what_a_reader_can_tell(published, findings_total, times_given):
    """Every value each cell can take, given the published cells and the sums: raised =
    closed + open, stages and outcomes add up to raised, "still open" is open, closed
    outcomes add up to closed, findings add up to their total (assumed known: cautious),
    and the times to close given only from THRESHOLD closed cases. By enumeration."""
    seen = defaultdict(set)
    raised_values = (
        [published["raised"]] if isinstance(published["raised"], int) else range(1, THRESHOLD)
    )
    for raised in raised_values:
        for closed in range(raised + 1):
            still_open = raised - closed
            if not (fits(published, "closed", closed) and fits(published, "open", still_open)):
                continue
            if times_given != (closed >= THRESHOLD):
                continue
            groups = [
                (
                    [f"stage:{t}" for t in STAGES],
                    [c for c in compositions(raised, len(STAGES))],
                ),
                (
                    [f"outcome:{t}" for t in [*CLOSED, "Still open"]],
                    [(*c, still_open) for c in compositions(closed, len(CLOSED))],
                ),
                (
                    [f"finding:{t}" for t in FINDINGS],
                    list(compositions(findings_total, len(FINDINGS))),
                ),
            ]
            solutions = [
                (names, [v for v in values if all(map(fits, [published] * len(names), names, v))])
                for names, values in groups
            ]
            if not all(found for _, found in solutions):
                continue
            seen["raised"].add(raised)
            seen["closed"].add(closed)
            seen["open"].add(still_open)
            for names, found in solutions:
                for values in found:
                    for name, value in zip(names, values, strict=True):
                        seen[name].add(value)
    return seen


@settings(max_examples=300, deadline=None)
@given(cases())
def test_no_suppressed_count_can_be_worked_out_from_the_published_ones(counts):
    f = year_figures(*counts)
    values, hidden, times_given = disagreements_protected(f, LABELS)
    published = {name: hidden.get(name, value) for name, value in values.items()}
    seen = what_a_reader_can_tell(published, values["findings-total"], times_given)
    for name, value in values.items():
        if name == "findings-total":
            continue
        assert value in seen[name], (name, published)  # the reader's model is right
        if name in hidden and 0 < value < THRESHOLD:
            assert len(seen[name]) > 1, (name, value, published)
        if name not in hidden:
            assert not 0 < value < THRESHOLD
    assert times_given == (f.closed >= THRESHOLD)


def test_a_small_count_beside_a_total_hides_the_next_smallest_too():
    f = year_figures([2, 9, 9], [6, 7], 7, [4, 2])
    values, hidden, _ = disagreements_protected(f, LABELS)
    assert hidden["stage:Informal"] == disclosure.SMALL
    assert hidden["stage:Mediation"] == disclosure.WITHHELD  # 9 - the next smallest
    assert "stage:Panel" not in hidden
    assert "raised" not in hidden and "closed" not in hidden


def small_disagreements(compact, monkeypatch):
    """Leicester's disagreements: 7 raised in 2025 (one reached the second stage, two
    closed), 3 in 2024. Returns the stage titles."""
    labels = report_selectors._disagreement_labels(compact, None, None)
    stages, outcomes = labels["by_stage"], labels["by_outcome"]
    closed_outcome = next(o for o in outcomes if o != "Still open")
    by_year = {
        YEAR: SimpleNamespace(
            raised=7,
            closed=2,
            open=5,
            by_stage=[(stages[0], 6), (stages[1], 1)],
            by_outcome=[(closed_outcome, 2), ("Still open", 5)],
            by_finding=[],
            median_working_days=12,
            longest_working_days=15,
        ),
        YEAR - 1: SimpleNamespace(
            raised=3,
            closed=3,
            open=0,
            by_stage=[(stages[0], 3)],
            by_outcome=[(closed_outcome, 3)],
            by_finding=[],
            median_working_days=4,
            longest_working_days=9,
        ),
    }
    monkeypatch.setattr(
        report_selectors.disputes, "figures", lambda *, compact, year: by_year.get(year)
    )
    return stages


@pytest.fixture
def counted(world, monkeypatch):
    return SimpleNamespace(world=world, stages=small_disagreements(world.leicester, monkeypatch))


def _url(name, world):
    return reverse(f"reports:{name}", kwargs={"slug": world.leicester.slug, "year": YEAR})


def test_the_page_says_fewer_than_5_and_gives_no_change_from_a_hidden_count(client, counted):
    page = client.get(_url("report", counted.world)).content.decode()
    section = page[page.index('id="section-disagreements"') :]
    section = section[: section.index("</section>")]
    assert "fewer than 5" in section
    assert 'id="disagreements-small-counts"' in section
    figures = AnnualReport.objects.get(year=YEAR).figures
    part = next(s for s in figures["sections"] if s["key"] == "disagreements")
    by_key = {f["key"]: f for f in part["figures"]}
    assert (by_key["raised"]["this"], by_key["raised"]["previous"]) == (7, None)
    assert by_key["raised"]["hidden_previous"] == disclosure.SMALL
    assert by_key["raised"]["change"] is None  # 7 and "+4" would give the 3 away
    assert by_key["closed"]["hidden_this"] == disclosure.SMALL
    assert by_key["open"]["hidden_this"] == disclosure.WITHHELD  # 7 - open = closed
    assert by_key["median-days"]["this"] is None  # two closed cases: one case's time
    chart = part["charts"][0]["rows"]
    assert [r["hidden_this"] for r in chart[:2]] == [disclosure.WITHHELD, disclosure.SMALL]
    assert all(r["hidden_previous"] == disclosure.NOT_PUBLISHED for r in chart)
    pdf_text = " ".join(document_text(report_pdf_document(figures)))
    assert "fewer than 5" in pdf_text and "withheld" in pdf_text


def test_the_csv_marks_hidden_counts_and_says_what_the_marks_mean(client, counted):
    client.get(_url("report", counted.world))
    rows = list(csv.reader(io.StringIO(client.get(_url("csv", counted.world)).content.decode())))
    raised = next(r for r in rows if r[1] == "Disagreements raised")
    assert raised == ["Disagreements", "Disagreements raised", "7", "[c] <5", ""]
    closed = next(r for r in rows if r[1] == "Of which closed")
    assert closed[2:] == ["[c] <5", "[c]", ""]
    assert [r[0] for r in rows[-len(disclosure.CSV_NOTES) :]] == ["Notes"] * 2


def test_a_report_stored_before_disclosure_control_is_generated_again(client, world):
    now = timezone.now()
    old = AnnualReport.objects.create(
        compact=world.leicester,
        year=YEAR,
        status=ReportStatus.READY,
        requested_at=now,
        generated_at=now,
        as_of=dt.date(2026, 1, 5),
        figures={"format": 1, "year": YEAR, "previous": YEAR - 1, "sections": []},
        pdf=b"%PDF-old",
    )
    assert client.get(_url("csv", world)).status_code == 302  # not the old figures
    assert client.get(_url("pdf", world)).status_code == 302
    migration = importlib.import_module(
        "localcompact.reports.migrations.0002_forget_figures_before_disclosure_control"
    )
    migration.forget_old_figures(apps, None)
    old.refresh_from_db()
    assert (old.figures, old.pdf) == ({}, None)
    assert client.get(_url("report", world)).status_code == 200
    old.refresh_from_db()
    assert old.figures["format"] == report_selectors.FORMAT
