"""Governance's rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world both Eastbrook organisations have signed Leicester. The support
team has a steering-group make-up in effect and one being put together, an agreed action
plan (with an action the council owns) and a draft one, a meeting with an unpublished
agenda and an election taking nominations, a review, a proposed revision, an event and
a story waiting to be published. Eastbrook Voluntary Action has raised a concern with
the council. Following `rules.py`:

- the public side (bodies in effect, agreed plans, meetings, elections, revisions,
  news, events, published stories, outcomes, the events feed) is for everyone; a draft
  make-up or plan is not found for anyone but the support team and staff;
- the support team's pages are for it and staff;
- the action's owner (its officers and administrators) reports progress on it;
- officers and administrators of a signatory nominate, vote, publish news and send
  stories; the support team and staff nominate and publish, but vote for no one;
- a concern is seen only by the two organisations' members: everyone else is told it
  does not exist.
"""

import datetime as dt

from localcompact.governance import services
from localcompact.organisations.models import Signature
from tests.quality.matrix import (
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    acting,
    but,
    everyone,
    signed_in,
    support_team,
)


def prepare(world) -> None:
    support, today, now = world.user("support"), world.today, world.now
    compact = world.compact
    for organisation in (world.organisation, world.partner):
        Signature.objects.create(
            compact=compact,
            version=compact.current_version,
            organisation=organisation,
            organisation_name=organisation.name,
            signatory_name="A Signatory",
            signatory_position="Chair",
            signed_on=today - dt.timedelta(days=30),
            method=Signature.Method.PAPER,
            received_on=today - dt.timedelta(days=29),
        )
    o = world.objects
    o.current = services.composition_create(
        compact=compact, body="steering-group", title="In effect", by=support
    )
    services.member_add(
        composition=o.current,
        seat="public-nominees",
        name="A Nominee",
        organisation=world.organisation,
        by=support,
        now=now,
    )
    services.composition_activate(composition=o.current, on=today, by=support, now=now)
    o.draft = services.composition_create(
        compact=compact, body="steering-group", title="Being put together", by=support
    )
    o.member = services.member_add(
        composition=o.draft,
        seat="public-nominees",
        name="Another Nominee",
        organisation=world.organisation,
        by=support,
        now=now,
    )
    o.plan = services.plan_create(
        compact=compact, title="Agreed plan", starts_on=today, ends_on=today, by=support
    )
    services.plan_agree(plan=o.plan, on=today, by=support, today=today)
    o.draft_plan = services.plan_create(
        compact=compact, title="Draft plan", starts_on=today, ends_on=today, by=support
    )
    o.action = services.action_add(
        plan=o.plan, title="An action", owner=world.organisation, due_on=today, by=support
    )
    o.meeting = services.meeting_create(
        compact=compact,
        title="Annual meeting",
        on=today + dt.timedelta(days=30),
        by=support,
        today=today,
    )
    services.agenda_generate(meeting=o.meeting, by=support, today=today)
    o.election = services.election_create(meeting=o.meeting, composition=o.draft, by=support)
    o.review = services.review_schedule(
        compact=compact,
        counts_from=today,
        due_on=today + dt.timedelta(days=60),
        by=support,
        today=today,
    )
    o.revision = services.revision_propose(
        compact=compact,
        title="A revision",
        reason_kind="other",
        reason="Because",
        target="outcome",
        target_id="services",
        new_text="Services improve.",
        by=support,
    )
    o.post = services.post_publish(
        compact=compact,
        kind="event",
        title="Joint training",
        body="Together",
        organisation=None,
        starts_at=now + dt.timedelta(days=5),
        today=today,
        by=support,
    )
    o.story = services.story_submit(
        compact=compact,
        organisation=world.partner,
        title="A story",
        body="It worked",
        worked=True,
        code=None,
        by=support,
        today=today,
    )
    o.concern = services.concern_raise(
        compact=compact,
        raised_by_organisation=world.partner,
        raised_with=world.organisation,
        subject="A concern",
        text="Details",
        standard=compact.current_version.standards.first(),
        by=support,
        today=today,
    )


def c(w) -> dict:
    return {"compact": w.compact.slug}


def pk(name):
    return lambda w: {**c(w), "pk": getattr(w.objects, name).pk}


SUPPORT = support_team(OK)
DRAFT = but(everyone(NOT_FOUND), support=OK, staff=OK)
SIGNATORY_OFFICERS = acting(OK)  # officers and administrators of the (signatory) council
WITH_SUPPORT = but(acting(OK), support=OK, staff=OK)

