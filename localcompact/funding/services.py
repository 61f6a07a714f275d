"""Writes for funding and commissioning: each atomic, audited, and keeping obligations true.

Every write that changes a source of obligations (an application, an award, a payment, a
wind-down notice) calls `obligations_sync` on it; state moves lock the row first and are
refused, with a message the form shows, when they do not make sense.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from localcompact.compacts.models import CompactVersion
from localcompact.core.logging import audit_log
from localcompact.obligations.services import obligations_sync
from localcompact.organisations.models import Organisation

from .models import (
    STAGE_ORDER,
    Application,
    Award,
    CommissioningPlan,
    FundingChange,
    FundingEvent,
    Involvement,
    MonitoringReturn,
    Opportunity,
    Payment,
    Risk,
    Stage,
    WindDownNotice,
)


class Refused(Exception):
    """A write that cannot be made; `message` says why, for the form. `field` is the
    form field it is about, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _event(*, kind: str, today: dt.date, by, note: str = "", **about) -> FundingEvent:
    return FundingEvent.objects.create(kind=kind, on=today, by=by, note=note, **about)


# --- Commissioning plans -----------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    version: CompactVersion,
    commissioner: Organisation,
    title: str,
    summary: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> CommissioningPlan:
    plan = CommissioningPlan.objects.create(
        version=version, commissioner=commissioner, title=title, summary=summary, created_by=by
    )
    _event(kind="plan.created", today=today, by=by, plan=plan, note="Stage: analyse")
    audit_log("funding.plan.created", plan=plan.pk)
    return plan


