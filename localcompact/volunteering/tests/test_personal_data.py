"""Volunteering's part of a person's data (see volunteering/personal_data.py): what they
asked for and expressed interest in is theirs (downloaded; erased), what they recorded
for an organisation is the compact's (downloaded; kept, naming "a former user")."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import account_erase, personal_data_collect
from localcompact.accounts.testing import verified_email
from localcompact.volunteering.models import FormatRequest, Interest, Opportunity
from localcompact.volunteering.services import (
    assessment_record,
    format_request_answer,
    format_request_make,
    interest_express,
)

from .conftest import TODAY, client_for, opportunity_made

pytestmark = pytest.mark.django_db


def _now():
    from django.utils import timezone

    return timezone.now()


def _request(world, *, user=None, email="outsider@example.org", name="Olly Outsider", **to):
    return format_request_make(
        **(to or {"organisation": world.council}),
        data={
            "subject": "The bins notice",
            "subject_url": "",
            "format": "language",
            "language": "Polish",
            "details": "I live at 4 Elm Road and cannot read small print.",
            "needed_by": None,
            "name": name,
            "email": email,
        },
        user=user,
        today=TODAY,
    )


def _interest(world, opportunity, *, user=None, email="outsider@example.org"):
    return interest_express(
        opportunity=opportunity,
        name="Olly Outsider",
        email=email,
        message="Free on Tuesdays; my mobile is 07700 900000.",
        user=user,
        site_url="http://testserver",
    )


@pytest.fixture
def person(world):
    """The outsider, with a verified address and an unconfirmed one."""
    outsider = world.user("outsider")
    verified_email(outsider, "outsider@example.org")
    EmailAddress.objects.create(user=outsider, email="not-yet-mine@example.net", verified=False)
    return outsider


@pytest.fixture
def made(world, person):
    opportunity = opportunity_made(world)
    officer = world.user("officer")
    made = {
        "opportunity": opportunity,
        "signed_in": _interest(world, opportunity, user=person),
        "by_address": _interest(world, opportunity, email="OUTSIDER@example.org"),
        "unconfirmed": _interest(world, opportunity, email="not-yet-mine@example.net"),
        "someone_else": _interest(world, opportunity, email="rowan@example.net"),
        "request": _request(world, user=person),
        # to the compact's support team (a meeting without a host)
        "request_by_address": _request(world, email="Outsider@Example.org", compact=world.city),
        "other_request": _request(world, email="rowan@example.net", name="Rowan Reader"),
    }
    format_request_answer(
        request=made["request"],
        status="provided",
        answer="Sent in Polish by post.",
        by=officer,
        today=TODAY,
    )
    made["assessment"] = assessment_record(
        organisation=world.council,
        data={
            "title": "Bins changes",
            "subject": "service",
            "subject_url": "",
            "assessed_on": TODAY,
            "groups": ["older"],
            "findings": "Heavier bins are harder for older people.",
            "actions": "Assisted collections.",
        },
        by=officer,
        today=TODAY,
    )
    return made


def test_the_download_holds_their_interest_and_requests(world, person, made):
    data = personal_data_collect(person, now=_now())
    interests = data["volunteering_interest_expressed"]
    assert len(interests) == 2  # signed in, and by their verified address
    assert interests[0]["opportunity"] == "Befriending volunteer"
    assert interests[0]["organisation"] == "Testshire Council"
    assert interests[0]["message"].startswith("Free on Tuesdays")
    requests = data["format_requests_made"]
    assert len(requests) == 2
    assert requests[0]["format"] == "Another language: Polish"
    assert requests[0]["answer"] == "Sent in Polish by post."
    assert "Elm Road" in requests[0]["details"]
    assert {r["organisation"] for r in requests} == {
        "Testshire Council",
        "the support team of The City Together Compact",
    }


def test_the_download_holds_nothing_of_others_nor_secrets(world, person, made):
    data = personal_data_collect(person, now=_now())
    # an unconfirmed address could be anyone's: what was sent from it is not theirs
    assert {i["email"].lower() for i in data["volunteering_interest_expressed"]} == {
        "outsider@example.org"
    }
    text = json.dumps(data)
    assert "Rowan" not in text
    for request in FormatRequest.objects.all():
        assert request.reference not in text


def test_the_download_holds_what_they_recorded_for_an_organisation(world, made):
    data = personal_data_collect(world.user("officer"), now=_now())
    assert [o["title"] for o in data["volunteering_opportunities_created"]] == [
        "Befriending volunteer"
    ]
    assert [a["title"] for a in data["equality_impact_assessments_recorded"]] == ["Bins changes"]
    [answered] = data["format_requests_answered"]
    assert answered["answer"] == "Sent in Polish by post."
    text = json.dumps(data)
    assert "Olly" not in text and "outsider@example.org" not in text
    assert "volunteers@example.org" not in text  # the opportunity's key contact


def erase(world, user):
    deletion = DeletionRequest.objects.create(user=user)
    return account_erase(deletion=deletion, by=world.user("support"), now=_now())


def test_erasure_deletes_their_interest(world, person, made):
    counts = erase(world, person)
    # signed in, and by their confirmed address; not the one made from an address the
    # account added but never confirmed: that could be anyone's (accounts.personal_data)
    assert counts["volunteering interests deleted"] == 2
    assert sorted(Interest.objects.values_list("email", flat=True)) == sorted(
        ["rowan@example.net", "not-yet-mine@example.net"]
    )
    assert Opportunity.objects.filter(pk=made["opportunity"].pk).exists()


def test_erasure_blanks_their_requests_and_ends_the_private_links(client, world, person, made):
    old = made["request"].reference
    counts = erase(world, person)
    assert counts["format requests blanked"] == 2
    for key in ("request", "request_by_address"):
        request = FormatRequest.objects.get(pk=made[key].pk)
        assert (request.name, request.email, request.details) == ("", "", "")
        assert request.subject == "The bins notice"  # counted in the progress report
    kept = FormatRequest.objects.get(pk=made["request"].pk)
    assert (kept.status, kept.answer, kept.answered_by) == (
        "provided",
        "Sent in Polish by post.",
        world.user("officer"),
    )
    assert kept.reference != old
    assert client.get(reverse("volunteering:format_request", args=[old])).status_code == 404
    other = FormatRequest.objects.get(pk=made["other_request"].pk)
    assert (other.name, other.email) == ("Rowan Reader", "rowan@example.net")


def test_erasure_keeps_what_they_recorded_for_an_organisation(client, world, made):
    officer = world.user("officer")
    counts = erase(world, officer)
    assert counts["volunteering records kept"] == 3  # opportunity, assessment, answer
    assert Opportunity.objects.get(pk=made["opportunity"].pk).created_by_id == officer.pk
    assert FormatRequest.objects.get(pk=made["request"].pk).answered_by_id == officer.pk
    hub = client_for(client, world, "member").get(
        reverse("volunteering:organisation", args=[world.council.slug])
    )
    assert hub.status_code == 200
