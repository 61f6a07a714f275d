"""Annual reports' rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world (tests/quality/world.py), `prepare` generates Leicester's report
for this year (its figures and its PDF, through `services.report_generate_now`); one row
deletes it first, so the page that generates a small compact's report on its first view
is checked too. Following `rules.py` and the views (issue #12):

- the index, a compact's years, a report (generated on first view or stored), its PDF
  and its CSV are public: everyone gets them;
- asking for a report to be generated again is for the compact's support team and
  staff (a redirect to the report, now queued); anyone else signed in is refused (403)
  and visitors are sent to sign in. It is a POST only: a GET is not allowed (405).
"""

from django.utils import timezone

from localcompact.reports.models import AnnualReport
from localcompact.reports.services import report_generate_now
from tests.quality.matrix import NOT_ALLOWED, OK, REDIRECT, Route, everyone, support_team


def prepare(world) -> None:
    world.objects.report = report_generate_now(
        compact=world.compact,
        year=world.today.year,
        today=world.today,
        now=timezone.now(),
        pdf=True,
    )


def _year(world):
    return {"slug": world.compact.slug, "year": world.today.year}


MATRIX = {
    "reports:index": Route(everyone(OK)),
    "reports:compact": Route(everyone(OK), kwargs=lambda w: {"slug": w.compact.slug}),
    "reports:report": [
        Route(everyone(OK), kwargs=_year, state="generated and stored"),
        Route(
            everyone(OK),
            kwargs=_year,
            before=lambda w, client: AnnualReport.objects.filter(pk=w.objects.report.pk).delete(),
            state="not generated yet: generated on first view",
        ),
    ],
    "reports:pdf": Route(everyone(OK), kwargs=_year),
    "reports:csv": Route(everyone(OK), kwargs=_year),
    "reports:generate": [
        Route(support_team(REDIRECT), kwargs=_year, method="post"),
        Route(everyone(NOT_ALLOWED), kwargs=_year, state="asked for with GET"),
    ],
}
