"""Who may open each volunteering page and do each action, for every role (see conftest).

Public pages answer 200 to everyone. An organisation's hub is for its members; changing
anything is for its officers and administrators; impact assessments for a public body's.
A closed opportunity is seen only by its host's members. Anonymous visitors are sent to
sign in (302) from pages that need an account.
"""

import pytest
from django.urls import reverse

from localcompact.notices.tests.conftest import person
from localcompact.organisations.models import CompactRole
from localcompact.volunteering.models import (
    EqualityPolicy,
    FormatRequest,
    ImpactAssessment,
    Interest,
    Opportunity,
    VolunteeringFigures,
    VolunteeringPolicy,
)
from localcompact.volunteering.services import format_request_make, opportunity_set_status

from .conftest import DAY, ROLES, TODAY, client_for, opportunity_made

pytestmark = pytest.mark.django_db
SIGN_IN = 302
COUNCIL_ACTORS = ("officer", "administrator")
COUNCIL_MEMBERS = ("member", *COUNCIL_ACTORS)


def members_only(role):
    return SIGN_IN if role == "anonymous" else 200 if role in COUNCIL_MEMBERS else 403


def actors_only(role):
    return SIGN_IN if role == "anonymous" else 200 if role in COUNCIL_ACTORS else 403


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_are_for_everyone(client, world, role):
    opportunity = opportunity_made(world)
    client = client_for(client, world, role)
    for url in (
        reverse("volunteering:index"),
        reverse("volunteering:opportunity", args=[opportunity.pk]),
        reverse("volunteering:interest_sent", args=[opportunity.pk]),
        reverse("volunteering:figures"),
        reverse("volunteering:equality"),
        reverse("volunteering:assessments"),
        reverse("volunteering:progress", args=["city-together"]),
        reverse("volunteering:format_request_new", args=[world.council.slug]),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_a_closed_opportunity_is_for_the_hosts_members(client, world, role):
    opportunity = opportunity_made(world)
    opportunity_set_status(opportunity=opportunity, status="closed", by=world.user("officer"))
    client = client_for(client, world, role)
    for name in ("volunteering:opportunity", "volunteering:interest_sent"):
        response = client.get(reverse(name, args=[opportunity.pk]))
        assert response.status_code == (200 if role in COUNCIL_MEMBERS else 404), name


@pytest.mark.parametrize("role", ROLES)
def test_the_hub_is_for_members(client, world, role):
    url = reverse("volunteering:organisation", args=[world.council.slug])
    assert client_for(client, world, role).get(url).status_code == members_only(role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name", ["opportunity_new", "policy", "figures_edit", "equality_edit", "assessment_new"]
)
def test_forms_are_for_officers_and_administrators(client, world, role, name):
    url = reverse(f"volunteering:{name}", args=[world.council.slug])
    assert client_for(client, world, role).get(url).status_code == actors_only(role)


@pytest.mark.parametrize("role", ROLES)
def test_changing_an_opportunity_is_for_the_hosts_actors(client, world, role):
    opportunity = opportunity_made(world)
    client = client_for(client, world, role)
    url = reverse("volunteering:opportunity_edit", args=[opportunity.pk])
    assert client.get(url).status_code == actors_only(role)
    response = client.post(
        reverse("volunteering:opportunity_status", args=[opportunity.pk]), {"status": "closed"}
    )
    closed = Opportunity.objects.get().status == "closed"
    assert closed == (role in COUNCIL_ACTORS)
    assert response.status_code == (302 if role in COUNCIL_ACTORS else actors_only(role))


@pytest.mark.parametrize("role", ROLES)
def test_posts_are_refused_to_all_but_the_actors(client, world, role):
    client = client_for(client, world, role)
    slug = world.council.slug
    client.post(reverse("volunteering:policy", args=[slug]), {"recruitment": "x"})
    client.post(
        reverse("volunteering:figures_edit", args=[slug]),
        {"year": 2025, "volunteers": 3, "hours": 4, "business_volunteers": 0},
    )
    saved = VolunteeringPolicy.objects.exists(), VolunteeringFigures.objects.exists()
    assert saved == ((True, True) if role in COUNCIL_ACTORS else (False, False))


def test_a_charity_cannot_record_impact_assessments(client, world):
    client = client_for(client, world, "trust_officer")
    response = client.get(reverse("volunteering:assessment_new", args=[world.trust.slug]))
    assert response.status_code == 403
    assert "public bodies" in response.content.decode()
    assert not ImpactAssessment.objects.exists()
    response = client.get(reverse("volunteering:equality_edit", args=[world.trust.slug]))
    assert response.status_code == 200 and not EqualityPolicy.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_answering_a_format_request_is_for_the_actors(client, world, role):
    made = format_request_make(
        organisation=world.council,
        data={
            "subject": "Notice",
            "subject_url": "",
            "format": "braille",
            "language": "",
            "details": "",
            "needed_by": TODAY + DAY,
            "name": "Pat",
            "email": "pat@example.org",
        },
        user=None,
        today=TODAY,
    )
    client = client_for(client, world, role)
    url = reverse("volunteering:format_request_answer", args=[world.council.slug, made.pk])
    assert client.get(url).status_code == actors_only(role)
    client.post(url, {"status": "provided", "answer": "Posted"})
    answered = FormatRequest.objects.get().status == "provided"
    assert answered == (role in COUNCIL_ACTORS)
    # The maker's private link works for anyone who has it; a wrong one finds nothing.
    assert (
        client.get(reverse("volunteering:format_request", args=[made.reference])).status_code == 200
    )
    assert client.get(reverse("volunteering:format_request", args=["not-it"])).status_code == 404


def test_a_request_to_a_compact_is_seen_and_answered_by_its_support_team(client, world):
    """A meeting without a host: the compact's support team and staff answer, not the
    signatories' officers nor another compact's support team; the maker sees it."""
    made = format_request_make(
        compact=world.city,
        data={
            "subject": "Annual meeting",
            "subject_url": "",
            "format": "bsl",
            "language": "",
            "details": "",
            "needed_by": None,
            "name": "Olly",
            "email": "olly@example.org",
        },
        user=world.user("outsider"),
        today=TODAY,
    )
    people = dict(world.users)
    for name, compact in (("city_team", world.city), ("redcar_team", world.redcar)):
        people[name] = person(name)
        CompactRole.objects.create(compact=compact, user=people[name], kind="support_team")
    answerers = {"city_team", "support"}  # `support` is staff
    listing = reverse("volunteering:compact_format_requests", args=[world.city.slug])
    answer = reverse("volunteering:compact_format_request_answer", args=[world.city.slug, made.pk])
    assert client.get(listing)["Location"].startswith(reverse("core:login"))
    for name, user in people.items():
        seen = user.has_perm("volunteering.view_format_request", made)
        assert seen == (name in answerers | {"outsider"}), name
        client.force_login(user)
        expected = 200 if name in answerers else 403
        assert (client.get(listing).status_code, client.get(answer).status_code) == (
            expected,
            expected,
        ), name
        if name not in answerers:
            assert client.post(answer, {"status": "provided", "answer": "x"}).status_code == 403
    assert FormatRequest.objects.get().status == "open"
    client.force_login(people["city_team"])
    done = client.post(answer, {"status": "provided", "answer": "An interpreter is booked."})
    assert done["Location"] == listing
    made.refresh_from_db()
    assert (made.status, made.answered_by) == ("provided", people["city_team"])
    assert "Provided" in client.get(listing).content.decode()
    wrong = reverse("volunteering:compact_format_request_answer", args=[world.redcar.slug, made.pk])
    assert client.get(wrong).status_code == 404  # not one made to that compact


@pytest.mark.parametrize("role", ROLES)
def test_interest_received_is_seen_only_by_the_hosts_members(client, world, role):
    opportunity = opportunity_made(world)
    Interest.objects.create(opportunity=opportunity, name="Private Person", email="pp@example.org")
    client = client_for(client, world, role)
    pages = [
        reverse("volunteering:opportunity", args=[opportunity.pk]),
        reverse("volunteering:index"),
        reverse("volunteering:figures"),
        reverse("volunteering:organisation", args=[world.trust.slug]),
        reverse("volunteering:organisation", args=[world.council.slug]),
    ]
    seen = any("Private Person" in client.get(url).content.decode() for url in pages)
    assert seen == (role in COUNCIL_MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_an_organisations_own_figures_are_not_public(client, world, role):
    VolunteeringFigures.objects.create(
        organisation=world.council, year=2025, volunteers=987, hours=6543, business_volunteers=0
    )
    VolunteeringFigures.objects.create(
        organisation=world.trust, year=2025, volunteers=13, hours=7, business_volunteers=0
    )
    client = client_for(client, world, role)
    public = client.get(reverse("volunteering:figures")).content.decode()
    assert "1000" in public and "6550" in public and "987" not in public
    hub = client.get(reverse("volunteering:organisation", args=[world.council.slug]))
    assert ("987" in hub.content.decode()) == (role in COUNCIL_MEMBERS)
