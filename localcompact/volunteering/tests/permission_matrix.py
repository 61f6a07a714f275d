"""Volunteering and inclusion's rows of the permission matrix
(tests/quality/test_permission_matrix.py).

In the matrix's world (tests/quality/world.py) `prepare` makes, through the volunteering
services, for Eastbrook Borough Council (a public body): an open opportunity someone has
expressed interest in and a closed one, its volunteering policy, a year's figures, its
equality policy, an equality impact assessment and a request made to it for another
format; a format request made to Eastbrook Voluntary Action; and one made to
Leicester's support team.

One more person for these rows (`EXTRA_ROLES`): `partner`, an officer of Eastbrook
Voluntary Action (a voluntary body). Following `rules.py` and the views (issue #11):

- the opportunities and their search, an open opportunity and expressing interest in
  it, the added-up figures, equality policies, impact assessments and the
  inclusive-city progress report are public; anyone may ask an organisation for
  another format; a request is then seen by whoever holds its private link (its
  unguessable reference) and by the organisation's members; where no organisation is
  named (a compact meeting without a host) a request goes to the compact's support
  team, which (with staff) lists and answers them, and no one else: not the
  organisations' officers;
- a closed opportunity (and the page confirming interest in it) is seen only by its
  host's members: 404 for anyone else;
- an organisation's hub (interests received, its own figures, requests made to it) is
  for its members; its officers and administrators change things (opportunities,
  policies, figures, answers), refused before the form is read (403); only a public
  body records impact assessments. Empty forms give the people allowed their errors
  (400), except the volunteering policy, whose every field is optional (saved: 302).
"""

import datetime as dt

from django.contrib.auth import get_user_model

from localcompact.organisations.models import Membership, Role
from localcompact.volunteering.services import (
    assessment_record,
    equality_policy_save,
    figures_record,
    format_request_make,
    interest_express,
    opportunity_create,
    opportunity_set_status,
    volunteering_policy_save,
)
from tests.quality.matrix import (
    FORBIDDEN,
    INVALID,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    acting,
    but,
    everyone,
    members,
    signed_in,
    support_team,
)

DAY = dt.timedelta(days=1)


def _partner(world):
    user = get_user_model().objects.create_user(
        "matrix-partner", email="partner@matrix.example.org", first_name="Partner"
    )
    Membership.objects.create(user=user, organisation=world.partner, role=Role.OFFICER)
    return user


EXTRA_ROLES = {"partner": _partner}


def _opportunity(world, title: str):
    return opportunity_create(
        organisation=world.organisation,
        data={
            "title": title,
            "role": "Help readers choose books and use the computers.",
            "skills": ["digital"],
            "skills_developed": "Helping people online",
            "area": "Eastbrook",
            "time_asked": "weekly",
            "time_detail": "",
            "accessibility": "Step-free library with a hearing loop.",
            "expenses_policy": "Bus fares repaid each month.",
            "training": "",
            "recognition": "",
            "contact_name": "Volunteer coordinator",
            "contact_email": "volunteers@eastbrook.example.org",
        },
        by=world.user("officer"),
    )


def _request(world, organisation=None, compact=None):
    return format_request_make(
        organisation=organisation,
        compact=compact,
        data={
            "subject": "The library opening hours notice",
            "subject_url": "/notices/",
            "format": "large_print",
            "language": "",
            "details": "",
            "needed_by": world.today + 14 * DAY,
            "name": "Rowan Reader",
            "email": "rowan@example.net",
        },
        user=None,
        today=world.today,
    )


def prepare(world) -> None:
    officer = world.user("officer")
    o = world.objects
    o.open = _opportunity(world, "Library digital helper")
    o.closed = opportunity_set_status(
        opportunity=_opportunity(world, "Summer reading volunteer"), status="closed", by=officer
    )
    o.interest = interest_express(
        opportunity=o.open,
        name="Sam Volunteer",
        email="sam@example.net",
        message="I can help on Saturdays.",
        user=world.user("outsider"),
        site_url="http://testserver",
    )
    volunteering_policy_save(
        organisation=world.organisation,
        data={
            "recruitment": "Open days twice a year.",
            "development": "Induction and a named supervisor.",
            "retention": "A thank-you event each year.",
            "key_contact": "Volunteer coordinator",
            "expenses": "Travel and meals.",
        },
        by=officer,
    )
    figures_record(
        organisation=world.organisation,
        year=world.today.year - 1,
        volunteers=40,
        hours=2000,
        business_volunteers=5,
        by=officer,
        today=world.today,
    )
    equality_policy_save(
        organisation=world.organisation,
        data={
            "kind": "policy",
            "summary": "Services open to all, monitored yearly.",
            "monitoring": "Yearly review of who uses services.",
            "adopted_on": world.today - 100 * DAY,
            "review_on": world.today + 265 * DAY,
            "url": "",
        },
        by=officer,
    )
    o.assessment = assessment_record(
        organisation=world.organisation,
        data={
            "title": "Library opening hours",
            "subject": "service",
            "subject_url": "",
            "assessed_on": world.today - 10 * DAY,
            "groups": ["disability", "older"],
            "findings": "Fewer evening hours affect working carers.",
            "actions": "Keep one late evening a week.",
        },
        by=officer,
        today=world.today,
    )
    o.request = _request(world, world.organisation)
    o.partner_request = _request(world, world.partner)
    o.compact_request = _request(world, compact=world.compact)


