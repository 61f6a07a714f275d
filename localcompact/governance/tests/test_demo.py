"""The demo: Leicester's steering groups (one meeting its quotas, one failing one, named),
meetings with an agenda, an election and minutes, an action plan with progress, a
scheduled review and a revision adopted as a new version."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from localcompact.compacts.models import Compact
from localcompact.governance import selectors
from localcompact.governance.models import (
    ActionUpdate,
    AgendaItem,
    Composition,
    Election,
    Meeting,
    Review,
    Revision,
)
from localcompact.obligations.models import Obligation
from localcompact.organisations.models import CompactRole


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_runs_the_leicester_compact(shipped_compacts):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Governance:" in out.getvalue()

    groups = Composition.objects.filter(compact__slug="leicester", body="steering-group")
    verdicts = {c.status: selectors.composition_check(c).verdict for c in groups}
    assert verdicts["current"].missing == ()
    assert verdicts["past"].missing == (
        "Seat 'Voluntary and community member from a black and minority ethnic group' "
        "needs 1 member and has 0",
    )
    held, upcoming = Meeting.objects.filter(compact__slug="leicester").order_by("on")
    assert held.held and held.minutes_published_on
    assert AgendaItem.objects.filter(meeting=upcoming).count() >= 4
    assert upcoming.agenda_published_on and upcoming.invitations.count() == 10
    election = Election.objects.get()
    assert election.status == "closed" and election.nominations.filter(elected=True).count() == 5
    assert ActionUpdate.objects.exists()
    review = Review.objects.get(compact__slug="herefordshire")
    assert Obligation.objects.filter(source_id=review.pk, standard__ident="code-review").exists()
    adopted = Revision.objects.get(status="adopted")
    assert Compact.objects.get(slug="leicester").current_version == adopted.adopted_version
    assert set(
        CompactRole.objects.current()
        .filter(compact__slug="leicester", kind="steering_group")
        .values_list("user__username", flat=True)
    ) >= {"olivia", "cara"}
