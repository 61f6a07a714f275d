"""The public compliance page and its CSV: the figures per standard over a period,
organisations named against missed obligations only where the compact says so, and
spreadsheet formulas neutralised."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.obligations.services import obligation_excuse, obligations_sync
from localcompact.obligations.views.compliance import csv_safe

from .page_factories import (  # noqa: F401
    TODAY,
    in_each_section,
    load_testshire,
    record,
    world_fixture,
)

PAGE = reverse("obligations:compliance", kwargs={"slug": "testshire"})
CSV = reverse("obligations:compliance_csv", kwargs={"slug": "testshire"})
DAY = dt.timedelta(days=1)


@pytest.fixture
def figures(world):
    """Under decision-record (Consultation code), owed by the council: met, met late,
    missed, excused, due soon, withdrawn, and one missed long ago; under meeting-notice
    (Meetings code), owed by the trust: one met, one missed."""
    officer = world.user("officer")
    record(world, "decision-record", title="Met", start_on=TODAY - 5 * DAY, done_on=TODAY - 6 * DAY)
    record(world, "decision-record", title="Late", start_on=TODAY - 10 * DAY, done_on=TODAY - DAY)
    record(world, "decision-record", title="Missed", start_on=TODAY - 3 * DAY)
    _, excused = record(world, "decision-record", title="Excused", start_on=TODAY - 2 * DAY)
    obligation_excuse(
        obligation=excused, kind="stated_reasons", reason="Deferred.", today=TODAY, by=officer
    )
    record(world, "decision-record", title="Soon", start_on=TODAY + 2 * DAY)
    withdrawn, _ = record(world, "decision-record", title="Withdrawn", start_on=TODAY - 4 * DAY)
    withdrawn.withdrawn_on = TODAY
    withdrawn.save()
    obligations_sync(source=withdrawn, today=TODAY)
    record(world, "decision-record", title="Long ago", start_on=TODAY - 500 * DAY)
    record(
        world,
        "meeting-notice",
        title="Meeting",
        start_on=TODAY + 10 * DAY,
        owed_by=world.trust,
        owed_to=[world.council],
    )
    record(
        world,
        "meeting-notice",
        title="Met meeting",
        start_on=TODAY + 10 * DAY,
        done_on=TODAY - 30 * DAY,
        owed_by=world.trust,
        owed_to=[world.council],
    )
    return world


def rows(response):
    return {
        (group.title, row.ident): row.counts
        for group in response.context["groups"]
        for row in group.rows
    }


def period(start: dt.date, end: dt.date) -> str:
    return (
        f"?from-day={start.day}&from-month={start.month}&from-year={start.year}"
        f"&to-day={end.day}&to-month={end.month}&to-year={end.year}"
    )


class TestFigures:
    def test_by_default_the_last_twelve_months_per_standard_grouped_by_code(self, client, figures):
        response = client.get(PAGE)
        assert response.status_code == 200
        # met, met late, missed, excused, still open
        assert rows(response) == {
            ("Consultation code", "decision-record"): [1, 1, 1, 1, 0],
            ("Meetings code", "meeting-notice"): [1, 0, 1, 0, 0],
        }
        page = response.content.decode()
        assert "Obligations due from 5 March 2025 to 4 March 2026" in page
        assert "6 obligations: 2 met on time, 1 met late, 2 missed, 1 excused, 0 still open." in (
            page
        )

    def test_a_chosen_period_counts_what_is_still_open(self, client, figures):
        response = client.get(PAGE + period(TODAY - 600 * DAY, TODAY + 30 * DAY))
        assert response.status_code == 200
        assert rows(response)[("Consultation code", "decision-record")] == [1, 1, 2, 1, 1]

    def test_the_period_can_be_given_as_iso_dates(self, client, figures):
        response = client.get(PAGE + f"?from={TODAY - 3 * DAY}&to={TODAY}")
        assert rows(response) == {
            ("Consultation code", "decision-record"): [0, 0, 1, 1, 0],
        }

    def test_a_start_after_the_end_is_refused_and_the_default_shown(self, client, figures):
        response = client.get(PAGE + period(TODAY, TODAY - DAY))
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert "The start of the period must be the same as or before its end" in page
        assert '<a href="#from-day">' in page
        assert response.context["date_from"] == dt.date(2025, 3, 5)

    def test_an_impossible_date_is_refused(self, client, figures):
        response = client.get(PAGE + "?from-day=31&from-month=2&from-year=2026")
        assert response.status_code == 400
        assert "Start of the period must be a real date" in response.content.decode()
        assert 'value="31"' in response.content.decode()

    def test_the_chart_is_an_image_described_by_the_table(self, client, figures):
        page = client.get(PAGE).content.decode()
        svg = page[page.index("<svg") : page.index("</svg>")]
        assert 'role="img"' in svg
        assert 'aria-labelledby="compliance-chart-title"' in svg
        assert 'aria-describedby="compliance-table"' in svg
        assert '<title id="compliance-chart-title">Obligations due from' in svg
        assert "style=" not in svg and "<script" not in svg
        assert 'id="compliance-table"' in page

    def test_with_nothing_due_it_says_so_and_draws_nothing(self, client, world):
        page = client.get(PAGE).content.decode()
        assert "No obligation under this compact fell due in this period." in page
        assert "<svg" not in page.split('id="main-content"')[1]


class TestNames:
    def test_figures_are_aggregated_unless_the_compact_names_missed_obligations(
        self, client, figures
    ):
        page = client.get(PAGE).content.decode()
        assert "The figures are aggregated" in page
        assert "Testshire Council" not in page
        assert "Testshire Community Trust" not in page

    def test_where_the_compact_says_so_missed_obligations_name_who_owed_them(
        self, client, figures, tmp_path
    ):
        load_testshire(tmp_path / "named", name_missed=True)  # version 2 says so
        response = client.get(PAGE)
        page = response.content.decode()
        assert "This compact makes missed obligations public by the name" in page
        assert [(o.owed_by.name, o.standard.ident) for o in response.context["missed"]] == [
            ("Testshire Community Trust", "meeting-notice"),  # due first
            ("Testshire Council", "decision-record"),
        ]
        assert "Testshire Council" in page
        # the met, late and excused ones are not named
        assert page.count("Testshire Council") == 1


class TestCsv:
    def read(self, response):
        return list(csv.reader(io.StringIO(response.content.decode())))

    def test_the_same_figures_with_a_header_row(self, client, figures):
        response = client.get(CSV)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            'attachment; filename="testshire-compliance-2025-03-05-to-2026-03-04.csv"'
        )
        assert self.read(response) == [
            [
                "compact",
                "code",
                "standard_id",
                "standard_title",
                "clause",
                "met",
                "met_late",
                "missed",
                "excused",
                "open",
            ],
            [
                "testshire",
                "consultation",
                "decision-record",
                "Reasons for the decision recorded",
                "999_0000000000000000.txt 4.3",
                "1",
                "1",
                "1",
                "1",
                "0",
            ],
            [
                "testshire",
                "meetings",
                "meeting-notice",
                "Four weeks' notice of meetings",
                "999_0000000000000000.txt 4.1",
                "1",
                "0",
                "1",
                "0",
                "0",
            ],
        ]

    def test_the_page_links_to_the_csv_of_its_period(self, client, figures):
        page = client.get(PAGE + period(TODAY - 600 * DAY, TODAY)).content.decode()
        assert f'href="{CSV}?from=2024-07-12&amp;to=2026-03-04"' in page
        assert len(self.read(client.get(f"{CSV}?from=2024-07-12&to=2026-03-04"))) == 3

    def test_a_bad_period_is_refused_in_plain_text(self, client, figures):
        response = client.get(f"{CSV}?from=2026-03-04&to=2026-01-01")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert b"The start of the period must be the same as or before its end" in (
            response.content
        )

    def test_text_a_spreadsheet_would_run_as_a_formula_is_neutralised(
        self, client, figures, tmp_path
    ):
        load_testshire(
            tmp_path / "formulas",
            extra_titles={
                "decision-record": '=HYPERLINK("http://evil.example","Click")',
                "meeting-notice": "@SUM(1+1)",
            },
        )
        titles = [row[3] for row in self.read(client.get(CSV))[1:]]
        assert titles == ['\'=HYPERLINK("http://evil.example","Click")', "'@SUM(1+1)"]

    @pytest.mark.parametrize(
        "value,safe",
        [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@A1", "'@A1"),
            ("\t=1", "'\t=1"),
            ("Plain", "Plain"),
            ("a=b", "a=b"),
            (3, 3),
        ],
    )
    def test_which_cells_are_neutralised(self, value, safe):
        assert csv_safe(value) == safe


class TestQueryCounts:
    @pytest.mark.parametrize("url", [PAGE, CSV])
    def test_queries_do_not_grow_with_the_obligations_or_standards(
        self, client, world, tmp_path, url
    ):
        load_testshire(tmp_path / "named", name_missed=True)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            return len(queries)

        in_each_section(world, 5)
        record(world, "meeting-notice", start_on=TODAY)
        few = count()
        in_each_section(world, 60)
        for ident in ("meeting-notice", "reply-within", "consultation-period-0"):
            for n in range(5):
                record(world, ident, start_on=TODAY - (n + 20) * DAY, end_on=TODAY)
        assert count() == few
        assert few <= 5