def with_partner(expect: dict, partner) -> dict:
    return {**expect, "partner": partner}


def council(w) -> dict:
    return {"slug": w.organisation.slug}


def partner_org(w) -> dict:
    return {"slug": w.partner.slug}


def compact(w) -> dict:
    return {"compact": w.compact.slug}


def opportunity(name: str):
    return lambda w: {"pk": getattr(w.objects, name).pk}


PUBLIC = with_partner(everyone(OK), OK)
NOWHERE = with_partner(everyone(NOT_FOUND), NOT_FOUND)


# A closed opportunity: its host's members; 404 for anyone else, visitors included.
def closed(outcome) -> dict:
    return with_partner(
        but(everyone(NOT_FOUND), member=outcome, officer=outcome, administrator=outcome), NOT_FOUND
    )


CLOSED = closed(OK)
ACTING = with_partner(acting(OK), FORBIDDEN)
HUB = with_partner(members(OK), FORBIDDEN)
POST_ONLY = with_partner(signed_in(NOT_ALLOWED), NOT_ALLOWED)
SUPPORT = with_partner(support_team(OK), FORBIDDEN)  # the compact's support team, staff


def council_acting(outcome) -> dict:
    return with_partner(acting(outcome), FORBIDDEN)


def partner_acting(outcome) -> dict:
    """On Eastbrook Voluntary Action's pages: only the partner acts for it."""
    return with_partner(signed_in(FORBIDDEN), outcome)


INTEREST = {
    "name": "Alex Helper",
    "email": "alex@example.net",
    "message": "Weekday mornings suit me.",
}

