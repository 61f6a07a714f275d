"""Demo consultations: one in every state under each compact, made through the services
(so each has its obligations), dated around the day the demo first runs. Northfield City
Council leads them (Olivia acts for it); the charities and members respond. The open
Herefordshire one runs ten weeks, by a recorded agreement."""

import datetime as dt

from . import services
from .models import Method, ResponseKind, Tag

DAY = dt.timedelta(days=1)

SUBJECTS = {
    "city-together": ("Riverside walkway lighting", "Transport", "Riverside"),
    "herefordshire": ("Library opening hours", "Libraries", "Northfield"),
    "leicester": ("Youth club funding priorities", "Youth services", "Northfield"),
    "redcar-cleveland": ("Community centre bookings", "Housing", "Riverside"),
}
# state -> (planned days before today, days from planning to opening)
STATES = {
    "planned": (3, 17),
    "open": (30, 10),
    "closed": (120, 10),
    "analysis": (140, 10),
    "decided": (170, 10),
    "feedback": (200, 7),
}


def _respond(consultation, demo, day):
    people, orgs = demo.people, demo.organisations
    services.response_save(
        consultation=consultation,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=day,
        submit=True,
        answer="The times suit people who work shifts badly; please think again.",
        consent_to_publish=True,
    )
    services.response_save(
        consultation=consultation,
        kind=ResponseKind.INDIVIDUAL,
        by=people["mo"],
        today=day,
        submit=True,
        respondent_name="Mo Member",
        answer="I support the proposal, with more notice of changes.",
    )
    services.response_save(
        consultation=consultation,
        kind=ResponseKind.ORGANISATION,
        by=people["cara"],
        today=day,
        submit=True,
        organisation=orgs["northfield-community-action"],
        represents="Our 35 member groups across Northfield",
        views_gathered="A members' meeting and an online survey of 120 people",
        answer="Our members ask for evening access and clear information in other languages.",
        consent_to_publish=True,
    )
    services.response_save(
        consultation=consultation,
        kind=ResponseKind.PETITION,
        by=people["cara"],
        today=day,
        submit=True,
        petition_organiser="Friends of Northfield",
        petition_signatures=412,
        answer="Keep the service open at weekends.",
    )


def seed(demo) -> str | None:
    today = demo.today
    lead = demo.organisations["northfield-council"]
    officer = demo.people["olivia"]
    made = 0
    for slug, (subject, topic, area) in SUBJECTS.items():
        compact = demo.compact(slug)
        topics = services.tags_from_text(Tag.Kind.TOPIC, topic)
        areas = services.tags_from_text(Tag.Kind.AREA, area)
        audiences = services.tags_from_text(Tag.Kind.AUDIENCE, "Residents, Voluntary groups")
        for state, (planned_ago, to_open) in STATES.items():
            planned_on = today - planned_ago * DAY
            opens = planned_on + to_open * DAY
            weeks = 10 if (slug, state) == ("herefordshire", "open") else 12
            closes = opens + dt.timedelta(weeks=weeks)
            extra = {}
            if weeks == 10:
                extra = {
                    "short_reason": "The library budget must be set before the statutory date.",
                    "short_agreed_by": "Northfield VCS Forum chair, at the partnership board",
                }
            c = services.consultation_plan(
                compact=compact,
                lead=lead,
                by=officer,
                today=planned_on,
                title=f"{subject} ({state.replace('_', ' ')})" if state != "open" else subject,
                summary=f"We want your views on {subject.lower()} before we decide.",
                open_to_change="The options set out in the consultation paper.",
                not_open_to_change="The overall budget, which is already set.",
                who_affected="Residents of the area, and the groups that work with them.",
                opens_on=opens,
                closes_on=closes,
                feedback_by=closes + dt.timedelta(weeks=10),
                topics=topics,
                areas=areas,
                audiences=audiences,
                glossary=[{"term": "Ward", "meaning": "One of the areas a councillor represents."}],
                response_methods=[Method.ONLINE, Method.EMAIL, Method.POST, Method.MEETINGS],
                response_details="Write to the Consultation Team, Town Hall, Northfield.",
                accessible_information="Large print and Easy Read on request.",
                participation_support="Travel costs paid for community groups attending meetings.",
                **extra,
            )
            made += 1
            if state == "planned":
                continue
            c = services.consultation_open(consultation=c, by=officer, today=opens)
            _respond(c, demo, min(opens + 3 * DAY, today))
            if state == "open":
                continue
            after = closes + DAY
            c = services.consultation_close(consultation=c, by=officer, today=after)
            if state == "closed":
                continue
            c = services.consultation_start_analysis(consultation=c, by=officer, today=after + DAY)
            services.theme_save(
                consultation=c,
                name="Opening times",
                summary="Most want evening access.",
                responses=c.responses.all(),
                by=officer,
            )
            if state == "analysis":
                continue
            decided_on = after + 20 * DAY
            c = services.consultation_decide(
                consultation=c,
                decision="We will go ahead, with evening opening twice a week.",
                reasons="It keeps the service within budget while meeting most needs.",
                effect="Evening opening was added because of the responses and the petition.",
                petitions_considered="The petition of 412 signatures led us to keep Saturdays.",
                by=officer,
                today=decided_on,
            )
            if state == "decided":
                continue
            services.consultation_publish_feedback(
                consultation=c,
                what_you_told_us="Most of you asked for evening access and clearer information.",
                by=officer,
                today=decided_on + 7 * DAY,
            )
    return f"{made} consultations, in every state under each compact, with responses"
