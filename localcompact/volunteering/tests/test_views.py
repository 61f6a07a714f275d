"""The volunteering pages as people use them."""

import pytest
from django.core import mail
from django.urls import reverse

from localcompact.volunteering.models import (
    EqualityPolicy,
    FormatRequest,
    ImpactAssessment,
    Interest,
    Opportunity,
)

from .conftest import DAY, TODAY, client_for, opportunity_data, opportunity_made

pytestmark = pytest.mark.django_db


def test_offering_an_opportunity_keeps_what_was_typed_on_errors(client, world):
    client = client_for(client, world, "officer")
    url = reverse("volunteering:opportunity_new", args=[world.council.slug])
    data = {**opportunity_data(title="", contact_email="not-an-address"), "expenses_policy": ""}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400 and "<title>Error:" in body
    assert "Enter title" in body
    assert "Enter an e-mail address in the right format" in body
    assert "Visit an older neighbour each week." in body
    response = client.post(url, opportunity_data(expenses_policy=""))
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("volunteering:opportunity", args=[opportunity.pk])).content.decode()
    assert "does not say which expenses it repays" in page


def test_expressing_interest_tells_the_host(client, world, django_capture_on_commit_callbacks):
    opportunity = opportunity_made(world)
    url = reverse("volunteering:opportunity", args=[opportunity.pk])
    response = client.post(url, {"name": "", "email": "sam@example.org", "message": "Hi there"})
    assert response.status_code == 400 and "Enter your name" in response.content.decode()
    assert "Hi there" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Sam", "email": "sam@example.org", "message": "Hi"})
    assert response.status_code == 302
    assert response.url == reverse("volunteering:interest_sent", args=[opportunity.pk])
    assert Interest.objects.get().name == "Sam" and len(mail.outbox) == 1


def test_the_search_page_filters_and_pages(client, world):
    for i in range(22):
        opportunity_made(world, title=f"Role {i}", area="West" if i == 3 else "North")
    body = client.get(reverse("volunteering:index")).content.decode()
    assert "22 opportunities" in body and "Next" in body
    body = client.get(reverse("volunteering:index"), {"area": "west"}).content.decode()
    assert "1 opportunity found" in body and "Role 3<" in body
    response = client.get(reverse("volunteering:index"), {"skill": "juggling"})
    assert (
        response.status_code == 400 and "Choose skills from the list" in response.content.decode()
    )


def test_recording_an_equality_policy_and_an_assessment(client, world):
    client = client_for(client, world, "officer")
    slug = world.council.slug
    adopted, review = TODAY - 10 * DAY, TODAY - 20 * DAY

    def date(prefix, day):
        return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}

    data = {
        "kind": "policy",
        "summary": "Fair to all",
        **date("adopted_on", adopted),
        **date("review_on", review),
    }
    response = client.post(reverse("volunteering:equality_edit", args=[slug]), data)
    assert response.status_code == 400
    assert "review date must be after" in response.content.decode()
    data.update(date("review_on", TODAY + 300 * DAY))
    assert client.post(reverse("volunteering:equality_edit", args=[slug]), data).status_code == 302
    assert EqualityPolicy.objects.get().summary == "Fair to all"
    hub = client.get(reverse("volunteering:organisation", args=[slug])).content.decode()
    assert "Fair to all" in hub and "joint undertaking 1" in hub

    url = reverse("volunteering:assessment_new", args=[slug])
    response = client.post(
        url,
        {
            "title": "Hall charges",
            "subject": "policy",
            **date("assessed_on", TODAY),
            "findings": "x",
        },
    )
    assert "Choose the groups the assessment considered" in response.content.decode()
    response = client.post(
        url,
        {
            "title": "Hall charges",
            "subject": "policy",
            **date("assessed_on", TODAY),
            "findings": "x",
            "groups": ["travellers", "asylum"],
        },
    )
    assessment = ImpactAssessment.objects.get()
    assert response.url == reverse("volunteering:assessment", args=[assessment.pk])
    page = client.get(response.url).content.decode()
    assert "Gypsies and travellers" in page and "key principle 3" in page


def test_a_format_request_from_a_notice_is_answered(client, world):
    url = reverse("volunteering:format_request_new", args=[world.council.slug])
    page = client.get(
        url, {"subject": "Informing notice N-00001", "from": "/notices/1/"}
    ).content.decode()
    assert 'value="Informing notice N-00001"' in page
    data = {
        "subject": "Informing notice N-00001",
        "subject_url": "/notices/1/",
        "format": "language",
        "name": "Ola",
        "email": "ola@example.org",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "Say which language" in response.content.decode()
    response = client.post(url, {**data, "language": "Polish"})
    made = FormatRequest.objects.get()
    assert response.url == reverse("volunteering:format_request", args=[made.reference])
    assert "Waiting for an answer" in client.get(response.url).content.decode()
    officer = client_for(client, world, "officer")
    answer_url = reverse("volunteering:format_request_answer", args=[world.council.slug, made.pk])
    assert officer.post(answer_url, {"status": "provided"}).status_code == 400
    assert (
        officer.post(
            answer_url, {"status": "provided", "answer": "Translated and sent"}
        ).status_code
        == 302
    )
    assert (
        "Translated and sent"
        in officer.get(
            reverse("volunteering:format_request", args=[made.reference])
        ).content.decode()
    )


def test_a_format_request_can_go_to_a_compacts_support_team(client, world):
    url = reverse("volunteering:format_request_new_compact", args=[world.city.slug])
    page = client.get(url, {"subject": "Annual meeting", "from": "/governance/"}).content.decode()
    assert "Ask the support team of The City Together Compact for information" in page
    response = client.post(
        url,
        {"subject": "Annual meeting", "format": "easy_read", "name": "Ola", "email": "o@x.org"},
    )
    made = FormatRequest.objects.get()
    assert (made.compact, made.organisation) == (world.city, None)
    shown = client.get(response.url).content.decode()
    assert (
        "The support team of The City Together Compact" in shown
        and "Waiting for an answer" in shown
    )
    assert (
        client.get(reverse("volunteering:format_request_new_compact", args=["nowhere"])).status_code
        == 404
    )


def test_the_progress_report_shows_each_year(client, world):
    body = client.get(reverse("volunteering:progress", args=["city-together"])).content.decode()
    assert "Inclusive city progress, 2026" in body and "joint undertaking 8" in body
    assert (
        client.get(
            reverse("volunteering:progress", args=["city-together"]), {"year": "1990"}
        ).status_code
        == 404
    )
    assert client.get(reverse("volunteering:progress", args=["nowhere"])).status_code == 404