@transaction.atomic
def involvement_record(
    *,
    plan: CommissioningPlan,
    kind: str,
    held_on: dt.date,
    description: str,
    organisations,
    consultation: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> Involvement:
    """Record how the VCS took part, in the plan's current stage."""
    plan = CommissioningPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.completed_on is not None:
        raise Refused("The plan's review is finished; nothing more can be added to it.")
    involvement = Involvement.objects.create(
        plan=plan,
        stage=plan.stage,
        kind=kind,
        held_on=held_on,
        description=description,
        consultation=consultation,
        recorded_by=by,
    )
    involvement.organisations.set(organisations)
    _event(
        kind="plan.involvement",
        today=today,
        by=by,
        plan=plan,
        note=f"{involvement.get_kind_display()} in the {plan.get_stage_display().lower()} stage",
    )
    return involvement


@transaction.atomic
def plan_advance(
    *, plan: CommissioningPlan, note: str, by: AbstractBaseUser, today: dt.date
) -> CommissioningPlan:
    """Move the plan to its next stage, or finish the review.

    Refused while the current stage has no VCS involvement recorded: the third sector
    takes part in every stage of the cycle (003, commissioning appendix 4).
    """
    plan = CommissioningPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.completed_on is not None:
        raise Refused("The plan has been through every stage already.")
    if not plan.involvements.filter(stage=plan.stage).exists():
        raise Refused(
            f"Record how the voluntary and community sector took part in the "
            f"{plan.get_stage_display().lower()} stage before moving on (003, "
            "commissioning appendix 4: the sector contributes to each stage of the cycle)."
        )
    index = STAGE_ORDER.index(Stage(plan.stage))
    if index == len(STAGE_ORDER) - 1:
        plan.completed_on = today
        plan.save(update_fields=["completed_on"])
        text = "Review finished"
    else:
        plan.stage = STAGE_ORDER[index + 1]
        plan.save(update_fields=["stage"])
        text = f"Stage: {plan.get_stage_display().lower()}"
    _event(kind="plan.advanced", today=today, by=by, plan=plan, note=f"{text}. {note}".strip())
    audit_log("funding.plan.advanced", plan=plan.pk, stage=plan.stage)
    return plan


# --- Opportunities -----------------------------------------------------------------------


@transaction.atomic
def opportunity_create(*, by: AbstractBaseUser, today: dt.date, **fields) -> Opportunity:
    if fields["closes_on"] < fields["opens_on"]:
        raise Refused("The closing date must be on or after the opening date", "closes_on")
    opportunity = Opportunity.objects.create(created_by=by, **fields)
    _event(kind="opportunity.created", today=today, by=by, opportunity=opportunity)
    audit_log("funding.opportunity.created", opportunity=opportunity.pk)
    return opportunity


@transaction.atomic
def opportunity_open(
    *, opportunity: Opportunity, by: AbstractBaseUser, today: dt.date
) -> Opportunity:
    """Open it for applications.

    Refused until its criteria and how decisions will be made have been stated and
    formally decided, on or before the day it opens (004, Annex B e).
    """
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.DRAFT:
        raise Refused("Only an opportunity being prepared can be opened.")
    if not opportunity.criteria.strip() or not opportunity.decision_method.strip():
        raise Refused(
            "State the criteria and how decisions will be made before it opens (004, Annex B e)."
        )
    decided = opportunity.criteria_decided_on
    if decided is None or decided > max(today, opportunity.opens_on):
        raise Refused(
            "Record when the criteria were formally decided: it must be before applications "
            "open (004, Annex B e)."
        )
    opportunity.status = Opportunity.Status.OPEN
    opportunity.save(update_fields=["status"])
    _event(kind="opportunity.opened", today=today, by=by, opportunity=opportunity)
    audit_log("funding.opportunity.opened", opportunity=opportunity.pk)
    return opportunity


@transaction.atomic
def opportunity_close(
    *, opportunity: Opportunity, by: AbstractBaseUser, today: dt.date
) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.OPEN:
        raise Refused("Only an open opportunity can be closed.")
    opportunity.status = Opportunity.Status.CLOSED
    opportunity.save(update_fields=["status"])
    _event(kind="opportunity.closed", today=today, by=by, opportunity=opportunity)
    return opportunity


# --- Applications ------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    opportunity: Opportunity,
    applicant: Organisation,
    title: str,
    summary: str,
    direct_costs: Decimal,
    overheads: Decimal,
    overheads_basis: str,
    eligibility_confirmed: bool,
    by: AbstractBaseUser,
    today: dt.date,
) -> Application:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.OPEN:
        raise Refused("This opportunity is not open for applications.")
    if not eligibility_confirmed:
        raise Refused(
            "Confirm that your organisation is eligible (002, funding and commissioning "
            "code, voluntary and community sector undertaking 2).",
            "eligibility_confirmed",
        )
    if overheads > 0 and not opportunity.overheads_eligible:
        raise Refused(
            "This opportunity does not accept overheads. The cost is flagged on its page.",
            "overheads",
        )
    if (
        Application.objects.filter(opportunity=opportunity, applicant=applicant)
        .exclude(status=Application.Status.WITHDRAWN)
        .exists()
    ):
        raise Refused(f"{applicant.name} has already applied to this opportunity.")
    application = Application.objects.create(
        opportunity=opportunity,
        applicant=applicant,
        title=title,
        summary=summary,
        direct_costs=direct_costs,
        overheads=overheads,
        overheads_basis=overheads_basis,
        eligibility_confirmed=True,
        submitted_on=today,
        submitted_by=by,
    )
    _event(kind="application.submitted", today=today, by=by, application=application)
    obligations_sync(source=application, today=today, by=by)
    audit_log("funding.application.submitted", application=application.pk)
    return application


