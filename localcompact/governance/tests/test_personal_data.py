"""A person's governance records in their personal data file, and what erasing their
account does to them (localcompact/governance/personal_data.py).

The trust's administrator publishes a joint event, signs up for the council's event,
follows Leicester's news, sends in a story (the support team publishes it), raises a
concern with the council (the council's officer replies) and replies to one the council
raised, nominates a candidate and casts the trust's vote, reports progress on the trust's
action, records a decision, and sits on the steering group in effect. Then they ask to be
erased.
"""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.accounts.models import DeletionRequest
from localcompact.accounts.personal_data import FORMER_USER, account_erase, personal_data_collect
from localcompact.organisations.models import CompactRole, CompactRoleKind

from .. import personal_data as governance_data
from .. import selectors, services
from ..models import (
    ActionUpdate,
    BodyMember,
    Concern,
    Decision,
    GovernanceEvent,
    Nomination,
    Post,
    SignUp,
    Story,
    Subscription,
    VoteCast,
)
from .conftest import NOW, TODAY
from .factories import steering_group

pytestmark = pytest.mark.django_db

SECTIONS = (
    "governance_posts_published",
    "governance_event_sign_ups",
    "governance_stories_sent_in",
    "governance_stories_decided",
    "governance_concerns_raised",
    "governance_concern_replies_written",
    "governance_votes_cast",
    "governance_nominations_made",
    "governance_news_followed",
    "governance_progress_reported",
    "governance_decisions_recorded",
    "governance_body_seats",
    "governance_changes_made",
    "governance_action_changes_made",
)


def _event(world, title, *, by, organisation, days=3):
    return services.post_publish(
        compact=world.leicester,
        kind="event",
        title=title,
        body="Come along",
        organisation=organisation,
        starts_at=NOW + dt.timedelta(days=days),
        place="Town hall",
        places=20,
        today=TODAY,
        by=by,
    )


@pytest.fixture
def story(world):
    w = world
    person = w.person = w.user("trust_admin")
    support, officer = w.user("support"), w.user("officer")
    standard = w.leicester.current_version.standards.get(ident="consultation-minimum-period")

    # News and events.
    w.own_event = _event(w, "Trust open day", by=person, organisation=w.trust)
    w.council_event = _event(w, "Council training", by=officer, organisation=w.council)
    services.signup(post=w.council_event, user=person, organisation=w.trust, now=NOW)
    services.signup(post=w.council_event, user=officer, organisation=None, now=NOW)
    services.subscription_toggle(user=person, compact=w.leicester, today=TODAY)
    services.subscription_toggle(user=officer, compact=w.leicester, today=TODAY)

    # A story, and concerns both ways.
    w.story = services.story_submit(
        compact=w.leicester,
        organisation=w.trust,
        title="Funding talks went well",
        body="The council listened early.",
        worked=True,
        code=None,
        by=person,
        today=TODAY,
    )
    services.story_decide(story=w.story, publish=True, by=support, today=TODAY)
    w.concern = services.concern_raise(
        compact=w.leicester,
        raised_by_organisation=w.trust,
        raised_with=w.council,
        subject="Short consultation",
        text="Only three weeks were given.",
        suggestion="Give twelve",
        standard=standard,
        by=person,
        today=TODAY,
    )
    services.concern_reply(concern=w.concern, reply="Noted, sorry", by=officer, today=TODAY)
    w.their_concern = services.concern_raise(
        compact=w.leicester,
        raised_by_organisation=w.council,
        raised_with=w.trust,
        subject="Late monitoring return",
        text="The council's own words about the trust",
        standard=standard,
        by=officer,
        today=TODAY,
    )
    services.concern_reply(
        concern=w.their_concern, reply="It is on its way", by=person, today=TODAY
    )

    # An election: they nominate a candidate and cast the trust's vote.
    w.meeting = services.meeting_create(
        compact=w.leicester, title="AGM", on=TODAY, by=support, today=TODAY
    )
    draft = steering_group(w, skip={"vcs-funded", "vcs-unfunded", "vcs-bme", "vcs-equality"})
    w.election = services.election_create(meeting=w.meeting, composition=draft, by=support)
    w.nomination = services.nomination_add(
        election=w.election,
        seat="vcs-unfunded",
        candidate="Cathy Candidate",
        organisation=w.trust,
        statement="Ten years in the sector",
        by=person,
    )
    w.other = services.nomination_add(
        election=w.election,
        seat="vcs-unfunded",
        candidate="Other Candidate",
        organisation=w.trust,
        by=support,
    )
    services.voting_open(election=w.election, by=support)
    services.vote_cast(
        election=w.election,
        seat="vcs-unfunded",
        organisation=w.trust,
        choices=[w.other],
        by=person,
    )
    services.decision_add(meeting=w.meeting, text="Accounts approved", by=person)

    # Progress on the trust's action.
    plan = services.plan_create(
        compact=w.leicester, title="Plan 2026", starts_on=TODAY, ends_on=TODAY, by=support
    )
    w.action = services.action_add(
        plan=plan, title="Joint bid", owner=w.trust, due_on=TODAY, outcome="funding", by=support
    )
    services.action_progress(
        action=w.action, status="in_progress", text="Bid drafted", on=TODAY, by=person
    )

    # A seat on the steering group in effect.
    w.composition = services.composition_create(
        compact=w.leicester, body="steering-group", title="Steering group 2026", by=support
    )
    w.seat = services.member_add(
        composition=w.composition,
        seat="vcs-unfunded",
        name="Tess Trustee",
        organisation=w.trust,
        user=person,
        how="Elected",
        by=support,
        now=NOW,
    )
    services.composition_activate(composition=w.composition, on=TODAY, by=support, now=NOW)
    w.seat_title = selectors.seat_of(w.composition.body_definition, "vcs-unfunded")["title"]
    return w


