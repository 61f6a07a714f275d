"""Reminder digests: who is told, what the e-mail says, and that none goes twice.

Who may get what (see factories.world_made): the council's officer and administrator
act for it and are e-mailed about what it owes; its member, its departed (inactive)
officer and its officer with no e-mail address get nothing; the charity's officer is
told only when something owed to the charity is missed.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse

from localcompact.obligations import reminders
from localcompact.obligations.models import Obligation, Reminder, Status
from localcompact.obligations.reminders import (
    digest_message,
    reminders_queue,
    reminders_send,
    site_link,
)
from localcompact.obligations.sweep import obligations_sweep
from localcompact.organisations.models import Membership, Role

from .factories import DOC, DOC_TITLE, obligation_made, world_made

NOW = dt.datetime(2027, 1, 5, 6, 0, tzinfo=dt.UTC)
EARLIER = "may already have been in an earlier reminder"
TUESDAY = dt.date(2027, 1, 5)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server said no")


class WorkerDied(BaseException):
    """Not an Exception: nothing in the sender catches it, as nothing runs on SIGKILL."""


class DyingBackend(locmem.EmailBackend):
    """Sends the first e-mail; the worker dies while sending the second."""

    def send_messages(self, messages):
        if mail.outbox:
            raise WorkerDied
        return super().send_messages(messages)


@pytest.fixture
def world(db):
    return world_made()


def sweep(day: dt.date = TUESDAY):
    return obligations_sweep(today=day, now=NOW)


def due_soon_for(world, organisation, count, **kwargs):
    """`count` obligations of `organisation` that enter their window on Tuesday 5 January."""
    return [
        obligation_made(
            world.standards["reply"], owed_by=organisation, due_on=dt.date(2027, 1, 8), **kwargs
        )
        for _ in range(count)
    ]


def missed_by(world, organisation, count, **kwargs):
    """`count` obligations of `organisation` due Monday 4 January, so missed on the 5th."""
    return [
        obligation_made(
            world.standards["reply"], owed_by=organisation, due_on=dt.date(2027, 1, 4), **kwargs
        )
        for _ in range(count)
    ]


def inbox() -> dict[str, list]:
    by_person: dict[str, list] = {}
    for message in mail.outbox:
        by_person.setdefault(message.to[0], []).append(message)
    return by_person


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


class TestWhoIsTold:
    def test_each_acting_person_gets_one_email_a_day_holding_all_their_items(self, world):
        due_soon_for(world, world.council, 3)
        missed_by(world, world.council, 1)

        sweep()

        people = inbox()
        assert sorted(people) == ["council.admin@example.org", "council.officer@example.org"]
        for messages in people.values():
            [message] = messages
            assert message.subject == "3 obligations due soon and 1 missed for Testshire Council"
        digest = Reminder.objects.get(recipient=world.council_officer)
        assert (digest.kind, digest.on, digest.obligations.count()) == ("owing", TUESDAY, 4)

    def test_members_without_an_acting_role_inactive_people_and_no_address_get_nothing(self, world):
        missed_by(world, world.council, 2)

        sweep()

        told = set(Reminder.objects.values_list("recipient__username", flat=True))
        assert told == {"council.officer", "council.admin"}
        for silent in ("council.member", "departed.officer", "no.email"):
            assert silent not in told

    def test_the_owed_to_side_is_told_when_an_obligation_to_them_is_missed(self, world):
        missed_by(world, world.council, 2, owed_to=[world.charity])

        sweep()

        [message] = inbox()["charity.officer@example.org"]
        assert message.subject == "2 obligations to Testshire Charity were missed"
        digest = Reminder.objects.get(recipient=world.charity_officer)
        assert digest.kind == Reminder.Kind.OWED
        assert digest.obligations.count() == 2

    def test_the_owed_to_side_is_not_told_when_an_obligation_is_only_due_soon(self, world):
        due_soon_for(world, world.council, 2, owed_to=[world.charity])

        sweep()

        assert "charity.officer@example.org" not in inbox()

    def test_someone_acting_for_two_organisations_gets_one_digest_for_both(self, world):
        Membership.objects.create(
            user=world.other_officer, organisation=world.council, role=Role.ADMINISTRATOR
        )
        missed_by(world, world.council, 1)
        due_soon_for(world, world.other_council, 2)

        sweep()

        [message] = inbox()["other.officer@example.org"]
        assert message.subject == (
            "2 obligations due soon and 1 missed for Otherton Council and Testshire Council"
        )

    def test_an_officer_of_both_sides_gets_one_digest_of_each_kind(self, world):
        Membership.objects.create(
            user=world.charity_officer, organisation=world.council, role=Role.OFFICER
        )
        missed_by(world, world.council, 1, owed_to=[world.charity])

        sweep()

        subjects = sorted(m.subject for m in inbox()["charity.officer@example.org"])
        assert subjects == [
            "1 obligation missed by Testshire Council",
            "1 obligation to Testshire Charity was missed",
        ]

    def test_each_obligation_is_stamped_with_the_day_it_was_reminded(self, world):
        [soon] = due_soon_for(world, world.council, 1)
        [late] = missed_by(world, world.council, 1)

        sweep()

        soon.refresh_from_db()
        late.refresh_from_db()
        assert (soon.reminded_due_soon_on, soon.reminded_missed_on) == (TUESDAY, None)
        assert (late.reminded_due_soon_on, late.reminded_missed_on) == (None, TUESDAY)

    def test_an_obligation_nobody_can_be_told_about_is_stamped_and_not_tried_again(self, world):
        [orphan] = missed_by(world, None, 1, owed_by_role="The subgroup chair")

        assert sweep().reminders_queued == 0

        orphan.refresh_from_db()
        assert orphan.reminded_missed_on == TUESDAY
        assert Reminder.objects.count() == 0


class TestAtMostOnce:
    def test_a_second_sweep_the_same_day_adds_nothing_and_sends_nothing(self, world):
        missed_by(world, world.council, 2, owed_to=[world.charity])
        sweep()
        sent = len(mail.outbox)

        again = sweep()

        assert (again.reminders_queued, again.reminders_sent) == (0, 0)
        assert len(mail.outbox) == sent == 3
        assert Reminder.objects.count() == 3

    def test_queueing_twice_adds_no_second_digest_and_no_second_link(self, world):
        missed_by(world, world.council, 2)
        Obligation.objects.update(status=Status.MISSED)

        assert reminders_queue(today=TUESDAY) == 2
        Obligation.objects.update(reminded_missed_on=None)  # as if the stamp were lost
        assert reminders_queue(today=TUESDAY) == 0

        assert Reminder.objects.count() == 2
        assert Reminder.obligations.through.objects.count() == 4

    def test_a_reminder_left_sending_by_a_stopped_worker_is_never_resent(self, world):
        missed_by(world, world.council, 1)
        Obligation.objects.update(status=Status.MISSED)
        reminders_queue(today=TUESDAY)
        Reminder.objects.filter(recipient=world.council_officer).update(
            state=Reminder.State.SENDING
        )

        result = reminders_send(now=NOW)
        again = reminders_send(now=NOW)

        assert [m.to[0] for m in mail.outbox] == ["council.admin@example.org"]
        assert (result.sent, result.unconfirmed) == (1, 1)
        assert (again.sent, again.unconfirmed) == (0, 1)
        stuck = Reminder.objects.get(recipient=world.council_officer)
        assert (stuck.state, stuck.sent_at) == (Reminder.State.SENDING, None)

    @pytest.mark.parametrize("claim", [1, 2])
    def test_a_worker_dying_mid_send_loses_one_claim_marked_lost_later_and_carried_over(
        self, world, settings, caplog, monkeypatch, claim
    ):
        monkeypatch.setattr(reminders, "SEND_BATCH", claim)
        missed_by(world, world.council, 2, owed_to=[world.charity])  # 3 digests
        settings.EMAIL_BACKEND = f"{__name__}.DyingBackend"
        with pytest.raises(WorkerDied):
            sweep()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        claimed = list(Reminder.objects.filter(state=Reminder.State.SENDING))
        assert len(claimed) == claim  # the loss is bounded by the claim

        retry = reminders_send(now=NOW + dt.timedelta(minutes=1))  # within the lease
        assert (retry.sent, retry.unconfirmed) == (1, claim)
        caplog.set_level("INFO", logger="localcompact.audit")
        late = NOW + reminders.SEND_LEASE + dt.timedelta(minutes=5)
        sent_before = len(mail.outbox)

        result = obligations_sweep(today=TUESDAY, now=late)

        assert (result.reminders_lost, result.reminders_sent, result.reminders_unconfirmed) == (
            claim,
            0,
            0,
        )
        assert len(mail.outbox) == sent_before  # never sent again
        lost = Reminder.objects.filter(pk__in=[r.pk for r in claimed])
        assert {r.state for r in lost} == {Reminder.State.LOST}
        logged = [r for r in caplog.records if getattr(r, "event", "") == "reminder.lost"]
        assert sorted(r.audit_fields["reminder"] for r in logged) == sorted(
            f"obligations.reminder:{r.pk}" for r in claimed
        )
        assert "@" not in repr([r.audit_fields for r in logged])
        assert obligations_sweep(today=TUESDAY, now=late).reminders_lost == 0

        # The next day's digests: the lost digests' people are told again, no one else.
        obligations_sweep(today=dt.date(2027, 1, 6), now=late + dt.timedelta(days=1))
        carried = mail.outbox[sent_before:]
        assert sorted(m.to[0] for m in carried) == sorted(r.recipient.email for r in claimed)
        assert all(m.subject.startswith("2 obligations missed") for m in carried)
        # They say so, in text and HTML; the first day's digests did not.
        for message, said in [(m, False) for m in mail.outbox[:sent_before]] + [
            (m, True) for m in carried
        ]:
            for part in (message.body, message.alternatives[0][0]):
                assert (EARLIER in part) is said
        assert {(r.state, r.carried_on) for r in lost.all()} == {
            (Reminder.State.LOST, dt.date(2027, 1, 6))
        }
        assert Reminder.objects.filter(state=Reminder.State.SENDING).count() == 0

    @override_settings(EMAIL_BACKEND="localcompact.obligations.tests.test_reminders.FailingBackend")
    def test_a_failing_mail_backend_marks_the_reminder_failed_with_the_error(self, world):
        missed_by(world, world.council, 1)

        result = sweep()
        again = sweep()

        assert (result.reminders_sent, result.reminders_failed) == (0, 2)
        assert (again.reminders_sent, again.reminders_failed) == (0, 0)
        for reminder in Reminder.objects.all():
            assert reminder.state == Reminder.State.FAILED
            assert reminder.error == "ConnectionRefusedError: the mail server said no"

    def test_a_sent_reminder_records_when_it_went(self, world):
        missed_by(world, world.council, 1)
        sweep()
        for reminder in Reminder.objects.all():
            assert (reminder.state, reminder.sent_at) == (Reminder.State.SENT, NOW)

    def test_an_obligation_arriving_after_the_days_digest_went_waits_for_tomorrow(self, world):
        due_soon_for(world, world.council, 1)
        sweep()
        [late_comer] = due_soon_for(world, world.council, 1, summary="Recorded at noon")
        mail.outbox.clear()

        sweep()
        assert mail.outbox == []
        late_comer.refresh_from_db()
        assert late_comer.reminded_due_soon_on is None

        sweep(dt.date(2027, 1, 6))
        assert len(mail.outbox) == 2
        assert all("Recorded at noon" in m.body for m in mail.outbox)
        late_comer.refresh_from_db()
        assert late_comer.reminded_due_soon_on == dt.date(2027, 1, 6)

    def test_a_newcomer_is_not_sent_a_digest_of_what_the_others_must_wait_for(self, world):
        due_soon_for(world, world.council, 1)
        sweep()
        due_soon_for(world, world.council, 1)
        Membership.objects.create(
            user=world.other_officer, organisation=world.council, role=Role.OFFICER
        )

        sweep()

        assert not Reminder.objects.filter(recipient=world.other_officer).exists()


class TestTheEmail:
    def test_each_row_shows_the_due_date_status_standard_clause_and_who_owes_whom(self, world):
        obligation_made(
            world.standards["reply"],
            owed_by=world.council,
            due_on=dt.date(2027, 1, 4),
            owed_to=[world.charity],
            owed_to_label="respondents",
            summary="Reply to the charity's letter",
        )

        sweep()

        [message] = inbox()["council.officer@example.org"]
        text = message.body
        assert "Hello council.officer," in text
        assert "- Reply to the charity's letter" in text
        assert "Due: Monday 4 January 2027" in text
        assert "Status: Missed" in text
        assert "Owed by: Testshire Council" in text
        assert "Owed to: Testshire Charity, respondents" in text
        assert "Standard: Reply" in text
        assert f"Source: {DOC_TITLE} ({DOC}), clause 4.reply" in text
        assert "&#x27;" not in text and "&amp;" not in text

    def test_the_html_is_a_plain_accessible_table_with_no_images_or_outside_styles(self, world):
        missed_by(world, world.council, 1, summary="Publish the minutes & papers")
        due_soon_for(world, world.council, 1)

        sweep()

        html = html_of(inbox()["council.officer@example.org"][0])
        assert '<html lang="en-GB">' in html
        assert "<h1" in html and "<caption" in html
        assert html.count("<table") == 2  # missed, then due soon
        assert re.search(r"<caption[^>]*>Missed \(1\)</caption>", html)
        assert '<th scope="col"' in html and '<th scope="row"' in html
        assert "Publish the minutes &amp; papers" in html
        assert "Monday 4 January 2027" in html
        for banned in ("<img", "<link", "<script", "<style"):
            assert banned not in html

    def test_a_long_digest_lists_the_first_rows_and_counts_the_rest(self, world, monkeypatch):
        monkeypatch.setattr(reminders, "MAX_ROWS", 2)
        missed_by(world, world.council, 5)

        sweep()

        [message] = inbox()["council.officer@example.org"]
        assert message.subject == "5 obligations missed by Testshire Council"
        assert message.body.count("\n- ") == 2
        assert "And 3 more not listed here." in message.body

    def test_an_item_settled_since_it_was_queued_is_shown_as_settled(self, world):
        [done] = missed_by(world, world.council, 1)
        Obligation.objects.update(status=Status.MISSED)
        reminders_queue(today=TUESDAY)
        Obligation.objects.filter(pk=done.pk).update(status=Status.MET_LATE)

        reminders_send(now=NOW)

        message = mail.outbox[0]
        assert "Settled since this e-mail was prepared" in message.body
        assert "Status: Met late" in message.body

    @override_settings(SITE_URL="https://compact.example.org")
    def test_each_row_links_to_its_obligation_on_the_configured_site(self, world):
        [obligation] = missed_by(world, world.council, 1)

        sweep()

        page = reverse("obligations:obligation", kwargs={"pk": obligation.pk})
        [message] = inbox()["council.officer@example.org"]
        assert f"https://compact.example.org{page}" in message.body
        assert f'href="https://compact.example.org{page}"' in html_of(message)
        dashboard = reverse("obligations:dashboard")
        assert f"https://compact.example.org{dashboard}" in message.body

    @override_settings(SITE_URL="https://compact.example.org/")
    def test_links_are_absolute_on_the_configured_site(self):
        assert site_link("compacts:detail", slug="testshire") == (
            "https://compact.example.org/compacts/testshire/"
        )

    def test_a_link_to_a_page_that_does_not_exist_yet_is_left_out(self):
        assert site_link("obligations:no-such-page", pk=1) == ""

    def test_the_subject_is_one_line(self, world):
        missed_by(world, world.council, 1)
        Obligation.objects.update(status=Status.MISSED)
        reminders_queue(today=TUESDAY)
        reminder = Reminder.objects.get(recipient=world.council_officer)

        message = digest_message(reminder)

        assert "\n" not in message.subject
        assert message.to == ["council.officer@example.org"]
