"""A compact's public compliance figures: a chart, the same figures as a table, and CSV."""

import csv

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
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


FIGURES_HTML_PREFIX = "obligations:compliance-html:1"


def figures_html(*, stamp: str | None, version, context: dict) -> str:
    """The figures section (summary, chart, table, CSV link) as rendered HTML, kept in
    the shared cache under the ComplianceStamp read before the figures were counted, the
    version and the period: rendering a chart and a table of every standard costs more
    than counting them once they are cached. Nothing else goes into it, so the same key
    always gives the same HTML."""
    if stamp is None:
        return render_to_string("obligations/_compliance_figures.html", context)
    key = (
        f"{FIGURES_HTML_PREFIX}:{stamp}:{version.pk}:"
        f"{context['date_from'].isoformat()}:{context['date_to'].isoformat()}"
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string("obligations/_compliance_figures.html", context)
        cache.set(key, html, selectors.COMPLIANCE_CACHE_SECONDS)
    return html


@require_safe
def compliance(request: HttpRequest, slug: str) -> HttpResponse:
    version = version_get(slug=slug)
    form = CompliancePeriodForm(request.GET or None, today=common.today())
    valid = not form.is_bound or form.is_valid()
    date_from, date_to = form.period()
    stamp = selectors.compliance_stamp(version.compact_id)  # before the figures are counted
    groups = selectors.compliance_figures_stamped(
        version=version, date_from=date_from, date_to=date_to, stamp=stamp
    )
    rows = [row for group in groups for row in group.rows]
    totals = {key: sum(getattr(row, key) for row in rows) for key, _ in selectors.FIGURES}
    named = selectors.names_missed(version)
    query = f"?from={date_from.isoformat()}&to={date_to.isoformat()}"
    figures = {
        "date_from": date_from,
        "date_to": date_to,
        "groups": groups,
        "figures": selectors.FIGURES,
        "summary": [(label.lower(), totals[key]) for key, label in selectors.FIGURES],
        "total": sum(totals.values()),
        "csv_url": reverse("obligations:compliance_csv", kwargs={"slug": slug}) + query,
    }
    if figures["total"]:
        figures["chart_title"] = (
            f"Obligations due from {long_date(date_from)} to {long_date(date_to)}, by "
            "standard: met on time, met late, missed, excused and still open. The same "
            "figures are in the table below."
        )
        figures["chart"] = stacked_bar_chart(groups, selectors.FIGURES)
    context = {
        **figures,
        "figures_html": figures_html(stamp=stamp, version=version, context=figures),
        "version": version,
        "compact": version.compact,
        "form": form,
        "period_text": f"{long_date(date_from)} to {long_date(date_to)}",
        "named": named,
        "missed": list(
            selectors.compliance_missed(version=version, date_from=date_from, date_to=date_to)
        )
        if named
        else [],
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