def erase(w, person):
    deletion = DeletionRequest.objects.create(user=person, reason="Please")
    return account_erase(deletion=deletion, by=w.user("staff"), now=NOW)


def text_of(data) -> str:
    return json.dumps(data, default=str)


class TestDownload:
    def test_what_they_published_and_wrote_is_in_their_file(self, story):
        data = personal_data_collect(story.person, now=NOW)
        [post] = data["governance_posts_published"]
        assert (post["title"], post["organisation"], post["place"]) == (
            "Trust open day",
            "Testshire Community Trust",
            "Town hall",
        )
        assert post["starts"] == (NOW + dt.timedelta(days=3)).isoformat()
        [sent] = data["governance_stories_sent_in"]
        assert (sent["title"], sent["text"], sent["status"]) == (
            "Funding talks went well",
            "The council listened early.",
            "Published",
        )
        [raised] = data["governance_concerns_raised"]
        assert (raised["raised_with"], raised["text"], raised["suggestion"]) == (
            "Testshire Council",
            "Only three weeks were given.",
            "Give twelve",
        )
        assert raised["replied"] == TODAY.isoformat()
        [reply] = data["governance_concern_replies_written"]
        assert (reply["concern"], reply["raised_by"], reply["reply"]) == (
            "Late monitoring return",
            "Testshire Council",
            "It is on its way",
        )
        [update] = data["governance_progress_reported"]
        assert (update["action"], update["text"], update["status"]) == (
            "Joint bid",
            "Bid drafted",
            "In progress",
        )
        assert [d["decision"] for d in data["governance_decisions_recorded"]] == [
            "Accounts approved"
        ]
        json.dumps(data)  # all of it serialisable

    def test_what_others_wrote_to_them_is_left_out(self, story):
        text = text_of(personal_data_collect(story.person, now=NOW))
        assert "The council's own words about the trust" not in text
        assert "Noted, sorry" not in text  # the council officer's reply

    def test_their_sign_ups_and_the_news_they_follow_are_in_their_file(self, story):
        data = personal_data_collect(story.person, now=NOW)
        [signup] = data["governance_event_sign_ups"]
        assert (signup["event"], signup["for_organisation"], signup["place"]) == (
            "Council training",
            "Testshire Community Trust",
            "Town hall",
        )
        assert data["governance_news_followed"] == [
            {"compact": story.leicester.name, "since": TODAY.isoformat(), "last_digest": None}
        ]

    def test_their_vote_says_for_which_organisation_never_for_whom(self, story):
        data = personal_data_collect(story.person, now=NOW)
        [vote] = data["governance_votes_cast"]
        assert vote == {
            "compact": story.leicester.name,
            "election": str(story.election),
            "meeting": "AGM",
            "seat": story.seat_title,
            "for_organisation": "Testshire Community Trust",
        }
        # The one they voted for is named nowhere in the file; the one they nominated
        # is, as their nomination (public on the election page).
        assert "Other Candidate" not in text_of(data)
        [nomination] = data["governance_nominations_made"]
        assert (nomination["candidate"], nomination["statement"]) == (
            "Cathy Candidate",
            "Ten years in the sector",
        )

    def test_their_seat_and_their_changes_are_in_their_file(self, story):
        data = personal_data_collect(story.person, now=NOW)
        [seat] = data["governance_body_seats"]
        assert seat["body"] == "Steering group 2026"
        assert seat["seat"] == story.seat_title
        assert (seat["name_recorded"], seat["make_up"], seat["from"]) == (
            "Tess Trustee",
            "Current",
            TODAY.isoformat(),
        )
        changes = {c["change"] for c in data["governance_changes_made"]}
        assert {"post-published", "story-submitted", "nominated"} <= changes
        [change] = data["governance_action_changes_made"]
        assert (change["action"], change["what"], change["status"]) == (
            "Joint bid",
            "changed",
            "In progress",
        )

    def test_history_entries_naming_someone_else_are_listed_without_the_name(self, story):
        data = personal_data_collect(story.user("support"), now=NOW)
        added = [c for c in data["governance_changes_made"] if c["change"] == "member-added"]
        assert added and all(c["subject"] is None for c in added)
        assert "Tess Trustee" not in text_of(data)
        decided = data["governance_stories_decided"]
        assert [(s["title"], s["decision"]) for s in decided] == [
            ("Funding talks went well", "Published")
        ]

    def test_nothing_of_anyone_else_is_in_a_file(self, story):
        data = personal_data_collect(story.user("outsider"), now=NOW)
        for section in SECTIONS:
            assert data[section] == [], section

    def test_the_download_page_carries_it(self, client, story):
        client.force_login(story.person)
        response = client.get(reverse("account_personal_data_download"))
        assert response.status_code == 200
        data = json.loads(response.content)
        assert [p["title"] for p in data["governance_posts_published"]] == ["Trust open day"]

    def test_the_file_takes_the_same_queries_whatever_they_did(self, story):
        def count():
            with CaptureQueriesContext(connection) as queries:
                governance_data.personal_data(user=story.person)
            return len(queries)

        before = count()
        for n in range(3):
            post = _event(story, f"More {n}", by=story.person, organisation=story.trust)
            services.signup(post=post, user=story.person, organisation=story.trust, now=NOW)
            services.action_progress(
                action=story.action, status="in_progress", text=f"{n}", on=TODAY, by=story.person
            )
        assert count() == before


