"""Demo funding and commissioning, dated around the day the demo first runs.

- Northfield City Council's commissioning plan for young people's wellbeing goes
  through all four stages (Herefordshire), with sector involvement in each, and leads
  to a service agreement tendered to two organisations (one unsuccessful, with reasons).
- Its community grants programme (Leicester) has three applications: two successful,
  one unsuccessful with reasons (told late). The two grants have payment schedules:
  one grant's amount was confirmed two months ahead and its first payment made in
  advance; the other's was confirmed late and its first payment made late.
- Westshire Health's lunch club agreement (City Together) gets a provider's
  wind-down notice with less than the three months the code asks for.

Everything is made through the services, so the obligations exist; each source is
synced again on the demo's day at the end so their statuses are those of today.
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from localcompact.obligations.services import obligations_sync
from localcompact.organisations.models import Identifier, Organisation, Scheme

from . import services
from .models import Application, Award, Involvement, Payment, WindDownNotice

IDENTIFIERS = {
    # invented numbers, in the right shape for each scheme
    "northfield-council": (Scheme.LOCAL_AUTHORITY_ENGLAND, "NFC"),
    "northfield-community-action": (Scheme.CHARITY_ENGLAND_WALES, "1190001"),
    "riverside-youth-trust": (Scheme.CHARITY_ENGLAND_WALES, "1190002"),
    "westshire-health": (Scheme.NHS, "W1H"),
}


def seed(demo) -> str:
    today = demo.today
    people, orgs = demo.people, dict(demo.organisations)
    olivia, cara = people["olivia"], people["cara"]
    day = dt.timedelta(days=1)

    def ago(n):
        return today - n * day

    for slug, (scheme, value) in IDENTIFIERS.items():
        Identifier.objects.get_or_create(
            scheme=scheme, value=value, defaults={"organisation": orgs[slug]}
        )
    orgs["eastgate-food-bank"], _ = Organisation.objects.get_or_create(
        slug="eastgate-food-bank", defaults={"name": "Eastgate Food Bank", "sector": "vcs"}
    )
    council, action, youth, health, food = (
        orgs["northfield-council"],
        orgs["northfield-community-action"],
        orgs["riverside-youth-trust"],
        orgs["westshire-health"],
        orgs["eastgate-food-bank"],
    )
    leicester = demo.compact("leicester").current_version
    hereford = demo.compact("herefordshire").current_version
    city = demo.compact("city-together").current_version

    # --- A commissioning plan through all four stages --------------------------------
    plan = services.plan_create(
        version=hereford,
        commissioner=council,
        title="Young people's wellbeing services, 2026 to 2029",
        summary="Mental health and wellbeing support for young people aged 11 to 19 across "
        "Northfield, commissioned with the voluntary and community sector.",
        by=olivia,
        today=ago(300),
    )
    stages = [
        (
            Involvement.Kind.NEEDS_ANALYSIS,
            300,
            "Needs analysis group with youth charities "
            "and school nurses, looking at referral figures and waiting times.",
        ),
        (
            Involvement.Kind.PRIORITIES,
            250,
            "Eight-week consultation on priorities; youth groups ran sessions with their members.",
        ),
        (
            Involvement.Kind.PROCUREMENT,
            200,
            "Briefing for possible providers before the "
            "tender opened, with the infrastructure body.",
        ),
        (
            Involvement.Kind.REVIEW,
            20,
            "Review meeting with the provider, young people and "
            "the VCS forum on the first months of the service.",
        ),
    ]
    for kind, days, text in stages:
        services.involvement_record(
            plan=plan,
            kind=kind,
            held_on=ago(days),
            description=text,
            organisations=[action, youth],
            consultation="",
            by=olivia,
            today=ago(days),
        )
        services.plan_advance(plan=plan, note="", by=olivia, today=ago(days - 1))

    agreement = services.opportunity_create(
        version=hereford,
        funder=council,
        plan=plan,
        kind="service_agreement",
        code="youth-wellbeing-service",
        title="Young people's wellbeing service",
        description="A three-year service agreement for wellbeing support for young people.",
        criteria="Quality of the service model (50%), involvement of young people (30%), "
        "cost (20%).",
        decision_method="A panel of two council officers and a young people's representative "
        "scores each tender against the criteria.",
        criteria_decided_on=ago(215),
        outputs="Four hundred young people supported each year.",
        outcomes="Improved wellbeing scores; shorter waits for support.",
        amount_available=Decimal("180000"),
        social_clause=True,
        social_clause_details="Apprenticeships for local young people.",
        overheads_eligible=True,
        opens_on=ago(210),
        closes_on=ago(180),
        decisions_by=ago(160),
        service_starts_on=ago(120),
        by=olivia,
        today=ago(215),
    )
    services.opportunity_open(opportunity=agreement, by=olivia, today=ago(210))
    tender_youth = services.application_submit(
        opportunity=agreement,
        applicant=youth,
        title="Riverside wellbeing hubs",
        summary="Drop-in hubs in three youth centres, with online support.",
        direct_costs=Decimal("150000"),
        overheads=Decimal("27000"),
        overheads_basis="Management and premises, shared by floor area",
        eligibility_confirmed=True,
        by=olivia,
        today=ago(190),
    )
    tender_action = services.application_submit(
        opportunity=agreement,
        applicant=action,
        title="Wellbeing in schools",
        summary="Counsellors in secondary schools.",
        direct_costs=Decimal("160000"),
        overheads=Decimal("20000"),
        overheads_basis="",
        eligibility_confirmed=True,
        by=cara,
        today=ago(185),
    )
    services.opportunity_close(opportunity=agreement, by=olivia, today=ago(180))
    services.application_decide(
        application=tender_youth,
        successful=True,
        reasons="Strongest involvement of young people.",
        decided_on=ago(165),
        notified_on=ago(164),
        by=olivia,
        today=ago(165),
    )
    services.application_decide(
        application=tender_action,
        successful=False,
        reasons="Scored lower on involving young people in design; the schools model "
        "reached fewer young people outside term time.",
        decided_on=ago(165),
        notified_on=ago(164),
        by=olivia,
        today=ago(165),
    )
    contract = services.award_create(
        funder=council,
        recipient=youth,
        version=hereford,
        application=tender_youth,
        kind="service_agreement",
        title="Young people's wellbeing service",
        description="Wellbeing hubs in three youth centres, with online support.",
        amount=Decimal("177000"),
        overheads=Decimal("27000"),
        award_date=ago(165),
        agreed_on=ago(150),
        starts_on=ago(120),
        ends_on=ago(120) + relativedelta(years=3) - day,
        length_reason="Three years, to match the plan's outcomes and let the hubs settle.",
        by=olivia,
        today=ago(165),
    )
    services.payment_schedule(
        award=contract,
        due_on=ago(125),
        amount=Decimal("59000"),
        expenditure_starts_on=ago(120),
        note="First year",
        by=olivia,
        today=ago(150),
    )
    services.payment_record_paid(
        payment=contract.payments.get(), paid_on=ago(126), by=olivia, today=ago(126)
    )

    # --- A grant programme, three applications ---------------------------------------
    grants = services.opportunity_create(
        version=leicester,
        funder=council,
        plan=None,
        kind="grant",
        code="northfield-community-grants",
        title="Northfield community grants",
        description="One-year grants for community projects that reduce isolation.",
        criteria="Reach into isolated groups; involvement of the people served; value for money.",
        decision_method="Officers score each application; the grants panel decides.",
        criteria_decided_on=ago(205),
        outputs="Projects running in every ward.",
        outcomes="Fewer people reporting they feel isolated.",
        amount_available=Decimal("40000"),
        social_clause=False,
        social_clause_details="",
        overheads_eligible=True,
        opens_on=ago(200),
        closes_on=ago(170),
        decisions_by=ago(150),
        service_starts_on=ago(60),
        by=olivia,
        today=ago(205),
    )
    services.opportunity_open(opportunity=grants, by=olivia, today=ago(200))
    advice = services.application_submit(
        opportunity=grants,
        applicant=action,
        title="Community advice sessions",
        summary="Weekly advice sessions in community centres.",
        direct_costs=Decimal("20000"),
        overheads=Decimal("4000"),
        overheads_basis="A sixth of the charity's running costs",
        eligibility_confirmed=True,
        by=cara,
        today=ago(190),
    )
    club = services.application_submit(
        opportunity=grants,
        applicant=youth,
        title="Youth club evenings",
        summary="Two evening sessions a week for young people.",
        direct_costs=Decimal("7000"),
        overheads=Decimal("1000"),
        overheads_basis="",
        eligibility_confirmed=True,
        by=olivia,
        today=ago(185),
    )
    pantry = services.application_submit(
        opportunity=grants,
        applicant=food,
        title="Community pantry",
        summary="A weekly pantry with a social café.",
        direct_costs=Decimal("15000"),
        overheads=Decimal("2000"),
        overheads_basis="",
        eligibility_confirmed=True,
        by=olivia,
        today=ago(180),
    )
    services.opportunity_close(opportunity=grants, by=olivia, today=ago(170))
    for application, ok, reasons, told in [
        (advice, True, "", ago(155)),
        (club, True, "", ago(155)),
        (
            pantry,
            False,
            "The programme was oversubscribed; the panel preferred projects reaching wards "
            "with no current provision. The pantry's ward already has one.",
            ago(140),
        ),
    ]:
        services.application_decide(
            application=application,
            successful=ok,
            reasons=reasons,
            decided_on=ago(156),
            notified_on=told,
            by=olivia,
            today=ago(156),
        )

    def grant_award(application, title, amount, overheads):
        return services.award_create(
            funder=council,
            recipient=application.applicant,
            version=leicester,
            application=application,
            kind="grant",
            title=title,
            description=application.summary,
            amount=amount,
            overheads=overheads,
            award_date=ago(156),
            agreed_on=ago(150),
            starts_on=ago(60),
            ends_on=ago(60) + relativedelta(years=1) - day,
            length_reason="One year, the length of the programme.",
            by=olivia,
            today=ago(156),
        )

    advice_grant = grant_award(advice, "Community advice sessions", Decimal("24000"), Decimal(4000))
    club_grant = grant_award(club, "Youth club evenings", Decimal("8000"), Decimal(1000))
    # on time: confirmed more than two months ahead; late: a month ahead
    services.award_confirm(award=advice_grant, confirmed_on=ago(150), by=olivia, today=ago(150))
    services.award_confirm(award=club_grant, confirmed_on=ago(90), by=olivia, today=ago(90))
    for award, parts in ((advice_grant, 4), (club_grant, 2)):
        share = award.amount / parts
        for n in range(parts):
            starts = ago(60) + relativedelta(months=12 // parts * n)
            services.payment_schedule(
                award=award,
                due_on=starts - 7 * day,
                amount=share,
                expenditure_starts_on=starts,
                note=f"Instalment {n + 1} of {parts}",
                by=olivia,
                today=ago(150),
            )
    first_advice, first_club = (
        advice_grant.payments.order_by("due_on").first(),
        club_grant.payments.order_by("due_on").first(),
    )
    services.payment_record_paid(payment=first_advice, paid_on=ago(70), by=olivia, today=ago(70))
    services.payment_record_paid(payment=first_club, paid_on=ago(45), by=olivia, today=ago(45))
    services.award_monitoring_set(
        award=advice_grant,
        monitoring_requirements="A short report every six months on sessions held and "
        "people helped.",
        returns_per_year=2,
        proportionality_statement="A medium-sized grant: two light returns a year.",
        outcome_measures="People helped; problems resolved.",
        by=olivia,
        today=ago(150),
    )
    services.award_monitoring_set(
        award=club_grant,
        monitoring_requirements="Quarterly attendance figures and a case study.",
        returns_per_year=4,
        proportionality_statement="Matches the council's standard return.",
        outcome_measures="Attendance; young people's own ratings.",
        by=olivia,
        today=ago(150),
    )
    services.risk_record(
        award=advice_grant,
        description="Demand outstrips the sessions available.",
        held_by="recipient",
        mitigation="Waiting list and referral to the council's own advice line.",
        by=olivia,
        today=ago(150),
    )
    services.risk_record(
        award=advice_grant,
        description="Community centre rooms become unavailable.",
        held_by="funder",
        mitigation="The council finds other rooms in its buildings.",
        by=olivia,
        today=ago(150),
    )
    services.award_recipient_terms(
        award=advice_grant,
        terms_accepted_on=ago(149),
        end_plan="Seek other funding six months before the end; tell clients in good time.",
        by=cara,
        today=ago(149),
    )
    first_return = services.return_expect(
        award=advice_grant,
        period="First six months",
        due_on=today + 120 * day,
        by=olivia,
        today=ago(150),
    )
    del first_return
    services.change_record(
        award=advice_grant,
        summary="Payments move from quarterly to monthly from next year.",
        consultation="Consultation on grant payment arrangements (VCS forum, reference "
        "NCC-GRANTS-01)",
        consulted_from=ago(30),
        takes_effect_on=today + 100 * day,
        by=olivia,
        today=ago(5),
    )

    # --- A provider winds a service down ---------------------------------------------
    lunch = services.award_create(
        funder=health,
        recipient=action,
        version=city,
        kind="service_agreement",
        title="Older people's lunch club",
        description="A weekly lunch club with health checks for older residents.",
        amount=Decimal("12000"),
        overheads=Decimal("1500"),
        award_date=ago(400),
        agreed_on=ago(380),
        starts_on=ago(365),
        ends_on=today + 365 * day,
        length_reason="Two years, agreed with the health partnership.",
        by=olivia,
        today=ago(400),
    )
    services.payment_schedule(
        award=lunch,
        due_on=ago(365),
        amount=Decimal("6000"),
        expenditure_starts_on=ago(365),
        note="First year",
        by=olivia,
        today=ago(380),
    )
    services.payment_record_paid(
        payment=lunch.payments.get(), paid_on=ago(366), by=olivia, today=ago(366)
    )
    services.wind_down_give(
        award=lunch,
        service_ends_on=today + 60 * day,
        given_on=ago(10),
        reason="The hall the club uses is closing and no other hall is accessible.",
        by=cara,
        today=ago(10),
    )

    # Statuses as of the demo's day.
    sources = [
        *Application.objects.all(),
        *Award.objects.all(),
        *Payment.objects.all(),
        *WindDownNotice.objects.all(),
    ]
    for source in sources:
        obligations_sync(source=source, today=today, by=people["support"])
    return (
        f"Funding: 1 commissioning plan, {Award.objects.count()} awards, "
        f"{Application.objects.count()} applications, {Payment.objects.count()} payments."
    )
