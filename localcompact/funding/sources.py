"""How funding records turn into obligations, by the standards of their compact version.

Nothing here names a compact: a record looks at its version's standards whose
`applies_to` it answers for, and reads each one's rule. What each record answers for:

- an Application answers for `funding-decision` standards that are notice before
  `project-start` with the period agreed (due on the opportunity's agreed decision date,
  met when the applicant was told), and for required records of `outcome` and
  `reasons-for-lack-of-success` (due at the decision, met when decided, with reasons if
  unsuccessful);
- an Award answers for `funding-decision` notice before `project-start` with a fixed
  period (met when the amount was confirmed), required records of overheads, risks and
  delivery terms (due at the decision or the start, as the standard's `by` says),
  `monitoring` records (due at the agreement, met when the monitoring plan was
  recorded) and `funding-end` notice (the period before the end, or the agreed date);
- a Payment answers for `payment` standards: respond within an agreed limit after the
  agreement (due on its scheduled date) and notice before `expenditure-start` (the
  period before its spending begins), both met when paid;
- a WindDownNotice answers for `service-wind-down` notice before `service-ends`, met
  when notice was given.

Who owes it comes from the standard's party: a party of the public sector is the funder's
side, one of the voluntary and community sector the recipient's. A standard whose fields
no record here can show is left alone (it stays for the activity recorder).
"""

import datetime as dt
from collections.abc import Callable

from localcompact.compacts.models import CompactVersion, Standard
from localcompact.obligations.services import Declared
from localcompact.rulebook import NoticeBeforeEvent, RequiredRecord, RespondWithin

FUNDER, RECIPIENT = "funder", "recipient"

# Fields of a required record, and the date each record came to show it (None: not yet).
APPLICATION_FIELDS: dict[str, Callable] = {
    "outcome": lambda a: a.decided_on if a.is_decided else None,
    "reasons-for-lack-of-success": lambda a: (
        (a.decided_on if a.status == a.Status.SUCCESSFUL or a.reasons.strip() else None)
        if a.is_decided
        else None
    ),
}


def _first_risk_on(award, *, owners: bool) -> dt.date | None:
    risks = list(award.risks.all())
    if not risks or (owners and any(not r.held_by for r in risks)):
        return None
    return min(r.recorded_on for r in risks)


def _monitoring(award, field: str) -> dt.date | None:
    return award.monitoring_recorded_on if getattr(award, field).strip() else None


AWARD_FIELDS: dict[str, Callable] = {
    "overhead-costs-included": lambda a: a.award_date if a.overheads > 0 else None,
    "risks": lambda a: _first_risk_on(a, owners=False),
    "risk-owners": lambda a: _first_risk_on(a, owners=True),
    "risks-accepted": lambda a: (
        a.terms_accepted_on if _first_risk_on(a, owners=True) is not None else None
    ),
    "terms-of-delivery": lambda a: a.terms_accepted_on,
    "funding-amount": lambda a: a.monitoring_recorded_on,
    "monitoring-requirements": lambda a: _monitoring(a, "monitoring_requirements"),
    "proportionality-statement": lambda a: _monitoring(a, "proportionality_statement"),
    "outcome-measures": lambda a: _monitoring(a, "outcome_measures"),
}


def standards_for(version: CompactVersion, *applies_to: str) -> list[Standard]:
    return list(
        Standard.objects.filter(version=version, applies_to__in=applies_to).select_related(
            "version", "code", "source"
        )
    )


def side_of(standard: Standard) -> str:
    """The funder's side for a public-sector party, the recipient's for a VCS one."""
    sectors = set()
    for party in standard.version.parties.all():
        if party.ident == standard.owed_by:
            sectors = set(party.sectors)
    return RECIPIENT if sectors == {"vcs"} else FUNDER


def _recorded_on(fields: dict[str, Callable], names, record) -> dt.date | None:
    """The day the record came to show every field (the latest of them), or None."""
    days = [fields[name](record) for name in names]
    return None if any(day is None for day in days) else max(days)


def _declared(standard, *, key, title, due_on, met_on, funder, recipient) -> Declared:
    owes, owed = (funder, recipient) if side_of(standard) == FUNDER else (recipient, funder)
    return Declared(
        key=key,
        standard=standard,
        summary=f"{standard.title}: {title}",
        due_on=due_on,
        owed_by=owes,
        owed_to=(owed,),
        met_on=met_on,
    )


