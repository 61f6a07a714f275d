"""Demo volunteering and inclusion records, made through the services: opportunities
(one without an expenses policy, one closed), interest, policies, three years of figures,
equality policies (one overdue for review), impact assessments and format requests."""

import datetime as dt

from .models import FormatRequest, Group, Opportunity
from .services import (
    assessment_record,
    equality_policy_save,
    figures_record,
    format_request_answer,
    format_request_make,
    interest_express,
    opportunity_create,
    opportunity_set_status,
    volunteering_policy_save,
)

DAY = dt.timedelta(days=1)


def _opportunity(**values) -> dict:
    base = {
        "skills": [],
        "skills_developed": "",
        "time_detail": "",
        "expenses_policy": "",
        "training": "",
        "recognition": "",
    }
    return {**base, **values}


def seed(demo) -> str | None:
    today = demo.today
    orgs, people = demo.organisations, demo.people
    action, council, trust = (
        orgs["northfield-community-action"],
        orgs["northfield-council"],
        orgs["riverside-youth-trust"],
    )
    cara, olivia = people["cara"], people["olivia"]

    befriending = opportunity_create(
        organisation=action,
        by=cara,
        data=_opportunity(
            title="Befriending volunteer",
            role="Visit an older person at home once a week for a chat and a cup of tea.",
            skills=["care"],
            skills_developed="Listening, confidence, knowledge of local services.",
            area="Northfield",
            time_asked="weekly",
            time_detail="About two hours, on a day that suits you",
            accessibility="Training rooms are step-free; we match visits to what you can do.",
            expenses_policy="Bus fares and mileage repaid monthly against receipts.",
            training="Two induction sessions and safeguarding training.",
            recognition="Yearly volunteers' celebration and references on request.",
            contact_name="Cara, volunteer coordinator",
            contact_email="volunteers@northfield-action.example.org",
        ),
    )
    opportunity_create(
        organisation=trust,
        by=cara,
        data=_opportunity(
            title="Youth club helper",
            role="Help run games and activities at the Tuesday evening youth club.",
            skills=["youth", "events"],
            area="Riverside",
            time_asked="weekly",
            accessibility="The hall has a ramp and an accessible toilet.",
            contact_name="Youth club lead",
            contact_email="club@riverside-youth.example.org",
        ),
    )
    opportunity_create(
        organisation=council,
        by=olivia,
        data=_opportunity(
            title="Park clean-up day",
            role="Join a one-day litter pick and planting in Northfield Park.",
            skills=["environment"],
            area="Northfield Park",
            time_asked="one_off",
            accessibility="Gloves and grabbers provided; seated tasks available.",
            expenses_policy="Lunch provided; travel repaid on the day.",
            contact_name="Parks volunteering team",
            contact_email="parks@northfield.example.org",
        ),
    )
    closed = opportunity_create(
        organisation=action,
        by=cara,
        data=_opportunity(
            title="Winter coat drive sorter",
            role="Sort donated coats for the winter appeal.",
            skills=["admin"],
            area="Northfield",
            time_asked="flexible",
            accessibility="Ground-floor warehouse.",
            expenses_policy="Travel repaid.",
            contact_name="Cara",
            contact_email="volunteers@northfield-action.example.org",
        ),
    )
    opportunity_set_status(opportunity=closed, status=Opportunity.Status.CLOSED, by=cara)
    interest_express(
        opportunity=befriending,
        name="Sam Example",
        email="sam@example.org",
        message="I am free on Wednesday afternoons.",
        user=None,
        site_url="http://127.0.0.1:8000",
    )

    volunteering_policy_save(
        organisation=action,
        by=cara,
        data={
            "recruitment": "Roles advertised here and at the library; an informal chat first.",
            "development": "Induction, a named supervisor and yearly training.",
            "retention": "Regular check-ins, thanks events and flexible hours.",
            "key_contact": "Cara, volunteer coordinator",
            "expenses": "Reasonable travel and food costs repaid monthly.",
        },
    )
    volunteering_policy_save(
        organisation=trust,
        by=cara,
        data={
            "recruitment": "Word of mouth.",
            "development": "",
            "retention": "",
            "key_contact": "",
            "expenses": "",
        },
    )
    for years_ago, (volunteers, hours, business) in enumerate(
        [(42, 3100, 6), (38, 2800, 4), (30, 2100, 2)], start=1
    ):
        figures_record(
            organisation=action,
            year=today.year - years_ago,
            volunteers=volunteers,
            hours=hours,
            business_volunteers=business,
            by=cara,
            today=today,
        )
        figures_record(
            organisation=council,
            year=today.year - years_ago,
            volunteers=volunteers * 2,
            hours=hours * 2,
            business_volunteers=business * 5,
            by=olivia,
            today=today,
        )

    equality_policy_save(
        organisation=action,
        by=cara,
        data={
            "kind": "statement",
            "summary": "We welcome everyone and adapt our services so that nobody is left out.",
            "monitoring": "We ask users about their background once a year, anonymously.",
            "adopted_on": today - 400 * DAY,
            "review_on": today + 330 * DAY,
            "url": "",
        },
    )
    equality_policy_save(
        organisation=council,
        by=olivia,
        data={
            "kind": "policy",
            "summary": "The council's equality scheme and its yearly action plan.",
            "monitoring": "Service take-up is monitored by protected characteristic each quarter.",
            "adopted_on": today - 800 * DAY,
            "review_on": today - 30 * DAY,
            "url": "",
        },
    )
    assessment_record(
        organisation=council,
        by=olivia,
        today=today,
        data={
            "title": "Community hall hire charges",
            "subject": "policy",
            "subject_url": "",
            "assessed_on": today - 20 * DAY,
            "groups": [Group.ISOLATION, Group.OLDER, Group.DISABILITY, Group.EXCLUDED],
            "findings": "Higher charges could hit groups for older and isolated people hardest.",
            "actions": "Keep a reduced rate for registered charities and small groups.",
        },
    )
    answered = format_request_make(
        organisation=council,
        user=None,
        today=today - 10 * DAY,
        data={
            "subject": "Bin collection days notice",
            "subject_url": "",
            "format": "large_print",
            "language": "",
            "details": "",
            "needed_by": today - 3 * DAY,
            "name": "Pat Example",
            "email": "pat@example.org",
        },
    )
    format_request_answer(
        request=answered,
        status=FormatRequest.Status.PROVIDED,
        answer="Posted in large print.",
        by=olivia,
        today=today - 5 * DAY,
    )
    format_request_make(
        organisation=council,
        user=None,
        today=today,
        data={
            "subject": "Community hall hire charges",
            "subject_url": "",
            "format": "language",
            "language": "Polish",
            "details": "For our members' committee.",
            "needed_by": today + 14 * DAY,
            "name": "Ola Example",
            "email": "ola@example.org",
        },
    )
    return (
        "Volunteering: 4 opportunities, policies, 3 years of figures, 2 equality policies, "
        "an impact assessment and 2 format requests."
    )
