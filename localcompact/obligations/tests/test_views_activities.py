"""Recording an activity (choose the standard, then its dates), and changing it: marking
it done and withdrawing it. Each keeps its obligation in step, in the same transaction."""

import datetime as dt

import pytest
from django.urls import reverse

from localcompact.compacts.tests.conftest import write
from localcompact.obligations.models import Activity, Obligation, ObligationEvent, Status

from .page_factories import (  # noqa: F401
    LOADED,
    TODAY,
    compact_definition,
    record,
    sign_in,
    world_fixture,
)

CLAUSE = "999_0000000000000000.txt"
NEW = reverse("obligations:activity_new", kwargs={"slug": "testshire-council"})


def details(standard: str) -> str:
    return reverse(
        "obligations:activity_new_details",
        kwargs={"slug": "testshire-council", "compact": "testshire", "standard": standard},
    )


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


class TestChoosingTheStandard:
    def test_with_one_compact_the_dated_standards_are_offered_with_their_rules(self, client, world):
        sign_in(client, world, "officer")
        response = client.get(NEW)
        assert response.status_code == 200
        choices = dict(response.context["form"].fields["standard"].choices)
        assert list(choices) == [
            "consultation-period-0",
            "meeting-notice",
            "reply-within",
            "decision-record",
            "agreed-notice",
        ]
        assert "Notice at least 4 weeks before the meeting." in response.content.decode()

    def test_choosing_one_goes_to_its_form(self, client, world):
        sign_in(client, world, "officer")
        response = client.get(NEW + "?step=standard&compact=testshire&standard=meeting-notice")
        assert response["Location"] == details("meeting-notice")

    def test_choosing_nothing_or_something_else_is_refused(self, client, world):
        sign_in(client, world, "officer")
        for query in ("?step=standard", "?step=standard&standard=seats"):
            response = client.get(NEW + query)
            assert response.status_code == 400
            assert "Choose the standard it comes under" in response.content.decode()

    def test_with_several_compacts_the_compact_comes_first(self, client, world, tmp_path):
        from localcompact.compacts.loader import read_definition
        from localcompact.compacts.services import compact_load

        data = compact_definition()
        data.update(slug="otherton", name="Otherton Compact")
        compact_load(definition=read_definition(write(tmp_path, data)), now=LOADED)
        sign_in(client, world, "officer")
        response = client.get(NEW)
        assert "Which compact is it under?" in response.content.decode()
        response = client.get(NEW + "?step=compact")
        assert response.status_code == 400
        assert "Choose the compact it is under" in response.content.decode()
        response = client.get(NEW + "?step=compact&compact=otherton")
        assert response.context["compact"].slug == "otherton"
        assert "Choose a different compact" in response.content.decode()


class TestTheForm:
    @pytest.mark.parametrize(
        "standard,labels",
        [
            ("consultation-period-0", ["Date of the opening", "Date of the closing"]),
            ("meeting-notice", ["Date of the meeting"]),
            ("reply-within", ["Date it is received"]),
            ("decision-record", ["Date the record is needed by"]),
            ("agreed-notice", ["Date of the end of the funding", "Agreed due date"]),
        ],
    )
    def test_the_dates_are_asked_for_in_the_words_of_the_rule(
        self, client, world, standard, labels
    ):
        sign_in(client, world, "officer")
        form = client.get(details(standard)).context["form"]
        assert [field.label for field in form.date_fields] == labels

    def test_only_a_minimum_period_with_an_exception_offers_to_record_it(self, client, world):
        sign_in(client, world, "officer")
        assert (
            "record_exception"
            in client.get(details("consultation-period-0")).context["form"].fields
        )
        assert (
            "record_exception" not in client.get(details("meeting-notice")).context["form"].fields
        )

    def test_missing_and_impossible_dates_are_refused_in_gov_uk_words(self, client, world):
        sign_in(client, world, "officer")
        response = client.post(details("consultation-period-0"), {"title": ""})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter a title" in page
        assert "Enter the date of the opening" in page
        assert '<a href="#start_on-day">' in page
        response = client.post(
            details("consultation-period-0"),
            {
                "title": "X",
                **date_fields("start_on", TODAY),
                "end_on-day": "30",
                "end_on-month": "2",
                "end_on-year": "2026",
            },
        )
        assert "Date of the closing must be a real date" in response.content.decode()
        assert 'value="30"' in response.content.decode()  # what was typed is kept


