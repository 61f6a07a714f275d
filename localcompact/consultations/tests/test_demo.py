"""The demo has a consultation in every state under each compact, with obligations."""

import io

import pytest
from django.core.management import call_command

from localcompact.obligations.models import Obligation

from ..models import Consultation, Response, Status


@pytest.mark.django_db
def test_the_demo_has_consultations_in_every_state_under_each_compact(
    shipped_compacts, settings, monkeypatch
):
    from localcompact.consultations import demo
    from localcompact.core.management.commands import seed_demo

    # the core demo, then this app's alone (other apps' demos have tests of their own)
    monkeypatch.setattr(seed_demo, "app_demos", lambda: iter([demo]))
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    for slug in ("city-together", "herefordshire", "leicester", "redcar-cleveland"):
        states = set(
            Consultation.objects.filter(compact__slug=slug).values_list("status", flat=True)
        )
        assert states == set(Status.values), slug
    short = Consultation.objects.get(compact__slug="herefordshire", status=Status.OPEN)
    assert short.short_period_kind == "by_agreement" and short.short_period_agreed_by
    assert Obligation.objects.filter(source_type__model="consultation").exists()
    assert Response.objects.filter(kind="anonymous", user__isnull=True).count() == 20
