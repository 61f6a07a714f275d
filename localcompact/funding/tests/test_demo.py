"""The demo: everything the issue's 'done when' asks for is there, with its obligations.

One test, because seeding the demo takes a while. Other apps' demos are left out
(each app tests its own), so this one fails only for this app's reasons."""

import io

from django.core.management import call_command
from django.test import override_settings

from localcompact.core.management.commands import seed_demo
from localcompact.funding import demo as funding_demo
from localcompact.funding.models import (
    Application,
    Award,
    CommissioningPlan,
    Involvement,
    Stage,
    WindDownNotice,
)
from localcompact.obligations.models import Obligation, Status


def _statuses(standard_ident: str) -> list[str]:
    """Statuses of the funding app's obligations under a standard (not the core demo's
    hand-recorded activities)."""
    return sorted(
        Obligation.objects.filter(
            standard__ident=standard_ident,
            source_type__app_label="funding",
        ).values_list("status", flat=True)
    )


def test_the_demo_has_every_part_of_the_funding_story(shipped_compacts, monkeypatch):
    # Only this app's demo after the core one: other apps' demos are tested by their own.
    monkeypatch.setattr(seed_demo, "app_demos", lambda: iter([funding_demo]))
    with override_settings(DEBUG=True):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
    assert "Funding: 1 commissioning plan, 4 awards, 5 applications" in out.getvalue()

    # a commissioning plan through all four stages, the sector involved in each
    plan = CommissioningPlan.objects.get()
    assert plan.stage == Stage.REVIEW and plan.completed_on is not None
    stages = set(Involvement.objects.filter(plan=plan).values_list("stage", flat=True))
    assert stages == {s.value for s in Stage}

    # a grant programme with applications, the unsuccessful given reasons
    unsuccessful = Application.objects.filter(status=Application.Status.UNSUCCESSFUL)
    assert unsuccessful.count() == 2 and all(a.reasons for a in unsuccessful)
    assert Application.objects.filter(opportunity__kind="grant").count() == 3

    # awards with payment schedules: one confirmed late, one paid late
    assert all(award.payments.exists() for award in Award.objects.all())
    assert _statuses("funding-confirmed-before-start") == [Status.MET, Status.MET_LATE]
    assert Status.MET_LATE in _statuses("payment-on-time")
    assert Status.MET in _statuses("payment-on-time")
    # one told of the outcome late (the agreed decision date had passed)
    assert _statuses("funding-decision-notice") == [Status.MET, Status.MET, Status.MET_LATE]

    # a provider's wind-down notice, given with less than three months to go
    notice = WindDownNotice.objects.get()
    [obligation] = Obligation.objects.filter(
        standard__ident="commissioning-wind-down-notice", source_type__model="winddownnotice"
    )
    assert obligation.owed_by == notice.award.recipient
    assert obligation.status == Status.MET_LATE