class TestRecording:
    def test_an_activity_is_recorded_with_its_obligation_and_a_confirmation(self, client, world):
        sign_in(client, world, "officer")
        response = client.post(
            details("meeting-notice"),
            {
                "title": "Spring partnership meeting",
                "description": "At the town hall.",
                **date_fields("start_on", dt.date(2026, 5, 6)),
                "owed_to": [world.trust.pk],
                "owed_to_label": "all partners",
            },
        )
        activity = Activity.objects.get()
        assert response["Location"] == reverse(
            "obligations:activity_recorded", kwargs={"pk": activity.pk}
        )
        assert (activity.owed_by, activity.recorded_by) == (world.council, world.user("officer"))
        assert list(activity.owed_to.all()) == [world.trust]
        obligation = Obligation.objects.get()
        assert obligation.due_on == dt.date(2026, 4, 8)  # four weeks before the meeting
        assert obligation.status == Status.NOT_YET_DUE
        assert obligation.owed_to_label == "all partners"
        event = obligation.events.get()
        assert (event.kind, event.by) == (ObligationEvent.Kind.CREATED, world.user("officer"))
        page = client.get(response["Location"]).content.decode()
        assert "Activity recorded" in page
        assert "8 April 2026" in page

    def test_an_agreed_date_is_needed_where_the_compact_leaves_it_to_be_agreed(self, client, world):
        sign_in(client, world, "officer")
        data = {"title": "Youth grant ends", **date_fields("start_on", dt.date(2026, 9, 30))}
        response = client.post(details("agreed-notice"), data)
        assert "Enter the agreed due date" in response.content.decode()
        client.post(
            details("agreed-notice"), {**data, **date_fields("agreed_due_on", dt.date(2026, 6, 30))}
        )
        assert Obligation.objects.get().due_on == dt.date(2026, 6, 30)

    def test_a_period_too_short_is_refused_with_the_rule_s_explanation(self, client, world):
        sign_in(client, world, "officer")
        data = {
            "title": "Library hours",
            **date_fields("start_on", TODAY),
            **date_fields("end_on", TODAY + dt.timedelta(weeks=6)),
        }
        response = client.post(details("consultation-period-0"), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert (
            "Closes on 15 April 2026 but must run until at least 27 May 2026 "
            f"(12 weeks; {CLAUSE} 3.0). If the exception applies, record it below." in page
        )
        assert not Activity.objects.exists()

    def test_with_the_exception_recorded_it_is_saved_and_excused(self, client, world):
        sign_in(client, world, "officer")
        data = {
            "title": "Library hours",
            **date_fields("start_on", TODAY),
            **date_fields("end_on", TODAY + dt.timedelta(weeks=6)),
            "record_exception": "on",
            "exception_reason": "A statutory deadline.",
        }
        response = client.post(details("consultation-period-0"), data)
        assert response.status_code == 400
        page = response.content.decode()
        assert f"Say who agreed to an exception ({CLAUSE} 3.0)" in page
        assert '<a href="#exception_agreed_by">' in page
        assert not Activity.objects.exists(), "a refused exception leaves nothing recorded"
        assert not Obligation.objects.exists()
        response = client.post(
            details("consultation-period-0"), {**data, "exception_agreed_by": "The VCS Forum"}
        )
        assert response.status_code == 302
        obligation = Obligation.objects.get()
        assert obligation.status == Status.EXCUSED
        assert (obligation.excuse_reason, obligation.excuse_agreed_by) == (
            "A statutory deadline.",
            "The VCS Forum",
        )

    def test_a_long_enough_period_is_simply_recorded(self, client, world):
        sign_in(client, world, "officer")
        data = {
            "title": "Library hours",
            **date_fields("start_on", TODAY),
            **date_fields("end_on", TODAY + dt.timedelta(weeks=13)),
        }
        assert client.post(details("consultation-period-0"), data).status_code == 302
        assert Obligation.objects.get().status == Status.NOT_YET_DUE

    def test_an_end_before_the_start_is_refused(self, client, world):
        sign_in(client, world, "officer")
        data = {
            "title": "Backwards",
            **date_fields("start_on", TODAY),
            **date_fields("end_on", TODAY - dt.timedelta(days=1)),
        }
        page = client.post(details("consultation-period-0"), data).content.decode()
        assert "Date of the closing must be the same as or after the date of the opening" in page


class TestChanging:
    @pytest.fixture
    def notice(self, world):
        return record(world, "meeting-notice", title="Meeting", start_on=dt.date(2026, 4, 1))

    def test_marking_done_meets_the_obligation(self, client, world, notice):
        activity, obligation = notice
        sign_in(client, world, "officer")
        url = reverse("obligations:activity_done", kwargs={"pk": activity.pk})
        response = client.post(url, {**date_fields("done_on", TODAY), "done_note": "E-mailed."})
        assert response.status_code == 302
        obligation.refresh_from_db()
        assert (obligation.status, obligation.met_on) == (Status.MET, TODAY)  # due today
        page = client.get(response["Location"]).content.decode()
        assert "Marked as done" in page
        assert "E-mailed." in page

    def test_a_done_date_in_the_future_is_refused(self, client, world, notice):
        activity, _ = notice
        sign_in(client, world, "officer")
        url = reverse("obligations:activity_done", kwargs={"pk": activity.pk})
        response = client.post(url, date_fields("done_on", TODAY + dt.timedelta(days=1)))
        assert response.status_code == 400
        assert "The date it was done must be today or in the past" in response.content.decode()

    def test_withdrawing_closes_the_obligation_and_keeps_its_history(self, client, world, notice):
        activity, obligation = notice
        sign_in(client, world, "officer")
        url = reverse("obligations:activity_withdraw", kwargs={"pk": activity.pk})
        assert "Withdraw this activity?" in client.get(url).content.decode()
        response = client.post(url, {"reason": ""})
        assert "Enter why the activity is being withdrawn" in response.content.decode()
        response = client.post(url, {"reason": "The meeting was cancelled."})
        assert response.status_code == 302
        obligation.refresh_from_db()
        activity.refresh_from_db()
        assert (activity.withdrawn_on, activity.withdrawn_reason) == (
            TODAY,
            "The meeting was cancelled.",
        )
        assert obligation.status == Status.CANCELLED
        assert obligation.events.filter(kind=ObligationEvent.Kind.CANCELLED).count() == 1
        page = client.get(response["Location"]).content.decode()
        assert "Withdrawn on 4 March 2026: The meeting was cancelled." in page
        assert "Withdraw this activity" not in page
        assert client.get(url).status_code == 302  # once withdrawn, back to the activity

    def test_the_trust_sees_the_activity_but_cannot_change_it(self, client, world, notice):
        activity, _ = notice
        sign_in(client, world, "trust_officer")
        page = client.get(reverse("obligations:activity", kwargs={"pk": activity.pk}))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Only officers and administrators of Testshire Council can change" in text
        assert "Mark as done" not in text
