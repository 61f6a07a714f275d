"""Private calendar links: made and shown once, stored only as a hash, read by calendar
applications without signing in, and stopped at once when revoked."""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from localcompact.obligations.feeds import calendar_feed_create, token_hash
from localcompact.obligations.models import CalendarFeed
from localcompact.obligations.services import obligations_sync

from .page_factories import TODAY, in_each_section, record, sign_in, world_fixture  # noqa: F401

DAY = dt.timedelta(days=1)
CALENDAR = reverse("obligations:calendar", kwargs={"slug": "testshire-council"})
CREATE = reverse("obligations:calendar_create", kwargs={"slug": "testshire-council"})


def feed_url(token: str) -> str:
    return reverse("obligations:feed", kwargs={"token": token})


def events(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


class TestMakingALink:
    def test_the_link_is_shown_once_and_only_its_hash_is_kept(self, client, world):
        sign_in(client, world, "member")
        response = client.post(CREATE)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        url = response.context["url"]
        assert url.startswith("http://testserver/feeds/obligations/") and url.endswith(".ics")
        token = url.removeprefix("http://testserver/feeds/obligations/").removesuffix(".ics")
        assert len(token) == 43  # secrets.token_urlsafe(32)
        page = response.content.decode()
        assert f'value="{url}"' in page
        assert "Keep it private" in page
        feed = CalendarFeed.objects.get()
        assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert (feed.created_by, feed.organisation) == (world.user("member"), world.council)
        assert token not in client.get(CALENDAR).content.decode()

    def test_the_page_lists_the_links_with_who_made_them_and_when(self, client, world):
        calendar_feed_create(organisation=world.council, by=world.user("officer"))
        revoked, _ = calendar_feed_create(organisation=world.council, by=world.user("member"))
        revoked.revoked_at = revoked.created_at
        revoked.save()
        sign_in(client, world, "member")
        page = client.get(CALENDAR).content.decode()
        assert "Officer" in page and "Member" in page
        assert page.count(">Active</strong>") == 1
        assert page.count(">Revoked ") == 1


class TestTheFeed:
    @pytest.fixture
    def token(self, world):
        return calendar_feed_create(organisation=world.council, by=world.user("officer"))[1]

    def test_a_valid_link_gives_one_all_day_event_per_obligation(self, client, world, token):
        _, obligation = record(world, "decision-record", title="Budget", start_on=TODAY + 10 * DAY)
        response = client.get(feed_url(token))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = Calendar.from_ical(response.content)
        assert str(calendar["X-WR-CALNAME"]) == "Testshire Council: obligations"
        event = events(response)[f"obligation-{obligation.pk}@localcompact"]
        assert event.decoded("DTSTART") == TODAY + 10 * DAY
        assert event.decoded("DTEND") == TODAY + 11 * DAY
        assert str(event["SUMMARY"]) == "Due: Reasons for the decision recorded: Budget"
        description = str(event["DESCRIPTION"])
        assert "Status: Not yet due" in description
        assert "clause 4.3" in description and "999_0000000000000000.txt" in description
        assert str(event["URL"]) == f"http://testserver/obligations/{obligation.pk}/"

    def test_it_has_what_is_open_and_what_fell_due_lately_or_falls_due_within_a_year(
        self, client, world, token
    ):
        _, far_open = record(world, "decision-record", title="Far", start_on=TODAY + 400 * DAY)
        _, recent = record(
            world,
            "decision-record",
            title="Recent",
            start_on=TODAY - 80 * DAY,
            done_on=TODAY - 90 * DAY,
        )
        _, old = record(
            world,
            "decision-record",
            title="Old",
            start_on=TODAY - 100 * DAY,
            done_on=TODAY - 100 * DAY,
        )
        withdrawn, cancelled = record(world, "decision-record", title="Off", start_on=TODAY)
        withdrawn.withdrawn_on = TODAY
        withdrawn.save()
        obligations_sync(source=withdrawn, today=TODAY)
        _, owed_to_us = record(
            world,
            "decision-record",
            title="Theirs",
            start_on=TODAY,
            owed_by=world.trust,
            owed_to=[world.council],
        )
        uids = set(events(client.get(feed_url(token))))
        assert uids == {
            f"obligation-{far_open.pk}@localcompact",
            f"obligation-{recent.pk}@localcompact",
        }

    def test_a_revoked_link_answers_exactly_as_an_unknown_one(self, client, world, token):
        record(world, "decision-record", start_on=TODAY)
        sign_in(client, world, "officer")
        feed = CalendarFeed.objects.get()
        revoke = reverse(
            "obligations:calendar_revoke", kwargs={"slug": "testshire-council", "feed": feed.pk}
        )
        assert "Revoke this calendar link?" in client.get(revoke).content.decode()
        assert client.post(revoke)["Location"] == CALENDAR
        client.logout()
        revoked = client.get(feed_url(token))
        unknown = client.get(feed_url("A" * 43))
        assert revoked.status_code == unknown.status_code == 404
        assert revoked.content == unknown.content
        feed.refresh_from_db()
        assert feed.revoked_at is not None

    def test_revoking_twice_changes_nothing(self, client, world, token):
        feed = CalendarFeed.objects.get()
        sign_in(client, world, "officer")
        url = reverse(
            "obligations:calendar_revoke", kwargs={"slug": "testshire-council", "feed": feed.pk}
        )
        client.post(url)
        feed.refresh_from_db()
        first = feed.revoked_at
        assert client.post(url).status_code == 302
        feed.refresh_from_db()
        assert feed.revoked_at == first

    @pytest.mark.parametrize("path", ["/feeds/obligations/short.ics", "/feeds/obligations/x/y.ics"])
    def test_malformed_tokens_are_not_found(self, client, world, path):
        assert client.get(path).status_code == 404

    def test_the_feed_s_queries_do_not_grow_with_the_obligations(self, client, world, token):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(feed_url(token)).status_code == 200
            return len(queries)

        in_each_section(world, 5)
        few = count()
        in_each_section(world, 60)
        assert count() == few == 2


def test_the_hash_is_sha256_of_the_token():
    assert token_hash("abc") == hashlib.sha256(b"abc").hexdigest()
