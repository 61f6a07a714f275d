"""A compact's public compliance figures: a chart, the same figures as a table, and CSV."""

import csv

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from localcompact.compacts.selectors import version_get
from localcompact.rulebook import long_date

from .. import selectors
from ..charts import stacked_bar_chart
from ..forms import CompliancePeriodForm
from . import common

CSV_HEADER = [
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
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell a spreadsheet will not run as a formula: text starting = + - @ gets a '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@require_safe
def compliance(request: HttpRequest, slug: str) -> HttpResponse:
    version = version_get(slug=slug)
    form = CompliancePeriodForm(request.GET or None, today=common.today())
    valid = not form.is_bound or form.is_valid()
    date_from, date_to = form.period()
    groups = selectors.compliance_figures(version=version, date_from=date_from, date_to=date_to)
    rows = [row for group in groups for row in group.rows]
    totals = {key: sum(getattr(row, key) for row in rows) for key, _ in selectors.FIGURES}
    named = selectors.names_missed(version)
    query = f"?from={date_from.isoformat()}&to={date_to.isoformat()}"
    context = {
        "version": version,
        "compact": version.compact,
        "form": form,
        "date_from": date_from,
        "date_to": date_to,
        "period_text": f"{long_date(date_from)} to {long_date(date_to)}",
        "groups": groups,
        "figures": selectors.FIGURES,
        "summary": [(label.lower(), totals[key]) for key, label in selectors.FIGURES],
        "total": sum(totals.values()),
        "chart_title": f"Obligations due from {long_date(date_from)} to {long_date(date_to)}, "
        "by standard: met on time, met late, missed, excused and still open. The same "
        "figures are in the table below.",
        "chart": stacked_bar_chart(groups, selectors.FIGURES),
        "named": named,
        "missed": list(
            selectors.compliance_missed(version=version, date_from=date_from, date_to=date_to)
        )
        if named
        else [],
        "csv_url": reverse("obligations:compliance_csv", kwargs={"slug": slug}) + query,
        "page_title": f"{'Error: ' if not valid else ''}Compliance with the standards – "
        f"{version.name}",
        "nav_section": "compacts",
    }
    return render(request, "obligations/compliance.html", context, status=200 if valid else 400)


@require_safe
def compliance_csv(request: HttpRequest, slug: str) -> HttpResponse:
    version = version_get(slug=slug)
    form = CompliancePeriodForm(request.GET or None, today=common.today())
    if form.is_bound and not form.is_valid():
        problems = "; ".join(error for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(
            f"{problems}. Give the period as from=YYYY-MM-DD&to=YYYY-MM-DD.\n",
            content_type="text/plain; charset=utf-8",
        )
    date_from, date_to = form.period()
    groups = selectors.compliance_figures(version=version, date_from=date_from, date_to=date_to)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slug}-compliance-{date_from.isoformat()}-to-'
        f'{date_to.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for group in groups:
        for row in group.rows:
            writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        slug,
                        row.code_slug,
                        row.ident,
                        row.title,
                        f"{row.document} {row.clause_ref}",
                        *row.counts,
                    )
                ]
            )
    return response