class TestErasure:
    def test_sign_ups_and_subscriptions_go_and_others_stay(self, story):
        counts = erase(story, story.person)
        assert counts["event sign-ups removed"] == 1
        assert counts["news subscriptions ended"] == 1
        assert not SignUp.objects.filter(user=story.person).exists()
        assert not Subscription.objects.filter(user=story.person).exists()
        officer = story.user("officer")
        assert SignUp.objects.filter(user=officer, post=story.council_event).exists()
        assert Subscription.objects.filter(user=officer).exists()
        # Their place on the event is free again.
        assert story.council_event.signups.count() == 1

    def test_the_compacts_record_stays_naming_a_former_user(self, story):
        person = story.person
        erase(story, person)
        person.refresh_from_db()
        assert person.get_full_name() == FORMER_USER
        assert Post.objects.get(pk=story.own_event.pk).created_by == person
        assert Story.objects.get(pk=story.story.pk).submitted_by == person
        concern = Concern.objects.get(pk=story.concern.pk)
        assert (concern.raised_by, concern.text) == (person, "Only three weeks were given.")
        replied = Concern.objects.get(pk=story.their_concern.pk)
        assert (replied.replied_by, replied.reply) == (person, "It is on its way")
        assert Nomination.objects.get(pk=story.nomination.pk).nominated_by == person
        assert ActionUpdate.objects.get(action=story.action).by == person
        assert Decision.objects.get(meeting=story.meeting).recorded_by == person
        assert GovernanceEvent.objects.filter(by=person, kind="post-published").exists()

    def test_the_trusts_vote_and_the_counts_are_kept(self, story):
        erase(story, story.person)
        vote = VoteCast.objects.get(election=story.election)
        assert (vote.organisation, vote.cast_by) == (story.trust, story.person)
        assert Nomination.objects.get(pk=story.other.pk).votes == 1

    def test_their_seat_stays_filled_by_a_former_user_with_no_account(self, story):
        counts = erase(story, story.person)
        assert counts["body seats anonymised"] == 1
        assert counts["history entries anonymised"] == 1
        seat = BodyMember.objects.get(pk=story.seat.pk)
        assert (seat.name, seat.user, seat.organisation, seat.how) == (
            FORMER_USER,
            None,
            story.trust,
            "Elected",
        )
        history = GovernanceEvent.objects.filter(compact=story.leicester)
        assert not history.filter(subject__contains="Tess Trustee").exists()
        assert history.filter(
            kind="member-added", subject=f"{FORMER_USER}, {story.seat_title}"
        ).exists()
        erased = history.get(kind="member-erased")
        assert (erased.note, erased.by) == ("Steering group 2026", story.user("staff"))
        # The other members of the body keep their names.
        assert history.filter(kind="member-added", subject__startswith="Chair Person").exists()

    def test_keeping_roles_in_step_never_gives_the_erased_account_a_role_again(self, story):
        person = story.person
        steering = CompactRole.objects.current().filter(
            user=person, kind=CompactRoleKind.STEERING_GROUP
        )
        assert steering.exists()
        erase(story, person)
        assert not steering.exists()
        services.roles_sync(compact=story.leicester, by=story.user("support"), now=NOW)
        assert not steering.exists()

    def test_after_erasure_their_file_holds_no_sign_ups_seats_or_subscriptions(self, story):
        erase(story, story.person)
        data = personal_data_collect(story.person, now=NOW)
        for section in (
            "governance_event_sign_ups",
            "governance_news_followed",
            "governance_body_seats",
        ):
            assert data[section] == [], section
        assert "Tess Trustee" not in text_of(data)
