import io

import pytest
from django.core.management import call_command

from localcompact.core.management.commands import seed_demo
from localcompact.notices.models import Notice, Restriction, Status
from localcompact.obligations.models import Obligation
from localcompact.obligations.models import Status as O


@pytest.mark.django_db
def test_the_demo_has_notices_in_every_state(shipped_compacts, settings, monkeypatch):
    settings.DEBUG = True
    # Only the core demo and this app's: other apps' demos are tested by their own tests.
    from localcompact.notices import demo

    monkeypatch.setattr(seed_demo, "app_demos", lambda: iter([demo]))
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Informing notices: 7" in out.getvalue()
    assert set(Notice.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Notice.objects.values_list("restriction", flat=True)) == set(Restriction.values)
    statuses = set(
        Obligation.objects.filter(source_type__model="notice").values_list("status", flat=True)
    )
    assert {O.MET, O.MET_LATE} <= statuses
    assert statuses & {O.DUE_SOON, O.NOT_YET_DUE}
    leicester = Notice.objects.get(compact__slug="leicester")
    assert not Obligation.objects.filter(source_type__model="notice", source_id=leicester.pk)
