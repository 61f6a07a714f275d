"""Demo consultations: one in every state under each compact, made through the services
(so each has its obligations), dated around the day the demo first runs. Northfield City
Council leads them (Olivia acts for it); the charities and members respond. The open
Herefordshire one runs ten weeks, by a recorded agreement. Each lists the formats it
offers and its venue's access. One more, under Redcar & Cleveland, gives community groups
three weeks more: it has closed to everyone else, and Marsh Lane Neighbours (an
unconstituted group) responded in the extra time."""

import datetime as dt

from . import services
from .access import VenueAccess
from .models import ExtraUnit, Method, ResponseKind, Tag

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
                formats_offered=["large_print", "easy_read", "language"],
                venue_access=[VenueAccess.STEP_FREE, VenueAccess.ACCESSIBLE_TOILET],
                venue_access_notes="Meetings are in the Town Hall's ground-floor committee room.",
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
    _community_group_extension(demo, lead, officer)
    made += 1
    return (
        f"{made} consultations, in every state under each compact, with responses; one "
        "gives community groups three weeks more"
    )


def _community_group_extension(demo, lead, officer):
    """Closed six days ago to everyone else; community groups have 21 more days."""
    from localcompact.organisations import demo as organisations_demo

    if "marsh-lane-neighbours" not in demo.organisations:
        organisations_demo.seed(demo)
    group = demo.organisations["marsh-lane-neighbours"]
    today = demo.today
    opens = today - 90 * DAY
    closes = opens + dt.timedelta(weeks=12)
    c = services.consultation_plan(
        compact=demo.compact("redcar-cleveland"),
        lead=lead,
        by=officer,
        today=opens - 14 * DAY,
        title="Neighbourhood parks plan",
        summary="How the borough's small parks and play areas are looked after, and by whom.",
        open_to_change="Which parks come first, and how residents' groups take part.",
        who_affected="People living near the parks, and the groups that use them.",
        opens_on=opens,
        closes_on=closes,
        feedback_by=closes + dt.timedelta(weeks=10),
        topics=services.tags_from_text(Tag.Kind.TOPIC, "Parks"),
        areas=services.tags_from_text(Tag.Kind.AREA, "Riverside"),
        response_methods=[Method.ONLINE, Method.POST, Method.MEETINGS],
        response_details="Drop-in sessions at the Marsh Lane community room on Saturdays.",
        accessible_information="Easy Read and large print; other languages on request.",
        participation_support="Help with travel for groups coming to the drop-in sessions.",
        community_group_extra=21,
        community_group_extra_unit=ExtraUnit.DAYS,
        formats_offered=["large_print", "easy_read", "audio", "language"],
        venue_access=[
            VenueAccess.STEP_FREE,
            VenueAccess.HEARING_LOOP,
            VenueAccess.ACCESSIBLE_TOILET,
            VenueAccess.QUIET_ROOM,
            VenueAccess.BSL_ON_REQUEST,
        ],
        venue_access_notes="Level entrance from the car park; the bus stop is 50 metres away.",
    )
    c = services.consultation_open(consultation=c, by=officer, today=opens)
    services.response_save(
        consultation=c,
        kind=ResponseKind.ORGANISATION,
        by=demo.people["cara"],
        today=opens + 10 * DAY,
        submit=True,
        organisation=demo.organisations["northfield-community-action"],
        represents="Our member groups across Northfield",
        views_gathered="A members' meeting",
        answer="Please put play areas first.",
    )
    c = services.consultation_close(consultation=c, by=officer, today=closes + DAY)
    services.response_save(
        consultation=c,
        kind=ResponseKind.ORGANISATION,
        by=demo.people["mo"],
        today=min(closes + 5 * DAY, today),
        submit=True,
        organisation=group,
        represents="About 30 households on Marsh Lane and the Brook Street estate",
        views_gathered="Two street meetings and a door-to-door survey",
        answer="The Marsh Lane green needs lighting and a bench before anything else.",
        consent_to_publish=True,
    )