def application_declared(application) -> list[Declared]:
    if application.status == application.Status.WITHDRAWN:
        return []
    opportunity = application.opportunity
    declared = []
    for standard in standards_for(opportunity.version, "funding-decision"):
        rule = standard.rule()
        due_on = met_on = None
        if isinstance(rule, NoticeBeforeEvent) and rule.event == "project-start":
            if rule.notice is not None:
                continue  # a fixed period: the award's confirmation of the amount
            due_on, met_on = opportunity.decisions_by, application.notified_on
        elif isinstance(rule, RequiredRecord) and set(rule.fields) <= set(APPLICATION_FIELDS):
            due_on = application.decided_on or opportunity.decisions_by
            met_on = _recorded_on(APPLICATION_FIELDS, rule.fields, application)
        else:
            continue
        declared.append(
            _declared(
                standard,
                key=standard.ident,
                title=f"{application.applicant.name}, {opportunity.title}",
                due_on=due_on,
                met_on=met_on,
                funder=opportunity.funder,
                recipient=application.applicant,
            )
        )
    return declared


def _award_due(award, standard, rule) -> tuple[dt.date, dt.date | None] | None:
    """(due, met) for one of the award's standards, or None if it is not the award's."""
    calendar = standard.version.calendar
    if standard.applies_to == "funding-decision":
        if isinstance(rule, NoticeBeforeEvent) and rule.event == "project-start":
            if rule.notice is None:
                return None  # agreed notice of the decision: the application's
            return rule.latest_notice_date(award.starts_on, calendar), award.confirmed_on
        if isinstance(rule, RequiredRecord) and set(rule.fields) <= set(AWARD_FIELDS):
            due_on = award.starts_on if rule.by == "project-start" else award.award_date
            return due_on, _recorded_on(AWARD_FIELDS, rule.fields, award)
        return None
    if standard.applies_to == "monitoring" and isinstance(rule, RequiredRecord):
        if not set(rule.fields) <= set(AWARD_FIELDS):
            return None
        return award.agreed_on, _recorded_on(AWARD_FIELDS, rule.fields, award)
    if standard.applies_to == "funding-end" and isinstance(rule, NoticeBeforeEvent):
        due_on = rule.latest_notice_date(award.ends_on, calendar) or award.end_notice_due_on
        if due_on is None:
            return None  # the notice is agreed per award, and not agreed yet
        return due_on, award.end_notice_given_on
    return None


def award_declared(award) -> list[Declared]:
    declared = []
    for standard in standards_for(award.version, "funding-decision", "monitoring", "funding-end"):
        dates = _award_due(award, standard, standard.rule())
        if dates is None:
            continue
        due_on, met_on = dates
        declared.append(
            _declared(
                standard,
                key=standard.ident,
                title=award.title,
                due_on=due_on,
                met_on=met_on,
                funder=award.funder,
                recipient=award.recipient,
            )
        )
    return declared


def payment_declared(payment) -> list[Declared]:
    award = payment.award
    declared = []
    for standard in standards_for(award.version, "payment"):
        rule = standard.rule()
        calendar = standard.version.calendar
        if isinstance(rule, RespondWithin):
            due_on = rule.due_date(award.agreed_on, calendar, agreed_due=payment.due_on)
        elif isinstance(rule, NoticeBeforeEvent) and rule.event == "expenditure-start":
            due_on = rule.latest_notice_date(payment.expenditure_starts_on, calendar)
        else:
            continue
        if due_on is None:
            continue
        declared.append(
            _declared(
                standard,
                key=standard.ident,
                title=f"£{payment.amount:,.2f} of {award.title}",
                due_on=due_on,
                met_on=payment.paid_on,
                funder=award.funder,
                recipient=award.recipient,
            )
        )
    return declared


def wind_down_declared(notice) -> list[Declared]:
    award = notice.award
    declared = []
    for standard in standards_for(award.version, "service-wind-down"):
        rule = standard.rule()
        if not isinstance(rule, NoticeBeforeEvent):
            continue
        due_on = rule.latest_notice_date(notice.service_ends_on, standard.version.calendar)
        if due_on is None:
            continue
        declared.append(
            _declared(
                standard,
                key=standard.ident,
                title=f"{award.title}, ending {notice.service_ends_on:%-d %B %Y}",
                due_on=due_on,
                met_on=notice.given_on,
                funder=award.funder,
                recipient=award.recipient,
            )
        )
    return declared