MATRIX = {
    "governance:index": Route(everyone(OK)),
    "governance:home": Route(everyone(OK), kwargs=c),
    "governance:outcomes": Route(everyone(OK), kwargs=c),
    "governance:history": Route(SUPPORT, kwargs=c),
    "governance:composition": [
        Route(everyone(OK), kwargs=pk("current")),
        Route(DRAFT, kwargs=pk("draft"), state="being put together"),
    ],
    "governance:composition_new": Route(SUPPORT, kwargs=c),
    "governance:member_new": Route(SUPPORT, kwargs=pk("draft")),
    "governance:member_remove": Route(
        SUPPORT, kwargs=lambda w: {**pk("draft")(w), "member": w.objects.member.pk}
    ),
    "governance:composition_activate": Route(SUPPORT, kwargs=pk("draft")),
    "governance:plan": [
        Route(everyone(OK), kwargs=pk("plan")),
        Route(DRAFT, kwargs=pk("draft_plan"), state="not agreed"),
    ],
    "governance:plan_new": Route(SUPPORT, kwargs=c),
    "governance:plan_agree": Route(SUPPORT, kwargs=pk("draft_plan")),
    "governance:action_new": Route(SUPPORT, kwargs=pk("plan")),
    "governance:action_progress": Route(WITH_SUPPORT, kwargs=pk("action")),
    "governance:meeting": Route(everyone(OK), kwargs=pk("meeting")),
    "governance:meeting_new": Route(SUPPORT, kwargs=c),
    "governance:meeting_invite": [
        Route(SUPPORT, kwargs=pk("meeting")),
        Route(support_team(REDIRECT), kwargs=pk("meeting"), method="post"),
    ],
    "governance:agenda_generate": [
        Route(SUPPORT, kwargs=pk("meeting")),
        Route(support_team(REDIRECT), kwargs=pk("meeting"), method="post"),
    ],
    "governance:agenda_publish": Route(SUPPORT, kwargs=pk("meeting")),
    "governance:meeting_access": [
        Route(SUPPORT, kwargs=pk("meeting")),
        # every field is optional: an empty form saves "nothing recorded"
        Route(support_team(REDIRECT), kwargs=pk("meeting"), method="post"),
    ],
    "governance:meeting_record": Route(SUPPORT, kwargs=pk("meeting")),
    "governance:decision_new": Route(SUPPORT, kwargs=pk("meeting")),
    "governance:election_new": Route(SUPPORT, kwargs=pk("meeting")),
    "governance:election": Route(everyone(OK), kwargs=pk("election")),
    "governance:nominate": Route(WITH_SUPPORT, kwargs=pk("election")),
    "governance:voting_open": Route(SUPPORT, kwargs=pk("election")),
    "governance:vote": Route(
        SIGNATORY_OFFICERS, kwargs=lambda w: {**pk("election")(w), "seat": "vcs-unfunded"}
    ),
    "governance:election_close": Route(SUPPORT, kwargs=pk("election")),
    "governance:review_new": Route(SUPPORT, kwargs=c),
    "governance:review_record": Route(SUPPORT, kwargs=pk("review")),
    "governance:revision_new": Route(SUPPORT, kwargs=c),
    "governance:revision": Route(everyone(OK), kwargs=pk("revision")),
    "governance:revision_decide": Route(SUPPORT, kwargs=pk("revision")),
    "governance:news": Route(everyone(OK), kwargs=c),
    "governance:post_new": Route(WITH_SUPPORT, kwargs=c),
    "governance:follow": [
        Route(signed_in(OK), kwargs=c),
        Route(signed_in(REDIRECT), kwargs=c, method="post"),
    ],
    "governance:post": Route(everyone(OK), kwargs=pk("post")),
    "governance:events_feed": Route(everyone(OK), kwargs=c),
    "governance:stories": Route(everyone(OK), kwargs=c),
    "governance:story_new": Route(SIGNATORY_OFFICERS, kwargs=c),
    "governance:stories_waiting": Route(SUPPORT, kwargs=c),
    "governance:story_decide": Route(SUPPORT, kwargs=pk("story")),
    "governance:concerns": Route(signed_in(OK), kwargs=c),
    "governance:concern_new": Route(SIGNATORY_OFFICERS, kwargs=c),
    "governance:concern_text": Route(
        but(signed_in(NOT_FOUND), member=OK, officer=OK, administrator=OK),
        kwargs=pk("concern"),
    ),
    "governance:concern": Route(
        but(signed_in(NOT_FOUND), member=OK, officer=OK, administrator=OK),
        kwargs=pk("concern"),
    ),
}
