import io

import pytest
from django.core.management import call_command

from localcompact.core.management.commands import seed_demo
from localcompact.volunteering.models import (
    EqualityPolicy,
    FormatRequest,
    ImpactAssessment,
    Interest,
    Opportunity,
    VolunteeringFigures,
)


@pytest.mark.django_db
def test_the_demo_has_opportunities_figures_and_a_progress_report(
    shipped_compacts, settings, client, monkeypatch
):
    settings.DEBUG = True
    # Only the core demo and this app's: other apps' demos are tested by their own tests.
    from localcompact.volunteering import demo

    monkeypatch.setattr(seed_demo, "app_demos", lambda: iter([demo]))
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Volunteering: 4 opportunities" in out.getvalue()
    assert Opportunity.objects.filter(status="closed").count() == 1
    assert Opportunity.objects.filter(expenses_policy="").count() == 1
    assert Interest.objects.count() == 1
    assert VolunteeringFigures.objects.count() == 6
    assert EqualityPolicy.objects.count() == 2 and ImpactAssessment.objects.count() == 1
    assert set(FormatRequest.objects.values_list("status", flat=True)) == {"open", "provided"}
    body = client.get("/volunteering/progress/herefordshire/").content.decode()
    assert "Inclusive city progress" in body and "4 signatories" in body
