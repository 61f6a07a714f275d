"""Every governance page for every person who matters (see conftest for who is who),
what confidential pages must not leak, the main forms, and query counts."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from localcompact.governance import services
from localcompact.governance.models import (
    Action,
    ActionPlan,
    BodyMember,
    Composition,
    Concern,
    Election,
    Meeting,
    Post,
    Review,
    Revision,
    Story,
)

from .conftest import NOW, TODAY
from .factories import steering_group

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "outsider",
    "member",
    "officer",
    "trust_admin",
    "advice_officer",
    "support",
    "staff",
)
LOGIN = "login"


@dataclass
class Objects:
    current: Composition
    draft: Composition
    member: BodyMember
    plan: ActionPlan
    draft_plan: ActionPlan
    action: Action
    meeting: Meeting
    election: Election
    review: Review
    revision: Revision
    post: Post
    story: Story
    concern: Concern


@pytest.fixture
def objects(world) -> Objects:
    support = world.user("support")
    current = steering_group(world, title="Current group")
    services.composition_activate(composition=current, on=TODAY, by=support, now=NOW)
    draft = steering_group(world, title="Draft group", skip={"vcs-funded", "vcs-unfunded"})
    plan = services.plan_create(
        compact=world.leicester, title="Agreed plan", starts_on=TODAY, ends_on=TODAY, by=support
    )
    services.plan_agree(plan=plan, on=TODAY, by=support, today=TODAY)
    draft_plan = services.plan_create(
        compact=world.leicester, title="Draft plan", starts_on=TODAY, ends_on=TODAY, by=support
    )
    action = services.action_add(
        plan=plan, title="An action", owner=world.council, due_on=TODAY, by=support
    )
    meeting = services.meeting_create(
        compact=world.leicester,
        title="AGM",
        on=TODAY + dt.timedelta(days=30),
        by=support,
        today=TODAY,
    )
    services.agenda_generate(meeting=meeting, by=support, today=TODAY)
    election = services.election_create(meeting=meeting, composition=draft, by=support)
    services.nomination_add(
        election=election,
        seat="vcs-funded",
        candidate="Ann Candidate",
        organisation=world.advice,
        by=support,
    )
    review = services.review_schedule(
        compact=world.leicester,
        counts_from=TODAY,
        due_on=TODAY + dt.timedelta(days=60),
        by=support,
        today=TODAY,
    )
    revision = services.revision_propose(
        compact=world.leicester,
        title="A revision",
        reason_kind="other",
        reason="Because",
        target="outcome",
        target_id="services",
        new_text="Services improve.",
        by=support,
    )
    post = services.post_publish(
        compact=world.leicester,
        kind="event",
        title="Joint training",
        body="Together",
        organisation=None,
        starts_at=NOW + dt.timedelta(days=5),
        place="Library",
        today=TODAY,
        by=support,
    )
    story = services.story_submit(
        compact=world.leicester,
        organisation=world.trust,
        title="A story",
        body="It worked",
        worked=True,
        code=None,
        by=world.user("trust_admin"),
        today=TODAY,
    )
    concern = services.concern_raise(
        compact=world.leicester,
        raised_by_organisation=world.trust,
        raised_with=world.council,
        subject="Confidential subject line",
        text="Confidential body text",
        standard=world.leicester.current_version.standards.first(),
        by=world.user("trust_admin"),
        today=TODAY,
    )
    return Objects(
        current=current,
        draft=draft,
        member=draft.members.first(),
        plan=plan,
        draft_plan=draft_plan,
        action=action,
        meeting=meeting,
        election=election,
        review=review,
        revision=revision,
        post=post,
        story=story,
        concern=concern,
    )


def everyone(outcome=200):
    return dict.fromkeys(ROLES, outcome)


def support_only():
    return {**everyone(403), "anonymous": LOGIN, "support": 200, "staff": 200}


def but(base, **changes):
    return {**base, **changes}


ACTING = {"officer": 200, "trust_admin": 200, "advice_officer": 200}

# name -> (kwargs from objects, expected by role)
PAGES = {
    "index": (lambda o: {}, everyone()),
    "home": (lambda o: {}, everyone()),
    "outcomes": (lambda o: {}, everyone()),
    "history": (lambda o: {}, support_only()),
    "composition": (lambda o: {"pk": o.current.pk}, everyone()),
    "composition#draft": (
        lambda o: {"pk": o.draft.pk},
        but(everyone(404), support=200, staff=200),
    ),
    "plan": (lambda o: {"pk": o.plan.pk}, everyone()),
    "plan#draft": (lambda o: {"pk": o.draft_plan.pk}, but(everyone(404), support=200, staff=200)),
    "meeting": (lambda o: {"pk": o.meeting.pk}, everyone()),
    "election": (lambda o: {"pk": o.election.pk}, everyone()),
    "revision": (lambda o: {"pk": o.revision.pk}, everyone()),
    "news": (lambda o: {}, everyone()),
    "post": (lambda o: {"pk": o.post.pk}, everyone()),
    "events_feed": (lambda o: {}, everyone()),
    "stories": (lambda o: {}, everyone()),
    "composition_new": (lambda o: {}, support_only()),
    "member_new": (lambda o: {"pk": o.draft.pk}, support_only()),
    "member_remove": (lambda o: {"pk": o.draft.pk, "member": o.member.pk}, support_only()),
    "composition_activate": (lambda o: {"pk": o.draft.pk}, support_only()),
    "plan_new": (lambda o: {}, support_only()),
    "plan_agree": (lambda o: {"pk": o.draft_plan.pk}, support_only()),
    "action_new": (lambda o: {"pk": o.plan.pk}, support_only()),
    "action_progress": (lambda o: {"pk": o.action.pk}, but(support_only(), officer=200)),
    "meeting_new": (lambda o: {}, support_only()),
    "meeting_invite": (lambda o: {"pk": o.meeting.pk}, support_only()),
    "meeting_access": (lambda o: {"pk": o.meeting.pk}, support_only()),
    "agenda_generate": (lambda o: {"pk": o.meeting.pk}, support_only()),
    "agenda_publish": (lambda o: {"pk": o.meeting.pk}, support_only()),
    "meeting_record": (lambda o: {"pk": o.meeting.pk}, support_only()),
    "decision_new": (lambda o: {"pk": o.meeting.pk}, support_only()),
    "election_new": (lambda o: {"pk": o.meeting.pk}, support_only()),
    "voting_open": (lambda o: {"pk": o.election.pk}, support_only()),
    "election_close": (lambda o: {"pk": o.election.pk}, support_only()),
    "nominate": (lambda o: {"pk": o.election.pk}, but(support_only(), **ACTING)),
    "vote": (
        lambda o: {"pk": o.election.pk, "seat": "vcs-funded"},
        {**everyone(403), "anonymous": LOGIN, **ACTING},
    ),
    "review_new": (lambda o: {}, support_only()),
    "review_record": (lambda o: {"pk": o.review.pk}, support_only()),
    "revision_new": (lambda o: {}, support_only()),
    "revision_decide": (lambda o: {"pk": o.revision.pk}, support_only()),
    "post_new": (lambda o: {}, but(support_only(), **ACTING)),
    "follow": (lambda o: {}, but(everyone(200), anonymous=LOGIN)),
    "story_new": (lambda o: {}, {**everyone(403), "anonymous": LOGIN, **ACTING}),
    "stories_waiting": (lambda o: {}, support_only()),
    "story_decide": (lambda o: {"pk": o.story.pk}, support_only()),
    "concerns": (lambda o: {}, but(everyone(200), anonymous=LOGIN)),
    "concern_new": (lambda o: {}, {**everyone(403), "anonymous": LOGIN, **ACTING}),
    "concern_text": (
        lambda o: {"pk": o.concern.pk},
        {
            **everyone(404),
            "anonymous": LOGIN,
            "member": 200,
            "officer": 200,
            "trust_admin": 200,
        },
    ),
    # Only the two organisations' members: everyone else is told it does not exist.
    "concern": (
        lambda o: {"pk": o.concern.pk},
        {
            **everyone(404),
            "anonymous": LOGIN,
            "member": 200,
            "officer": 200,
            "trust_admin": 200,
        },
    ),
}


def url_for(name, world, objects):
    kwargs, _ = PAGES[name]
    route = name.split("#")[0]
    args = {"compact": world.leicester.slug, **kwargs(objects)} if route != "index" else {}
    return reverse(f"governance:{route}", kwargs=args)


def sign_in(client, world, role):
    if role != "anonymous":
        client.force_login(world.user(role))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_answers_each_person_as_it_should(client, world, objects, name):
    url = url_for(name, world, objects)
    expected = PAGES[name][1]
    got = {}
    for role in ROLES:
        client.logout()
        sign_in(client, world, role)
        response = client.get(url)
        outcome = response.status_code
        if outcome == 302 and "/sign-in/" in response["Location"]:
            outcome = LOGIN
        got[role] = outcome
    assert got == expected


def test_the_concern_leaks_nowhere_public(client, world, objects):
    pages = ["home", "news", "stories", "outcomes", "meeting", "history", "events_feed"]
    for role in ("anonymous", "outsider", "advice_officer", "support", "staff"):
        client.logout()
        sign_in(client, world, role)
        for name in pages + ["concerns"]:
            if name in ("concerns", "history") and role == "anonymous":
                continue
            body = client.get(url_for(name, world, objects)).content.decode()
            assert "Confidential" not in body, (role, name)


def test_the_concerns_list_shows_only_ones_own(client, world, objects):
    client.force_login(world.user("member"))
    assert (
        "Confidential subject line"
        in client.get(url_for("concerns", world, objects)).content.decode()
    )
    client.force_login(world.user("advice_officer"))
    assert (
        "Confidential subject line"
        not in client.get(url_for("concerns", world, objects)).content.decode()
    )


def test_drafts_and_unpublished_agendas_stay_with_the_support_team(client, world, objects):
    home = client.get(url_for("home", world, objects)).content.decode()
    assert "Draft group" not in home and "Draft plan" not in home and "Current group" in home
    meeting = client.get(url_for("meeting", world, objects)).content.decode()
    assert "Progress on the compact" not in meeting
    client.force_login(world.user("support"))
    assert (
        "Progress on the compact" in client.get(url_for("meeting", world, objects)).content.decode()
    )


def test_the_composition_page_names_the_unmet_quota(client, world, objects):
    client.force_login(world.user("support"))
    body = client.get(url_for("composition#draft", world, objects)).content.decode()
    assert (
        "Seat &#x27;Voluntary and community members from publicly funded organisations&#x27; "
        "needs 2 members and has 0" in body
    )
    body = client.get(url_for("composition", world, objects)).content.decode()
    assert "meets every seat quota" in body


def test_results_stay_sealed_until_published(client, world, objects):
    support = world.user("support")
    election = services.voting_open(election=objects.election, by=support)
    nomination = election.nominations.get()
    services.vote_cast(
        election=election,
        seat="vcs-funded",
        organisation=world.trust,
        choices=[nomination],
        by=world.user("trust_admin"),
    )
    body = client.get(url_for("election", world, objects)).content.decode()
    assert "Votes" not in body and "Elected" not in body
    assert "1 organisation voted" in body


def test_an_officer_votes_once_through_the_form(client, world, objects):
    services.voting_open(election=objects.election, by=world.user("support"))
    client.force_login(world.user("trust_admin"))
    url = url_for("vote", world, objects)
    nomination = objects.election.nominations.get()
    data = {"organisation": str(world.trust.pk), "choices": [str(nomination.pk)]}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400
    assert "has already voted" in again.content.decode()


def test_a_nomination_refused_keeps_what_was_typed(client, world, objects):
    client.force_login(world.user("trust_admin"))
    response = client.post(
        url_for("nominate", world, objects),
        {"seat": "vcs-funded", "candidate": "Typed Name", "organisation": str(world.trust.pk)},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "receives public funding" in body and 'value="Typed Name"' in body
    assert "govuk-error-summary" in body


def test_a_member_is_added_through_the_form(client, world, objects):
    client.force_login(world.user("support"))
    response = client.post(
        url_for("member_new", world, objects),
        {
            "seat": "vcs-funded",
            "name": "New Member",
            "organisation": str(world.advice.pk),
            "email": world.user("advice_officer").email,
        },
    )
    assert response.status_code == 302
    assert objects.draft.members.filter(
        name="New Member", user=world.user("advice_officer")
    ).exists()


def test_the_owner_reports_progress(client, world, objects):
    client.force_login(world.user("officer"))
    response = client.post(
        url_for("action_progress", world, objects), {"status": "in_progress", "text": "Begun"}
    )
    assert response.status_code == 302
    plan_page = client.get(url_for("plan", world, objects)).content.decode()
    assert "Begun" in plan_page


def test_the_owed_organisation_replies_to_a_concern(client, world, objects):
    url = url_for("concern", world, objects)
    client.force_login(world.user("member"))
    assert client.post(url, {"reply": "No"}).status_code == 403
    client.force_login(world.user("officer"))
    assert client.post(url, {"reply": "We will fix it"}).status_code == 302
    objects.concern.refresh_from_db()
    assert objects.concern.reply == "We will fix it"


def test_signing_up_for_an_event(client, world, objects):
    url = url_for("post", world, objects)
    assert "/sign-in/" in client.post(url)["Location"]
    client.force_login(world.user("member"))
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 400 and "already signed up" in again.content.decode()


def test_the_events_feed_is_icalendar(client, world, objects):
    from icalendar import Calendar

    response = client.get(url_for("events_feed", world, objects))
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == "Joint training"


def test_a_revision_is_adopted_through_the_form(client, world, objects):
    client.force_login(world.user("support"))
    response = client.post(
        url_for("revision_decide", world, objects),
        {"decision": "adopt", "on-day": "4", "on-month": "3", "on-year": "2026"},
    )
    assert response.status_code == 302
    objects.revision.refresh_from_db()
    assert objects.revision.adopted_version.number == 2


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["home", "composition", "plan", "meeting", "election", "news", "stories", "concerns"]
)
def test_pages_use_the_same_number_of_queries_whatever_the_size(client, world, objects, name):
    client.force_login(world.user("support"))
    url = url_for(name, world, objects)
    support = world.user("support")
    services.story_decide(story=objects.story, publish=True, by=support, today=TODAY)
    _count(client, url)  # warm caches (sessions, content types)
    small = _count(client, url)
    for n in range(4):
        services.action_progress(
            action=services.action_add(
                plan=objects.plan, title=f"More {n}", owner=world.health, due_on=TODAY, by=support
            ),
            status="in_progress",
            text="Going",
            on=TODAY,
            by=support,
        )
        services.member_add(
            composition=objects.current,
            seat="public-nominees",
            name=f"Extra {n}",
            organisation=world.council,
            by=support,
            now=NOW,
        )
        services.nomination_add(
            election=objects.election,
            seat="vcs-unfunded",
            candidate=f"Cand {n}",
            organisation=world.trust,
            by=support,
        )
        services.post_publish(
            compact=world.leicester,
            kind="news",
            title=f"News {n}",
            body="B",
            organisation=None,
            today=TODAY,
            by=support,
        )
        services.story_decide(
            story=services.story_submit(
                compact=world.leicester,
                organisation=world.trust,
                title=f"S {n}",
                body="B",
                worked=False,
                code=None,
                by=support,
                today=TODAY,
            ),
            publish=True,
            by=support,
            today=TODAY,
        )
        services.agenda_generate(meeting=objects.meeting, by=support, today=TODAY)
    assert _count(client, url) == small


def test_the_exchange_downloads_as_text(client, world, objects):
    services.concern_reply(
        concern=objects.concern, reply="We are sorry", by=world.user("officer"), today=TODAY
    )
    client.force_login(world.user("trust_admin"))
    response = client.get(url_for("concern_text", world, objects))
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Confidential body text" in text and "We are sorry" in text
