"""The report's pages, PDF and CSV; generating inline, in the background and again."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from localcompact.reports import services
from localcompact.reports.models import AnnualReport, ReportStatus
from localcompact.reports.pdf import document_text, report_pdf_document
from localcompact.reports.tasks import report_generate_task

from .conftest import YEAR, obligation

D = dt.date


def url(name, world, year=YEAR, **extra):
    return reverse(f"reports:{name}", kwargs={"slug": world.leicester.slug, "year": year, **extra})


def some_obligations(world):
    c = world.leicester
    for status in ("met", "met", "met", "missed"):
        obligation(c, "consultation-minimum-period", D(2025, 4, 1), status)
    obligation(c, "payment-on-time", D(2024, 4, 1), "met_late")


@pytest.fixture
def queued(monkeypatch):
    """Tasks queued by the services, instead of django-q2's queue."""
    sent = []
    monkeypatch.setattr(
        "django_q.tasks.async_task", lambda func, *args, **kw: sent.append((func, args))
    )
    return sent


def test_the_index_lists_the_compacts(client, world):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert "Leicester" in response.content.decode()


def test_a_compact_lists_its_years_from_the_first_record(client, world):
    response = client.get(reverse("reports:compact", kwargs={"slug": "leicester"}))
    assert response.status_code == 200
    assert [y for y, _ in response.context["years"]] == [2026, 2025, 2024]


def test_a_year_outside_the_records_is_not_found(client, world):
    assert client.get(url("report", world, year=2027)).status_code == 404
    assert client.get(url("report", world, year=2019)).status_code == 404


def test_a_small_compact_is_generated_on_first_view_and_stored(client, world):
    some_obligations(world)
    response = client.get(url("report", world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Annual report 2025" in page
    assert 'role="img"' in page and "<desc" in page
    report = AnnualReport.objects.get(compact=world.leicester, year=YEAR)
    assert report.status == ReportStatus.READY and report.progress == 100
    assert report.pdf is None  # made on the first download
    assert report.figures["year"] == YEAR


def test_a_large_compact_is_queued_and_shows_its_progress(
    client, world, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_LIMIT", 2)
    some_obligations(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url("report", world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "being generated: 0%" in page
    assert 'http-equiv="refresh"' not in page  # a link to check again, no timer
    assert "Check again now" in page
    report = AnnualReport.objects.get(compact=world.leicester, year=YEAR)
    assert queued == [(services.TASK_FUNC, (report.pk,))]
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)
    assert "being generated: 40%" in client.get(url("report", world)).content.decode()


def test_the_task_generates_figures_and_pdf_once(world, queued):
    some_obligations(world)
    report = services.report_request(compact=world.leicester, year=YEAR, now=timezone.now())
    assert report_generate_task(report.pk) == {"report": report.pk, "generated": True, "year": YEAR}
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.progress == 100
    assert bytes(report.pdf).startswith(b"%PDF")
    assert report.as_of == timezone.localdate()
    # run again (a second delivery of the same task): nothing to do
    assert report_generate_task(report.pk) == {"report": report.pk, "generated": False}


def test_asking_twice_queues_once(world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_request(compact=world.leicester, year=YEAR, now=timezone.now())
        second = services.report_request(compact=world.leicester, year=YEAR, now=timezone.now())
    assert first.pk == second.pk
    assert len(queued) == 1


def test_a_failed_generation_is_recorded(world, monkeypatch, queued):
    report = services.report_request(compact=world.leicester, year=YEAR, now=timezone.now())

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services.selectors, "report_figures", broken)
    with pytest.raises(RuntimeError):
        report_generate_task(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.error == "RuntimeError"


def test_while_regenerating_the_old_figures_show_with_a_banner(client, world, queued):
    client.get(url("report", world))
    services.report_request(compact=world.leicester, year=YEAR, now=timezone.now())
    page = client.get(url("report", world)).content.decode()
    assert "A new version of this report is being generated: 0%" in page
    assert "Organisations that signed" in page


def test_the_support_team_and_staff_may_generate_again(client, world, queued):
    client.get(url("report", world))
    for role, expected in (("outsider", 403), ("officer", 403), ("support", 302), ("staff", 302)):
        client.force_login(world.user(role))
        assert client.post(url("generate", world)).status_code == expected, role
    client.logout()
    assert client.post(url("generate", world)).status_code == 302  # to sign in
    assert AnnualReport.objects.get(year=YEAR).status == ReportStatus.QUEUED


def test_only_the_support_team_sees_the_button(client, world):
    assert "Generate the report again" not in client.get(url("report", world)).content.decode()
    client.force_login(world.user("support"))
    assert "Generate the report again" in client.get(url("report", world)).content.decode()


def test_the_pdf_is_an_attachment_with_the_same_figures(client, world):
    some_obligations(world)
    client.get(url("report", world))
    response = client.get(url("pdf", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="leicester-annual-report-2025.pdf"'
    )
    content = response.content
    assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")
    report = AnnualReport.objects.get(year=YEAR)
    document = report_pdf_document(report.figures)
    assert len(document.pages) >= 8  # a cover and a page or more for each section
    text = " ".join(document_text(document))
    assert "Annual report 2025" in text
    assert "Consultations that ran for at least the minimum period" in text
    assert "75%" in text and "3 of 4" in text
    # the same figures as the page's tables
    page = client.get(url("report", world)).content.decode()
    for f in report.figures["sections"][1]["figures"]:
        assert escape(f["label"]) in page and f["label"] in text
    assert AnnualReport.objects.get(year=YEAR).pdf is not None  # kept for next time


def test_the_pdf_and_csv_wait_for_the_report(client, world, queued, monkeypatch):
    monkeypatch.setattr(services, "INLINE_LIMIT", -1)
    client.get(url("report", world))
    assert client.get(url("pdf", world)).status_code == 302
    assert client.get(url("csv", world)).status_code == 302


def test_the_csv_has_one_row_per_figure(client, world):
    some_obligations(world)
    client.get(url("report", world))
    response = client.get(url("csv", world))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["section", "figure", "2025", "2024", "change"]
    assert [
        "Consultations",
        "Consultations that ran for at least the minimum period (%)",
        "75",
        "",
        "",
    ] in rows
    assert ["Signatories", "Organisations that signed", "0", "2", "-2"] in rows
    assert [
        "Compliance by code and standard",
        "All standards: obligations due",
        "4",
        "1",
        "3",
    ] in rows


def test_the_report_page_issues_a_constant_number_of_queries(client, world):
    def queries():
        client.get(url("report", world))  # generated and stored
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("report", world)).status_code == 200
        return len(captured)

    small = queries()
    AnnualReport.objects.all().delete()
    c = world.leicester
    for n in range(60):
        obligation(c, "consultation-minimum-period", D(2025, 1, 1) + dt.timedelta(days=n), "met")
        obligation(c, "payment-on-time", D(2024, 1, 1) + dt.timedelta(days=n), "missed")
    assert queries() == small
    assert small <= 6


def test_the_command_generates_figures_and_pdf(world):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("generate_annual_report", "leicester", "2025", stdout=out)
    assert "Leicester" in out.getvalue() and "PDF" in out.getvalue()
    report = AnnualReport.objects.get(year=2025)
    assert report.status == ReportStatus.READY and bytes(report.pdf).startswith(b"%PDF")


def test_the_command_refuses_an_unknown_compact(world):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No loaded compact"):
        call_command("generate_annual_report", "atlantis", "2025", stdout=io.StringIO())
