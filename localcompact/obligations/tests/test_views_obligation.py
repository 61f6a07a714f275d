"""One obligation's page, and excusing it: allowed only as its standard allows, refused
otherwise with a message naming the clause, and nothing typed is lost."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.obligations.models import ObligationEvent, Status

from .page_factories import (  # noqa: F401
    TODAY,
    in_each_section,
    make_organisation,
    record,
    sign_in,
    world_fixture,
)

CLAUSE = "999_0000000000000000.txt"


def page_of(obligation):
    return reverse("obligations:obligation", kwargs={"pk": obligation.pk})


def excuse_url(obligation):
    return reverse("obligations:excuse", kwargs={"pk": obligation.pk})


@pytest.fixture
def missed(world):
    """A record of a decision's reasons, missed; the standard allows stated reasons."""
    _, obligation = record(
        world, "decision-record", title="Budget", start_on=TODAY - dt.timedelta(days=4)
    )
    return obligation


class TestThePage:
    def test_it_shows_the_standard_in_plain_english_with_its_clause(self, client, world, missed):
        sign_in(client, world, "member")
        page = client.get(page_of(missed)).content.decode()
        assert "Reasons for the decision recorded: Budget" in page
        assert "A record of decision and reasons, by the decision." in page
        assert "The compact says this must happen." in page
        assert "Allowed with reasons stated publicly. Not recorded, with the reasons stated." in (
            page
        )
        assert f"{CLAUSE}</span>), clause 4.3" in page

    def test_it_shows_the_history_and_where_it_comes_from(self, client, world, missed):
        sign_in(client, world, "member")
        page = client.get(page_of(missed)).content.decode()
        assert "Created: missed" in page
        assert "4 March 2026, by Officer" in page
        assert f'href="/activities/{missed.source_id}/">Budget</a>' in page

    def test_an_officer_is_offered_the_exception_and_a_member_is_told_who_can(
        self, client, world, missed
    ):
        sign_in(client, world, "officer")
        page = client.get(page_of(missed)).content.decode()
        assert f'action="{excuse_url(missed)}"' in page
        assert "Not recorded, with the reasons stated." in page
        sign_in(client, world, "member")
        page = client.get(page_of(missed)).content.decode()
        assert 'name="reason"' not in page
        assert "Officers and administrators of the organisation that owes it" in page

    def test_a_standard_without_an_exception_says_so_and_offers_no_form(self, client, world):
        _, obligation = record(world, "meeting-notice", start_on=TODAY + dt.timedelta(days=10))
        sign_in(client, world, "officer")
        page = client.get(page_of(obligation)).content.decode()
        assert "This standard allows no exception: it must be met as written" in page
        assert 'name="reason"' not in page

    def test_a_met_obligation_has_nothing_to_excuse(self, client, world):
        _, obligation = record(
            world, "decision-record", start_on=TODAY, done_on=TODAY - dt.timedelta(days=1)
        )
        sign_in(client, world, "officer")
        page = client.get(page_of(obligation)).content.decode()
        assert "It is met, so there is nothing to excuse." in page
        assert 'name="reason"' not in page


