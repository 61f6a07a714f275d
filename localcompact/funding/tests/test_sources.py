"""Funding records give the obligations their compact's standards ask for, dated by the
rules, owed by the right side, and met, met late or missed as things are recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType

from localcompact.funding import services
from localcompact.funding.models import (
    Award,
    FundingEvent,
    Involvement,
    Opportunity,
    Stage,
)
from localcompact.funding.monitoring import band_for, monitoring_flag
from localcompact.obligations.models import Obligation, Status

from .factories import (  # noqa: F401
    DAY,
    TODAY,
    application_made,
    award_made,
    opportunity_made,
    story_fixture,
    world_fixture,
)


def of(source) -> dict[str, Obligation]:
    rows = Obligation.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).select_related("standard", "owed_by")
    return {o.standard.ident: o for o in rows}


def test_an_application_owes_notice_of_the_outcome_by_the_agreed_date(world):
    opportunity = opportunity_made(world)
    application = application_made(
        world, opportunity, world.charity, by=world.user("charity_officer")
    )
    obligations = of(application)
    assert set(obligations) == {"decision-notice", "unsuccessful-reasons"}
    notice = obligations["decision-notice"]
    assert notice.due_on == opportunity.decisions_by
    assert notice.owed_by == world.council
    assert list(notice.owed_to.all()) == [world.charity]
    assert notice.status == Status.NOT_YET_DUE  # synced when submitted, 20 days ago

    services.application_decide(
        application=application,
        successful=False,
        reasons="Outside the area the programme serves.",
        decided_on=TODAY - 3 * DAY,
        notified_on=TODAY - DAY,
        by=world.user("council_officer"),
        today=TODAY,
    )
    obligations = of(application)
    assert obligations["decision-notice"].status == Status.MET_LATE  # told after the 2nd
    assert obligations["unsuccessful-reasons"].status == Status.MET
    assert obligations["unsuccessful-reasons"].met_on == TODAY - 3 * DAY


def test_an_unsuccessful_application_cannot_be_decided_without_reasons(world):
    opportunity = opportunity_made(world)
    application = application_made(
        world, opportunity, world.charity, by=world.user("charity_officer")
    )
    with pytest.raises(services.Refused, match="reasons") as refused:
        services.application_decide(
            application=application,
            successful=False,
            reasons="  ",
            decided_on=TODAY,
            notified_on=None,
            by=world.user("council_officer"),
            today=TODAY,
        )
    assert refused.value.field == "reasons"
    application.refresh_from_db()
    assert application.status == "submitted"


def test_an_award_owes_confirmation_two_months_before_it_starts(world):
    award = award_made(world)
    confirm = of(award)["confirm-ahead"]
    assert confirm.due_on == award.starts_on - relativedelta(months=2)
    assert confirm.owed_by == world.council

    services.award_confirm(
        award=award, confirmed_on=TODAY, by=world.user("council_officer"), today=TODAY
    )
    assert of(award)["confirm-ahead"].status == Status.MET


def test_a_late_confirmation_is_met_late(world):
    award = award_made(world, starts_on=TODAY + 20 * DAY, ends_on=TODAY + 300 * DAY)
    services.award_confirm(
        award=award, confirmed_on=TODAY, by=world.user("council_officer"), today=TODAY
    )
    assert of(award)["confirm-ahead"].status == Status.MET_LATE


def test_a_grant_without_overheads_misses_the_overheads_standard(world):
    without = award_made(world, overheads=Decimal(0), award_date=TODAY - 10 * DAY)
    with_them = award_made(world, title="Another grant")
    assert of(without)["overheads-included"].status == Status.MISSED
    assert of(with_them)["overheads-included"].status == Status.MET


def test_risks_and_delivery_terms_are_owed_by_each_side_before_the_start(world):
    award = award_made(world)
    obligations = of(award)
    assert obligations["risks-allocated"].due_on == award.starts_on
    assert obligations["risks-allocated"].owed_by == world.council
    assert obligations["delivery-terms"].owed_by == world.charity
    assert obligations["risks-allocated"].met_on is None

    services.risk_record(
        award=award,
        description="Venue closes",
        held_by="funder",
        mitigation="",
        by=world.user("council_officer"),
        today=TODAY,
    )
    services.award_recipient_terms(
        award=award,
        terms_accepted_on=TODAY,
        end_plan="",
        by=world.user("charity_officer"),
        today=TODAY,
    )
    obligations = of(award)
    assert obligations["risks-allocated"].status == Status.MET
    assert obligations["delivery-terms"].status == Status.MET


def test_monitoring_must_be_recorded_by_the_agreement(world):
    award = award_made(world, agreed_on=TODAY - 3 * DAY)
    assert of(award)["monitoring-proportionate"].status == Status.MISSED
    services.award_monitoring_set(
        award=award,
        monitoring_requirements="One return a year.",
        returns_per_year=1,
        proportionality_statement="A small grant.",
        outcome_measures="",
        by=world.user("council_officer"),
        today=TODAY,
    )
    obligation = of(award)["monitoring-proportionate"]
    assert obligation.status == Status.MET_LATE
    assert obligation.met_on == TODAY


def test_end_notice_is_owed_once_its_date_is_agreed(world):
    award = award_made(world)
    assert "end-notice" not in of(award)
    services.award_end_notice(
        award=award,
        given_on=None,
        due_on=award.ends_on - 90 * DAY,
        text="",
        by=world.user("council_officer"),
        today=TODAY,
    )
    notice = of(award)["end-notice"]
    assert notice.due_on == award.ends_on - 90 * DAY
    assert notice.status == Status.NOT_YET_DUE


def test_payments_are_owed_on_their_date_and_before_the_spending(world):
    award = award_made(world)
    officer = world.user("council_officer")
    payment = services.payment_schedule(
        award=award,
        due_on=TODAY - 10 * DAY,
        amount=Decimal("4000"),
        expenditure_starts_on=TODAY - 5 * DAY,
        note="",
        by=officer,
        today=TODAY,
    )
    obligations = of(payment)
    assert obligations["payment-on-time"].due_on == TODAY - 10 * DAY
    assert obligations["payment-in-advance"].due_on == TODAY - 6 * DAY
    assert obligations["payment-on-time"].status == Status.MISSED

    services.payment_record_paid(payment=payment, paid_on=TODAY - 7 * DAY, by=officer, today=TODAY)
    obligations = of(payment)
    assert obligations["payment-on-time"].status == Status.MET_LATE
    assert obligations["payment-in-advance"].status == Status.MET


def test_a_schedule_cannot_come_to_more_than_the_award(world):
    award = award_made(world)
    with pytest.raises(services.Refused, match="left to schedule"):
        services.payment_schedule(
            award=award,
            due_on=TODAY,
            amount=Decimal("10000.01"),
            expenditure_starts_on=TODAY,
            note="",
            by=world.user("council_officer"),
            today=TODAY,
        )


def test_a_provider_owes_three_months_notice_of_winding_down(world):
    award = award_made(world)
    notice = services.wind_down_give(
        award=award,
        service_ends_on=TODAY + 60 * DAY,
        given_on=TODAY,
        reason="The hall is closing.",
        by=world.user("charity_officer"),
        today=TODAY,
    )
    [obligation] = of(notice).values()
    assert obligation.owed_by == world.charity
    assert list(obligation.owed_to.all()) == [world.council]
    assert obligation.due_on == TODAY + 60 * DAY - relativedelta(months=3)
    assert obligation.status == Status.MET_LATE


def test_a_withdrawn_application_owes_nothing(story):
    from localcompact.funding.models import Application

    lost = story.things["lost"]
    Application.objects.filter(pk=lost.pk).update(status=Application.Status.WITHDRAWN)
    lost.refresh_from_db()
    from localcompact.obligations.services import obligations_sync

    obligations_sync(source=lost, today=TODAY)
    assert all(o.status == Status.CANCELLED for o in of(lost).values())


def test_the_applicant_withdraws_an_undecided_application(world):
    opportunity = opportunity_made(world)
    officer = world.user("charity_officer")
    application = application_made(world, opportunity, world.charity, by=officer)
    assert of(application), "the funder owes a decision on it"

    services.application_withdraw(
        application=application, reason="We found other funding.", by=officer, today=TODAY
    )

    application.refresh_from_db()
    assert application.status == application.Status.WITHDRAWN
    assert all(o.status == Status.CANCELLED for o in of(application).values())
    event = FundingEvent.objects.get(application=application, kind="application.withdrawn")
    assert (event.note, event.by) == ("We found other funding.", officer)
    # they may apply again while it is open
    again = application_made(world, opportunity, world.charity, by=officer, title="Second go")
    assert again.status == again.Status.SUBMITTED


def test_a_decided_application_cannot_be_withdrawn(story):
    won = story.things["won"]
    with pytest.raises(services.Refused, match="has not been decided"):
        services.application_withdraw(
            application=won, reason="", by=story.user("charity_officer"), today=TODAY
        )
    won.refresh_from_db()
    assert won.status == won.Status.SUCCESSFUL


# --- Commissioning plans and opportunities ------------------------------------------------


def test_a_plan_moves_on_only_with_the_sector_involved_in_each_stage(world):
    officer = world.user("council_officer")
    plan = services.plan_create(
        version=world.version,
        commissioner=world.council,
        title="Plan",
        summary="A plan.",
        by=officer,
        today=TODAY,
    )
    with pytest.raises(services.Refused, match="analyse stage"):
        services.plan_advance(plan=plan, note="", by=officer, today=TODAY)
    for stage in Stage:
        services.involvement_record(
            plan=plan,
            kind=Involvement.Kind.OTHER,
            held_on=TODAY,
            description="Met the VCS forum.",
            organisations=[world.charity],
            consultation="",
            by=officer,
            today=TODAY,
        )
        plan = services.plan_advance(plan=plan, note="", by=officer, today=TODAY)
        assert Involvement.objects.filter(plan=plan, stage=stage).exists()
    assert plan.stage == Stage.REVIEW and plan.completed_on == TODAY
    with pytest.raises(services.Refused):
        services.plan_advance(plan=plan, note="", by=officer, today=TODAY)
    kinds = list(FundingEvent.objects.filter(plan=plan).values_list("kind", flat=True))
    assert kinds.count("plan.advanced") == 4


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"criteria": ""}, "criteria"),
        ({"decision_method": ""}, "criteria"),
        ({"criteria_decided_on": None}, "formally decided"),
    ],
)
def test_an_opportunity_opens_only_with_its_criteria_decided_first(world, changes, message):
    with pytest.raises(services.Refused, match=message):
        opportunity_made(world, **changes)
    assert Opportunity.objects.get().status == Opportunity.Status.DRAFT


def test_an_opportunity_that_excludes_overheads_is_flagged_and_refuses_them(world):
    opportunity = opportunity_made(world, overheads_eligible=False)
    assert any("full cost recovery" in flag for flag in opportunity.flags)
    with pytest.raises(services.Refused, match="overheads") as refused:
        application_made(world, opportunity, world.charity, by=world.user("charity_officer"))
    assert refused.value.field == "overheads"


def test_applicants_must_confirm_they_are_eligible(world):
    opportunity = opportunity_made(world)
    with pytest.raises(services.Refused, match="eligible"):
        application_made(
            world,
            opportunity,
            world.charity,
            by=world.user("charity_officer"),
            eligibility_confirmed=False,
        )


def test_an_award_needs_a_successful_application(story):
    with pytest.raises(services.Refused, match="successful"):
        award_made(story, application=story.things["lost"])


def test_history_is_append_only(story):
    event = FundingEvent.objects.first()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


@pytest.mark.parametrize(
    "amount,returns,flagged",
    [
        ("10000", 1, False),
        ("10000", 2, True),
        ("10000.01", 2, False),
        ("100000", 3, True),
        ("250000", 4, False),
        ("250000", 5, True),
    ],
)
def test_monitoring_above_the_band_is_flagged(amount, returns, flagged):
    assert bool(monitoring_flag(Decimal(amount), returns)) is flagged
    assert band_for(Decimal(amount)).max_returns_per_year >= 1


def test_the_shipped_compacts_give_their_funding_obligations(shipped_compacts, world):
    """Leicester's annex B and City Together's commissioning code, as shipped."""
    from localcompact.compacts.models import Compact

    leicester = Compact.objects.get(slug="leicester").current_version
    city = Compact.objects.get(slug="city-together").current_version
    officer = world.user("council_officer")
    grant = services.award_create(
        funder=world.council,
        recipient=world.charity,
        version=leicester,
        by=officer,
        today=TODAY,
        kind="grant",
        title="Leicester grant",
        description="A grant.",
        amount=Decimal("5000"),
        overheads=Decimal("500"),
        award_date=TODAY - 5 * DAY,
        agreed_on=TODAY - 3 * DAY,
        starts_on=TODAY + 30 * DAY,
        ends_on=TODAY + 300 * DAY,
    )
    assert set(of(grant)) == {"funding-confirmed-before-start", "grants-include-overheads"}
    assert of(grant)["funding-confirmed-before-start"].due_on == TODAY + 30 * DAY - relativedelta(
        months=2
    )
    payment = services.payment_schedule(
        award=grant,
        due_on=TODAY + 20 * DAY,
        amount=Decimal("5000"),
        expenditure_starts_on=TODAY + 30 * DAY,
        note="",
        by=officer,
        today=TODAY,
    )
    assert set(of(payment)) == {"payment-on-time", "payment-in-advance"}

    lunch = Award.objects.get(pk=grant.pk)
    lunch.pk = None
    lunch.version = city
    lunch.title = "City agreement"
    lunch.save()
    notice = services.wind_down_give(
        award=lunch,
        service_ends_on=TODAY + 200 * DAY,
        given_on=TODAY,
        reason="Ending.",
        by=world.user("charity_officer"),
        today=TODAY,
    )
    [obligation] = of(notice).values()
    assert obligation.standard.ident == "commissioning-wind-down-notice"
    assert obligation.status == Status.MET
    assert obligation.due_on == TODAY + 200 * DAY - relativedelta(months=3)
    assert isinstance(obligation.due_on, dt.date)