@transaction.atomic
def application_decide(
    *,
    application: Application,
    successful: bool,
    reasons: str,
    decided_on: dt.date,
    notified_on: dt.date | None,
    by: AbstractBaseUser,
    today: dt.date,
) -> Application:
    """Record the outcome; the unsuccessful must be given reasons (000, commissioning 5)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise Refused("This application has already been decided or withdrawn.")
    if not successful and not reasons.strip():
        raise Refused(
            "Give the reasons it was not successful (000, commissioning code, public "
            "sector undertaking 5).",
            "reasons",
        )
    if decided_on > today:
        raise Refused("The decision date cannot be in the future", "decided_on")
    if notified_on is not None and notified_on < decided_on:
        raise Refused("The applicant cannot be told before the decision", "notified_on")
    application.status = (
        Application.Status.SUCCESSFUL if successful else Application.Status.UNSUCCESSFUL
    )
    application.reasons = reasons.strip()
    application.decided_on = decided_on
    application.notified_on = notified_on
    application.save(update_fields=["status", "reasons", "decided_on", "notified_on"])
    _event(
        kind="application.decided",
        today=today,
        by=by,
        application=application,
        note=application.get_status_display(),
    )
    obligations_sync(source=application, today=today, by=by)
    audit_log("funding.application.decided", application=application.pk, to=application.status)
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, reason: str, by: AbstractBaseUser, today: dt.date
) -> Application:
    """The applicant takes back an application not yet decided. The funder owes it no
    decision any more, so its obligations close as no longer owed; it stays on record."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise Refused(
            "Only an application that has not been decided can be withdrawn. This one is "
            f"{application.get_status_display().lower()}."
        )
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status"])
    _event(
        kind="application.withdrawn",
        today=today,
        by=by,
        application=application,
        note=reason.strip(),
    )
    obligations_sync(source=application, today=today, by=by)
    audit_log("funding.application.withdrawn", application=application.pk)
    return application