class TestExcusing:
    def test_a_stated_reason_excuses_it_and_records_who_when_and_why(self, client, world, missed):
        sign_in(client, world, "officer")
        response = client.post(
            excuse_url(missed), {"kind": "stated_reasons", "reason": "The decision was deferred."}
        )
        assert response["Location"] == reverse("obligations:excused", kwargs={"pk": missed.pk})
        missed.refresh_from_db()
        assert missed.status == Status.EXCUSED
        assert (missed.excused_by, missed.excused_on) == (world.user("officer"), TODAY)
        assert missed.excuse_reason == "The decision was deferred."
        event = missed.events.get(kind=ObligationEvent.Kind.EXCUSED)
        assert (event.by, event.from_status, event.to_status) == (
            world.user("officer"),
            Status.MISSED,
            Status.EXCUSED,
        )
        page = client.get(response["Location"]).content.decode()
        assert "Obligation excused" in page
        assert "The decision was deferred." in page

    @pytest.mark.parametrize(
        "data,message",
        [
            (
                {"kind": "emergency", "reason": "A flood."},
                f"This standard ({CLAUSE} 4.3) allows an exception only with stated reasons; "
                "an emergency is not enough.",
            ),
            (
                {"kind": "stated_reasons", "reason": "   "},
                f"Give the reason for an exception ({CLAUSE} 4.3); it cannot be blank.",
            ),
            (
                {"kind": "nonsense", "reason": "Because."},
                "Choose the exception that applies; &#x27;nonsense&#x27; is not one.",
            ),
        ],
    )
    def test_what_the_standard_does_not_allow_is_refused_naming_the_clause(
        self, client, world, missed, data, message
    ):
        sign_in(client, world, "officer")
        response = client.post(excuse_url(missed), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page
        assert message in page
        assert '<a href="#reason">' in page
        missed.refresh_from_db()
        assert missed.status == Status.MISSED

    def test_by_agreement_needs_who_agreed_and_keeps_what_was_typed(self, client, world):
        _, obligation = record(
            world,
            "consultation-period-0",
            title="Library hours",
            start_on=TODAY - dt.timedelta(weeks=8),
            end_on=TODAY,
        )
        sign_in(client, world, "officer")
        response = client.post(
            excuse_url(obligation),
            {"kind": "by_agreement", "reason": "Six weeks was agreed with the forum."},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert (
            f"Say who agreed to an exception ({CLAUSE} 3.0); this standard allows it only by "
            "agreement." in page
        )
        assert '<a href="#agreed_by">' in page
        assert "Six weeks was agreed with the forum.</textarea>" in page
        response = client.post(
            excuse_url(obligation),
            {
                "kind": "by_agreement",
                "reason": "Six weeks was agreed with the forum.",
                "agreed_by": "Testshire VCS Forum",
            },
        )
        assert response.status_code == 302
        obligation.refresh_from_db()
        assert (obligation.status, obligation.excuse_agreed_by) == (
            Status.EXCUSED,
            "Testshire VCS Forum",
        )

    def test_a_standard_with_no_exception_refuses_every_excuse(self, client, world):
        _, obligation = record(world, "meeting-notice", start_on=TODAY + dt.timedelta(days=10))
        sign_in(client, world, "officer")
        response = client.post(excuse_url(obligation), {"kind": "stated_reasons", "reason": "X"})
        assert response.status_code == 400
        page = response.content.decode()
        assert f"This standard ({CLAUSE} 4.1) allows no exception; it must be met as written." in (
            page
        )
        assert '<a href="#exception">' in page

    def test_a_met_obligation_cannot_be_excused(self, client, world):
        _, obligation = record(
            world, "decision-record", start_on=TODAY, done_on=TODAY - dt.timedelta(days=1)
        )
        sign_in(client, world, "officer")
        response = client.post(excuse_url(obligation), {"kind": "stated_reasons", "reason": "X"})
        assert response.status_code == 400
        assert "This obligation is met: there is nothing to excuse." in response.content.decode()


class TestAnAgreedExtension:
    @pytest.fixture
    def reply(self, world):
        # 10 working days after 16 February 2026: due 2 March, so missed on 4 March
        _, obligation = record(world, "reply-within", title="Letter", start_on=dt.date(2026, 2, 16))
        assert (obligation.due_on, obligation.status) == (dt.date(2026, 3, 2), Status.MISSED)
        return obligation

    def post(self, client, obligation, day=None, **data):
        fields = {"kind": "extended_by_agreement", "reason": "More papers came in.", **data}
        if day:
            fields.update(
                {
                    "extended_to-day": day.day,
                    "extended_to-month": day.month,
                    "extended_to-year": day.year,
                }
            )
        return client.post(excuse_url(obligation), fields)

    def test_it_needs_who_agreed_and_the_new_date(self, client, world, reply):
        sign_in(client, world, "officer")
        page = self.post(client, reply, agreed_by="Both sides").content.decode()
        assert f"Give the date the deadline was extended to ({CLAUSE} 4.2)." in page
        assert '<a href="#extended_to-day">' in page

    def test_the_new_date_must_be_real_and_later(self, client, world, reply):
        sign_in(client, world, "officer")
        page = self.post(
            client, reply, agreed_by="Both", **{"extended_to-day": "31", "extended_to-month": "2"}
        ).content.decode()
        assert "New due date must include a year" in page
        page = self.post(
            client,
            reply,
            agreed_by="Both",
            **{"extended_to-day": "31", "extended_to-month": "2", "extended_to-year": "2026"},
        ).content.decode()
        assert "New due date must be a real date" in page
        page = self.post(client, reply, day=dt.date(2026, 3, 1), agreed_by="Both").content.decode()
        assert "The new due date must be after the current one, 2 March 2026" in page

    def test_it_moves_the_due_date_and_the_status_follows(self, client, world, reply):
        sign_in(client, world, "officer")
        response = self.post(client, reply, day=dt.date(2026, 3, 20), agreed_by="Both sides")
        assert response.status_code == 302
        reply.refresh_from_db()
        assert (reply.due_on, reply.status) == (dt.date(2026, 3, 20), Status.NOT_YET_DUE)
        page = client.get(response["Location"]).content.decode()
        assert "Extension recorded" in page
        assert "20 March 2026" in page


class TestQueryCounts:
    def test_the_page_s_queries_do_not_grow_with_the_data(self, client, world, missed):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page_of(missed)).status_code == 200
            return len(queries)

        sign_in(client, world, "officer")
        in_each_section(world, 5)
        few = count()
        in_each_section(world, 60)
        for n in range(5):
            missed.owed_to.add(make_organisation(f"Partner {n}"))
        ObligationEvent.objects.bulk_create(
            ObligationEvent(obligation=missed, kind="reminded", on=TODAY) for _ in range(20)
        )
        assert count() == few
