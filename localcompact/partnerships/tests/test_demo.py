"""The demo's partnership board has what the issue's 'done when' asks for."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from localcompact.obligations.models import Obligation, Status
from localcompact.partnerships import services
from localcompact.partnerships.models import (
    Declaration,
    FoiRequest,
    GroupEvent,
    Objection,
    PartnershipGroup,
    RequestToAct,
    WithheldReport,
)


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_has_a_board_with_everything_the_issue_asks_for(shipped_compacts):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Partnerships:" in out.getvalue()

    group = PartnershipGroup.objects.get(compact__slug="herefordshire")
    assert group.terms_complete
    assert services.terms_verdict(group).status.value == "met"
    meetings = list(group.meetings.all())
    assert len(meetings) == 5
    assert all(c.published_on for c in group.calendars.all())
    assert Declaration.objects.filter(item__meeting__group=group).count() == 2
    objection = Objection.objects.get(decision__group=group)
    assert objection.how_represented
    assert GroupEvent.objects.filter(group=group, kind="decision.refused").count() == 1
    assert not group.decisions.filter(meeting__isnull=True).exists()

    short = [m for m in meetings if services.notice_is_short(m)]
    assert len(short) == 1 and short[0].short_notice_reason
    assert (short[0].date - short[0].notice_given_on).days == 21

    inquorate = [
        m for m in meetings if m.attendance_recorded and not services.quorum_of(m)["quorate"]
    ]
    assert len(inquorate) == 1 and not inquorate[0].decisions.exists()
    assert inquorate[0].papers.filter(tabled=True).count() == 1

    emergency = RequestToAct.objects.get(emergency=True)
    assert (emergency.action_due_on - emergency.received_on).days == 5
    assert WithheldReport.objects.count() == 1
    assert FoiRequest.objects.count() == 1

    statuses = set(
        Obligation.objects.filter(
            standard__version__compact__slug="herefordshire", standard__code__slug="partnership"
        ).values_list("status", flat=True)
    )
    assert Status.MET_LATE in statuses  # the short notice
    assert Status.EXCUSED in statuses  # the tabled paper
