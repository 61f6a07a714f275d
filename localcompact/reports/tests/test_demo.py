import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from localcompact.reports.models import AnnualReport


@pytest.mark.django_db
def test_the_demo_has_leicesters_reports_for_this_year_and_last(shipped_compacts, settings, client):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)  # every app's demo: the report reads them all
    year = timezone.localdate().year
    assert f"Demo annual reports: Leicester {year - 1} and {year}" in out.getvalue()
    reports = AnnualReport.objects.filter(compact__slug="leicester").order_by("year")
    assert [(r.year, r.status) for r in reports] == [(year - 1, "ready"), (year, "ready")]
    assert all(bytes(r.pdf).startswith(b"%PDF") for r in reports)
    body = client.get(f"/reports/leicester/{year}/").content.decode()
    assert f"Annual report {year}" in body and "Organisations that signed" in body
    figures = reports[1].figures
    funding = next(s for s in figures["sections"] if s["key"] == "funding")
    assert next(f for f in funding["figures"] if f["key"] == "awards")["this"] > 0
