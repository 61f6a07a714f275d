"""The demo: a council consultation draft that flags unexplained jargon and a
too-short consultation, attached as evidence to the council's consultation, and a
charity's leaflet that passes and carries the mark."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from localcompact.proofing.models import ProofingReport


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_has_a_failing_and_a_passing_report(shipped_compacts):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "compact-proofing reports" in out.getvalue()

    council = ProofingReport.objects.get(organisation__slug="northfield-council")
    assert council.created_by.username == "olivia" or council.created_by.email.startswith("olivia")
    assert not council.passes
    levels = {f["kind"]: f["level"] for f in council.findings}
    assert levels["consultation-period"] == "blocking"
    assert levels["jargon-unexplained"] == "warning"
    assert council.blocking == 1

    leaflet = ProofingReport.objects.get(organisation__slug="northfield-community-action")
    assert leaflet.passes
    assert leaflet.mark.startswith("Compact-proofed against the Leicester Compact")
    assert leaflet.reference and leaflet.reference in out.getvalue()

    # attached as evidence to the council's planned consultation on the same subject
    evidence = council.evidence.select_related("consultation").get()
    assert evidence.consultation.title.startswith("Youth club funding priorities")
    assert evidence.consultation.lead == council.organisation
    assert council.published_at is not None
