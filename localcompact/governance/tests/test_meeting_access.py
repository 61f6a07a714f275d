"""A meeting's formats and venue access: recorded by the support team, shown on its
public page with a link to ask its host (or, without one, the support team) for another
format or language; and the events feed's links on the site's address."""

import datetime as dt

import pytest
from django.urls import reverse

from localcompact.governance import services

from .conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    return services.meeting_create(
        compact=world.leicester,
        title="Annual meeting",
        on=TODAY + dt.timedelta(days=30),
        place="Town Hall",
        by=world.user("support"),
        today=TODAY,
    )


def test_a_new_meeting_records_its_formats_access_and_host(world):
    meeting = services.meeting_create(
        compact=world.leicester,
        title="Annual meeting",
        on=TODAY + dt.timedelta(days=30),
        by=world.user("support"),
        today=TODAY,
        host=world.trust,
        formats_offered=["bsl", "large_print", "not-a-format"],
        venue_access=["hearing_loop", "step_free"],
        venue_access_notes=" Level entrance. ",
    )
    assert meeting.formats_offered == ["large_print", "bsl"]
    assert meeting.venue_access == ["step_free", "hearing_loop"]
    assert meeting.venue_access_notes == "Level entrance." and meeting.host == world.trust


def test_the_support_team_records_access_and_the_public_page_shows_it(client, world, meeting):
    page = reverse("governance:meeting", args=[world.leicester.slug, meeting.pk])
    before = client.get(page).content.decode()
    assert "Formats and venue access" in before and "Not recorded" in before
    # No host yet: the compact's support team is asked.
    to_support = reverse("volunteering:format_request_new_compact", args=[world.leicester.slug])
    assert "Ask the compact's support team for another format" in before
    assert f'href="{to_support}?subject=Annual+meeting&amp;from=' in before
    path = reverse("governance:meeting_access", args=[world.leicester.slug, meeting.pk])
    client.force_login(world.user("support"))
    form = client.get(path)
    assert form.status_code == 200 and world.council.name in form.content.decode()
    saved = client.post(
        path,
        {
            "host": str(world.council.pk),
            "formats_offered": ["easy_read", "language"],
            "venue_access": ["accessible_toilet", "quiet_room", "bsl_on_request"],
            "venue_access_notes": "The quiet room is on the ground floor.",
        },
    )
    assert saved.status_code == 302 and saved["Location"] == page
    client.logout()
    shown = client.get(page).content.decode()
    for words in (
        "Easy read",
        "Another language",
        "Accessible toilet",
        "Quiet room",
        "British Sign Language interpreter on request",
        "The quiet room is on the ground floor.",
        f"Ask {world.council.name} for another format or language",
    ):
        assert words in shown, words
    link = reverse("volunteering:format_request_new", args=[world.council.slug])
    assert f'href="{link}?subject=Annual+meeting&amp;from=' in shown


def test_a_host_must_be_one_the_form_offers(client, world, meeting):
    outsider_org = world.council.__class__.objects.create(
        name="Not here", slug="not-here", sector="vcs"
    )
    client.force_login(world.user("support"))
    path = reverse("governance:meeting_access", args=[world.leicester.slug, meeting.pk])
    refused = client.post(path, {"host": str(outsider_org.pk)})
    assert refused.status_code == 400


def test_the_events_feed_links_to_the_site_address(client, world, settings):
    settings.SITE_URL = "https://compact.example.org"
    post = services.post_publish(
        compact=world.leicester,
        kind="event",
        title="Joint training",
        body="Together",
        organisation=None,
        starts_at=NOW + dt.timedelta(days=5),
        place="Library",
        today=TODAY,
        by=world.user("support"),
    )
    feed = client.get(
        reverse("governance:events_feed", args=[world.leicester.slug]), HTTP_HOST="localhost"
    ).content.decode()
    unfolded = feed.replace("\r\n ", "")
    assert f"URL:https://compact.example.org{post.get_absolute_url()}" in unfolded
    assert "localhost" not in unfolded
