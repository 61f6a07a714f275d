"""Annual compact reports: an index of compacts, each compact's years, the report as a
page, a PDF and a CSV of its figures, and asking for it to be generated again.

The public reads every report (public information about public promises). Generating
a report again is for the compact's support team and staff (`reports.regenerate`).
A report not generated yet, or stored in an older format of figures
(`selectors.FORMAT`: never shown, as it may publish what is no longer published), is
generated on its first view when the compact is small,
and otherwise queued for the background task, the page showing its progress with a
"check again" link (no script, and no meta refresh: axe and WCAG 2.2.1 rule out a page
that reloads itself on a timer).
"""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from localcompact.compacts.selectors import version_get
from localcompact.core.refusals import forbidden

from . import selectors, services
from .models import AnnualReport, ReportStatus
from .presentation import report_context

SECTION = "reports"  # the NAVIGATION entry proposed to the lead
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _today():
    return timezone.localdate()


def _year_checked(compact, year: int, today) -> None:
    if year > today.year or year < selectors.first_year(compact, today):
        raise Http404("No report for that year")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/index.html",
        {
            "compacts": list(selectors.compacts_with_reports()),
            "page_title": "Annual compact reports",
            "nav_section": SECTION,
        },
    )


@require_safe
def compact(request: HttpRequest, slug: str) -> HttpResponse:
    version = version_get(slug=slug)
    today = _today()
    reports = {
        r.year: r
        for r in AnnualReport.objects.filter(compact=version.compact).defer("figures", "pdf")
    }
    years = [(y, reports.get(y)) for y in selectors.years_of(version.compact, today)]
    return render(
        request,
        "reports/compact.html",
        {
            "version": version,
            "compact": version.compact,
            "years": years,
            "this_year": today.year,
            "page_title": f"Annual reports – {version.name}",
            "nav_section": SECTION,
        },
    )


def _report_for(version, year: int, today) -> AnnualReport:
    """The stored report, generating it inline (small compacts) or queueing it."""
    compact_ = version.compact
    report = AnnualReport.objects.filter(compact=compact_, year=year).first()
    stale = (
        report is not None
        and report.status == ReportStatus.READY
        and not selectors.is_current(report.figures)
    )
    if report is not None and not stale:
        return report
    now = timezone.now()
    if selectors.size_of(compact_, year) <= services.INLINE_LIMIT:
        return services.report_generate_now(compact=compact_, year=year, today=today, now=now)
    return services.report_request(compact=compact_, year=year, now=now)


@require_safe
def report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    version = version_get(slug=slug)
    today = _today()
    _year_checked(version.compact, year, today)
    stored = _report_for(version, year, today)
    context = {
        "version": version,
        "compact": version.compact,
        "year": year,
        "report": stored,
        "pending": stored.is_pending,
        "may_regenerate": request.user.has_perm("reports.regenerate", version.compact),
        "nav_section": SECTION,
    }
    if not selectors.is_current(stored.figures):  # none yet, or in an older format
        context["page_title"] = (
            f"Annual report {year} could not be generated – {version.name}"
            if stored.status == ReportStatus.FAILED
            else f"Annual report {year} being generated ({stored.progress}%) – {version.name}"
        )
        return render(request, "reports/pending.html", context)
    context.update(report_context(stored.figures))
    context["page_title"] = f"Annual report {year} – {version.name}"
    return render(request, "reports/report.html", context)


def _ready(slug: str, year: int) -> AnnualReport | None:
    version = version_get(slug=slug)
    report = AnnualReport.objects.filter(compact=version.compact, year=year).first()
    if report is None or not selectors.is_current(report.figures):
        return None  # the report page generates it (again)
    return report


@require_safe
def pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    report = _ready(slug, year)
    if report is None:
        return redirect("reports:report", slug=slug, year=year)
    content = services.report_pdf_store(report=report)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{slug}-annual-report-{year}.pdf"'
    return response


def csv_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@require_safe
def figures_csv(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    report = _ready(slug, year)
    if report is None:
        return redirect("reports:report", slug=slug, year=year)
    figures = report.figures
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-annual-report-{year}-figures.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["section", "figure", str(figures["year"]), str(figures["previous"]), "change"])
    for row in selectors.figure_rows(figures):
        writer.writerow(["" if v is None else csv_safe(v) for v in row])
    return response


@require_POST
@login_required
def generate(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    version = version_get(slug=slug)
    if not request.user.has_perm("reports.regenerate", version.compact):
        return forbidden(
            request,
            title="You cannot generate this report",
            reason="Only the compact's support team can ask for its annual report to be "
            "generated again. Anyone can read the report.",
            section=SECTION,
            way_on=("reports:index", "Read the annual reports"),
        )
    _year_checked(version.compact, year, _today())
    services.report_request(compact=version.compact, year=year, now=timezone.now())
    return redirect("reports:report", slug=slug, year=year)