@transaction.atomic
def application_notify(
    *, application: Application, notified_on: dt.date, by: AbstractBaseUser, today: dt.date
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_decided:
        raise Refused("Decide the application before recording that the applicant was told.")
    if notified_on < application.decided_on:
        raise Refused("The applicant cannot be told before the decision", "notified_on")
    application.notified_on = notified_on
    application.save(update_fields=["notified_on"])
    _event(kind="application.notified", today=today, by=by, application=application)
    obligations_sync(source=application, today=today, by=by)
    return application


# --- Awards ------------------------------------------------------------------------------


@transaction.atomic
def award_create(
    *,
    funder: Organisation,
    recipient: Organisation,
    version: CompactVersion,
    by: AbstractBaseUser,
    today: dt.date,
    application: Application | None = None,
    opportunity: Opportunity | None = None,
    **fields,
) -> Award:
    if fields["ends_on"] < fields["starts_on"]:
        raise Refused("The end date must be on or after the start date", "ends_on")
    if fields.get("overheads", 0) > fields["amount"]:
        raise Refused("The overheads cannot be more than the amount", "overheads")
    if funder.pk == recipient.pk:
        raise Refused("An organisation cannot fund itself", "recipient")
    if application is not None:
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.status != Application.Status.SUCCESSFUL:
            raise Refused("Only a successful application can become an award.")
        if Award.objects.filter(application=application).exists():
            raise Refused("This application already has its award.")
        opportunity = application.opportunity
    award = Award.objects.create(
        funder=funder,
        recipient=recipient,
        version=version,
        application=application,
        opportunity=opportunity,
        recorded_by=by,
        **fields,
    )
    _event(kind="award.created", today=today, by=by, award=award, note=f"£{award.amount:,.2f}")
    obligations_sync(source=award, today=today, by=by)
    audit_log("funding.award.created", award=award.pk)
    return award


def _award_update(award: Award, *, kind: str, note: str, by, today, **changes) -> Award:
    award = Award.objects.select_for_update().get(pk=award.pk)
    for name, value in changes.items():
        setattr(award, name, value)
    award.save(update_fields=list(changes))
    _event(kind=kind, today=today, by=by, award=award, note=note)
    obligations_sync(source=award, today=today, by=by)
    audit_log(f"funding.{kind}", award=award.pk)
    return award


@transaction.atomic
def award_confirm(*, award: Award, confirmed_on: dt.date, by, today: dt.date) -> Award:
    """Record when the amount was confirmed (004, Annex B q: two months ahead if possible)."""
    if confirmed_on > today:
        raise Refused("The date it was confirmed cannot be in the future", "confirmed_on")
    return _award_update(
        award,
        kind="award.confirmed",
        note=f"Amount confirmed on {confirmed_on}",
        by=by,
        today=today,
        confirmed_on=confirmed_on,
    )


@transaction.atomic
def award_monitoring_set(
    *,
    award: Award,
    monitoring_requirements: str,
    returns_per_year: int,
    proportionality_statement: str,
    outcome_measures: str,
    by,
    today: dt.date,
) -> Award:
    return _award_update(
        award,
        kind="award.monitoring",
        note=f"{returns_per_year} returns a year",
        by=by,
        today=today,
        monitoring_requirements=monitoring_requirements,
        returns_per_year=returns_per_year,
        proportionality_statement=proportionality_statement,
        outcome_measures=outcome_measures,
        monitoring_recorded_on=today,
    )


@transaction.atomic
def award_end_notice(
    *,
    award: Award,
    given_on: dt.date | None,
    due_on: dt.date | None,
    text: str,
    by,
    today: dt.date,
) -> Award:
    """Record the agreed date for notice of the end, and the notice when given."""
    if given_on is not None and given_on > today:
        raise Refused("The date notice was given cannot be in the future", "given_on")
    return _award_update(
        award,
        kind="award.end_notice",
        note="Notice of the end of funding" + (f" given on {given_on}" if given_on else " agreed"),
        by=by,
        today=today,
        end_notice_given_on=given_on,
        end_notice_due_on=due_on,
        end_notice_text=text,
    )


@transaction.atomic
def award_recipient_terms(
    *, award: Award, terms_accepted_on: dt.date | None, end_plan: str, by, today: dt.date
) -> Award:
    """The recipient's side: terms of delivery accepted, and its plan for the end."""
    if terms_accepted_on is not None and terms_accepted_on > today:
        raise Refused("The date cannot be in the future", "terms_accepted_on")
    return _award_update(
        award,
        kind="award.recipient_terms",
        note="Recipient's terms and plan for the end of funding",
        by=by,
        today=today,
        terms_accepted_on=terms_accepted_on,
        end_plan=end_plan,
    )


@transaction.atomic
def payment_schedule(
    *,
    award: Award,
    due_on: dt.date,
    amount: Decimal,
    expenditure_starts_on: dt.date,
    note: str,
    by,
    today: dt.date,
) -> Payment:
    award = Award.objects.select_for_update().get(pk=award.pk)
    scheduled = sum((p.amount for p in award.payments.all()), Decimal(0))
    if scheduled + amount > award.amount:
        raise Refused(
            f"The schedule would come to more than the award: £{award.amount - scheduled:,.2f} "
            "is left to schedule",
            "amount",
        )
    payment = Payment.objects.create(
        award=award,
        due_on=due_on,
        amount=amount,
        expenditure_starts_on=expenditure_starts_on,
        note=note,
    )
    _event(kind="payment.scheduled", today=today, by=by, award=award, note=f"£{amount:,.2f}")
    obligations_sync(source=payment, today=today, by=by)
    return payment


@transaction.atomic
def payment_record_paid(*, payment: Payment, paid_on: dt.date, by, today: dt.date) -> Payment:
    payment = Payment.objects.select_for_update().select_related("award").get(pk=payment.pk)
    if payment.paid_on is not None:
        raise Refused("This payment is already recorded as paid.")
    if paid_on > today:
        raise Refused("The date it was paid cannot be in the future", "paid_on")
    payment.paid_on = paid_on
    payment.save(update_fields=["paid_on"])
    _event(
        kind="payment.paid",
        today=today,
        by=by,
        award=payment.award,
        note=f"£{payment.amount:,.2f} paid on {paid_on}",
    )
    obligations_sync(source=payment, today=today, by=by)
    audit_log("funding.payment.paid", payment=payment.pk)
    return payment


@transaction.atomic
def return_expect(*, award: Award, period: str, due_on: dt.date, by, today) -> MonitoringReturn:
    item = MonitoringReturn.objects.create(award=award, period=period, due_on=due_on)
    _event(kind="return.expected", today=today, by=by, award=award, note=period)
    return item


@transaction.atomic
def return_receive(
    *, item: MonitoringReturn, received_on: dt.date, summary: str, by, today
) -> MonitoringReturn:
    item = MonitoringReturn.objects.select_for_update().get(pk=item.pk)
    if item.received_on is not None:
        raise Refused("This return has already been received.")
    if received_on > today:
        raise Refused("The date it was received cannot be in the future", "received_on")
    item.received_on, item.summary = received_on, summary
    item.save(update_fields=["received_on", "summary"])
    _event(kind="return.received", today=today, by=by, award=item.award, note=item.period)
    return item


@transaction.atomic
def return_review(
    *, item: MonitoringReturn, assessment: str, note: str, by, today
) -> MonitoringReturn:
    """Review a received return; a concern or recognition is recorded with it
    (000, commissioning 7: tackle poor performance, recognise excellent)."""
    item = MonitoringReturn.objects.select_for_update().get(pk=item.pk)
    if item.received_on is None:
        raise Refused("A return can be reviewed only once it has been received.")
    if item.reviewed_on is not None:
        raise Refused("This return has already been reviewed.")
    item.reviewed_on, item.assessment, item.review_note, item.reviewed_by = (
        today,
        assessment,
        note,
        by,
    )
    item.save(update_fields=["reviewed_on", "assessment", "review_note", "reviewed_by"])
    _event(
        kind="return.reviewed",
        today=today,
        by=by,
        award=item.award,
        note=f"{item.period}: {item.get_assessment_display()}",
    )
    return item


@transaction.atomic
def risk_record(
    *, award: Award, description: str, held_by: str, mitigation: str, by, today
) -> Risk:
    risk = Risk.objects.create(
        award=award,
        description=description,
        held_by=held_by,
        mitigation=mitigation,
        recorded_on=today,
    )
    _event(kind="risk.recorded", today=today, by=by, award=award, note=description[:200])
    obligations_sync(source=award, today=today, by=by)
    return risk


@transaction.atomic
def wind_down_give(
    *,
    award: Award,
    service_ends_on: dt.date,
    given_on: dt.date,
    reason: str,
    by,
    today: dt.date,
) -> WindDownNotice:
    """The provider's notice that it will wind the service down (000, third sector 6)."""
    if given_on > today:
        raise Refused("The date notice was given cannot be in the future", "given_on")
    if service_ends_on < given_on:
        raise Refused("The service must end after notice is given", "service_ends_on")
    notice = WindDownNotice.objects.create(
        award=award,
        service_ends_on=service_ends_on,
        given_on=given_on,
        reason=reason,
        recorded_by=by,
    )
    _event(
        kind="wind_down.given",
        today=today,
        by=by,
        award=award,
        note=f"Service to end on {service_ends_on}",
    )
    obligations_sync(source=notice, today=today, by=by)
    audit_log("funding.wind_down.given", award=award.pk)
    return notice


@transaction.atomic
def change_record(
    *,
    award: Award,
    summary: str,
    consultation: str,
    consulted_from: dt.date | None,
    takes_effect_on: dt.date,
    by,
    today: dt.date,
) -> FundingChange:
    """A change to the funding arrangements, with the consultation on it
    (004, Annex B m: consult in good time on significant changes)."""
    if consulted_from is None and not consultation.strip():
        raise Refused(
            "Say how the change was consulted on: link the consultation or give the date "
            "it began (004, Annex B m).",
            "consultation",
        )
    if consulted_from is not None and consulted_from > takes_effect_on:
        raise Refused(
            "The consultation must begin before the change takes effect", "consulted_from"
        )
    change = FundingChange.objects.create(
        award=award,
        summary=summary,
        consultation=consultation,
        consulted_from=consulted_from,
        takes_effect_on=takes_effect_on,
        recorded_by=by,
    )
    _event(kind="change.recorded", today=today, by=by, award=award, note=summary[:200])
    return change