MATRIX = {
    "volunteering:index": [
        Route(PUBLIC),
        Route(PUBLIC, query="q=library&skill=digital&time=weekly", state="a search"),
        Route(
            with_partner(everyone(INVALID), INVALID),
            query="time=never",
            state="a choice that does not exist",
        ),
    ],
    "volunteering:opportunity": [
        Route(PUBLIC, kwargs=opportunity("open")),
        Route(
            with_partner(everyone(INVALID), INVALID),
            kwargs=opportunity("open"),
            method="post",
            state="interest, an empty form",
        ),
        Route(
            with_partner(everyone(REDIRECT), REDIRECT),
            kwargs=opportunity("open"),
            method="post",
            data=lambda w: INTEREST,
            state="interest expressed",
        ),
        Route(CLOSED, kwargs=opportunity("closed"), state="closed"),
        Route(
            closed(INVALID),
            kwargs=opportunity("closed"),
            method="post",
            data=lambda w: INTEREST,
            state="closed: the service refuses interest",
        ),
        Route(NOWHERE, kwargs=lambda w: {"pk": 999999}, state="no such opportunity"),
    ],
    "volunteering:interest_sent": [
        Route(PUBLIC, kwargs=opportunity("open")),
        Route(CLOSED, kwargs=opportunity("closed"), state="closed"),
    ],
    "volunteering:opportunity_edit": [
        Route(ACTING, kwargs=opportunity("open")),
        Route(council_acting(INVALID), kwargs=opportunity("open"), method="post"),
        Route(ACTING, kwargs=opportunity("closed"), state="closed"),
    ],
    "volunteering:opportunity_status": [
        Route(
            council_acting(REDIRECT),
            kwargs=opportunity("open"),
            method="post",
            data=lambda w: {"status": "closed"},
            state="closing it",
        ),
        Route(
            council_acting(REDIRECT),
            kwargs=opportunity("closed"),
            method="post",
            data=lambda w: {"status": "open"},
            state="opening it again",
        ),
        Route(POST_ONLY, kwargs=opportunity("open"), state="a GET"),
    ],
    "volunteering:figures": Route(PUBLIC),
    "volunteering:equality": Route(PUBLIC),
    "volunteering:assessments": Route(PUBLIC),
    "volunteering:assessment": [
        Route(PUBLIC, kwargs=lambda w: {"pk": w.objects.assessment.pk}),
        Route(NOWHERE, kwargs=lambda w: {"pk": 999999}, state="no such assessment"),
    ],
    "volunteering:progress": [
        Route(PUBLIC, kwargs=lambda w: {"slug": w.compact.slug}),
        Route(
            NOWHERE,
            kwargs=lambda w: {"slug": w.compact.slug},
            query="year=1999",
            state="a year before any report",
        ),
        Route(NOWHERE, kwargs=lambda w: {"slug": "nowhere"}, state="no such compact"),
    ],
    "volunteering:format_request": [
        Route(PUBLIC, kwargs=lambda w: {"reference": w.objects.request.reference}),
        Route(
            PUBLIC,
            kwargs=lambda w: {"reference": w.objects.compact_request.reference},
            state="made to the compact's support team",
        ),
        Route(
            NOWHERE, kwargs=lambda w: {"reference": "not-a-reference"}, state="a wrong reference"
        ),
    ],
    "volunteering:organisation": [
        Route(HUB, kwargs=council),
        Route(partner_acting(OK), kwargs=partner_org, state="the partner's hub"),
        Route(
            with_partner(signed_in(NOT_FOUND), NOT_FOUND),
            kwargs=lambda w: {"slug": "nowhere"},
            state="no such organisation",
        ),
    ],
    "volunteering:opportunity_new": [
        Route(ACTING, kwargs=council),
        Route(council_acting(INVALID), kwargs=council, method="post"),
        Route(partner_acting(OK), kwargs=partner_org, state="a voluntary body offers them too"),
    ],
    "volunteering:policy": [
        Route(ACTING, kwargs=council),
        Route(
            council_acting(REDIRECT),
            kwargs=council,
            method="post",
            state="every field optional: saved",
        ),
    ],
    "volunteering:figures_edit": [
        Route(ACTING, kwargs=council),
        Route(council_acting(INVALID), kwargs=council, method="post"),
    ],
    "volunteering:equality_edit": [
        Route(ACTING, kwargs=council),
        Route(council_acting(INVALID), kwargs=council, method="post"),
    ],
    "volunteering:assessment_new": [
        Route(ACTING, kwargs=council),
        Route(council_acting(INVALID), kwargs=council, method="post"),
        Route(
            partner_acting(FORBIDDEN),
            kwargs=partner_org,
            state="a voluntary body records none",
        ),
    ],
    "volunteering:format_request_new": [
        Route(PUBLIC, kwargs=council),
        Route(with_partner(everyone(INVALID), INVALID), kwargs=council, method="post"),
        Route(NOWHERE, kwargs=lambda w: {"slug": "nowhere"}, state="no such organisation"),
    ],
    "volunteering:format_request_answer": [
        Route(ACTING, kwargs=lambda w: {**council(w), "pk": w.objects.request.pk}),
        Route(
            council_acting(INVALID),
            kwargs=lambda w: {**council(w), "pk": w.objects.request.pk},
            method="post",
        ),
        Route(
            with_partner(signed_in(NOT_FOUND), NOT_FOUND),
            kwargs=lambda w: {**council(w), "pk": w.objects.partner_request.pk},
            state="a request made to another organisation",
        ),
        Route(
            partner_acting(OK),
            kwargs=lambda w: {**partner_org(w), "pk": w.objects.partner_request.pk},
            state="the partner's own request",
        ),
    ],
    "volunteering:format_request_new_compact": [
        Route(PUBLIC, kwargs=compact),
        Route(with_partner(everyone(INVALID), INVALID), kwargs=compact, method="post"),
        Route(NOWHERE, kwargs=lambda w: {"compact": "nowhere"}, state="no such compact"),
    ],
    "volunteering:compact_format_requests": [
        Route(SUPPORT, kwargs=compact),
        Route(
            with_partner(signed_in(NOT_FOUND), NOT_FOUND),
            kwargs=lambda w: {"compact": "nowhere"},
            state="no such compact",
        ),
    ],
    "volunteering:compact_format_request_answer": [
        Route(SUPPORT, kwargs=lambda w: {**compact(w), "pk": w.objects.compact_request.pk}),
        Route(
            with_partner(support_team(INVALID), FORBIDDEN),
            kwargs=lambda w: {**compact(w), "pk": w.objects.compact_request.pk},
            method="post",
        ),
        Route(
            with_partner(signed_in(NOT_FOUND), NOT_FOUND),
            kwargs=lambda w: {**compact(w), "pk": w.objects.request.pk},
            state="a request made to an organisation",
        ),
    ],
}
