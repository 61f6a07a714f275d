"""The demo's disagreements: Leicester cases at each stage and a Herefordshire referral."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from localcompact.core.management.commands import seed_demo
from localcompact.disputes import demo
from localcompact.disputes.models import Case, CaseDocument
from localcompact.obligations.models import Obligation, Status
from localcompact.organisations.models import CompactRole


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_has_cases_at_each_stage_and_every_ending(shipped_compacts, monkeypatch):
    # Only this app's demo after the core one, so that another app's demo cannot fail it.
    monkeypatch.setattr(seed_demo, "app_demos", lambda: iter([demo]))
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Disagreements: 8 cases" in out.getvalue()
    leicester = Case.objects.filter(compact__slug="leicester")
    assert set(leicester.values_list("stage", flat=True)) == {
        "stage-one-informal",
        "stage-two-mediation",
        "stage-three-appeal",
        "withdrawal",
    }
    states = set(leicester.values_list("state", flat=True))
    assert {"resolved-by-mediation", "finding-made", "withdrawn"} <= states
    published = Case.objects.get(is_public=True)
    assert (published.finding, published.public_records["finding"]) == ("breach", "breach")
    assert Case.objects.get(compact__slug="herefordshire").state == "with-working-group"
    assert Case.objects.filter(parties__organisation__slug="riverside-youth-trust").count() == 1
    # every time limit is an obligation, some met, some still running
    statuses = set(
        Obligation.objects.filter(source_type__model="case").values_list("status", flat=True)
    )
    assert {Status.MET, Status.DUE_SOON} <= statuses
    assert CompactRole.objects.filter(kind="mediator", user__username="mina").count() == 1
    assert CaseDocument.objects.filter(record="agreement").get().restricted_to == [
        "party",
        "mediator",
    ]
