"""The obligations' rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world (tests/quality/world.py) Eastbrook Borough Council owes two
obligations under Leicester's standards to Eastbrook Voluntary Action, one of them
excused, and its officer has made a calendar link. Following `rules.py`:

- an obligation or an activity is seen by the members of the organisation that owes it
  (or is owed it, not in the cast) and by staff; the compact support team, not being
  staff, is refused like any outsider;
- changing them (excusing, marking done, withdrawing, recording) is for the officers and
  administrators of the organisation that owes them; actions are refused before their
  form is read, so a refused person gets 403 whatever they send, and the people allowed
  get the form's errors (400) for an empty one;
- an organisation's dashboards and calendar links are for its members; a calendar link
  is revoked by whoever made it or by an officer or administrator;
- the compliance figures and a calendar feed (by its secret address) are public.
"""

import datetime as dt

from localcompact.obligations.feeds import calendar_feed_create, calendar_feed_revoke
from localcompact.obligations.models import Obligation
from localcompact.obligations.services import activity_record, obligation_excuse
from tests.quality.matrix import (
    INVALID,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    acting,
    but,
    everyone,
    members,
    signed_in,
)


def prepare(world) -> None:
    version = world.compact.current_version
    officer = world.user("officer")
    o = world.objects
    o.activity = activity_record(
        organisation=world.organisation,
        standard=version.standards.get(ident="consultation-feedback"),
        title="Feedback on the library consultation",
        description="",
        start_on=world.today - dt.timedelta(days=3),
        end_on=None,
        agreed_due_on=None,
        owed_to=[world.partner],
        owed_to_label="",
        by=officer,
        today=world.today,
    )
    o.obligation = Obligation.objects.get(
        source_id=o.activity.pk, standard__ident="consultation-feedback"
    )
    consultation = activity_record(
        organisation=world.organisation,
        standard=version.standards.get(ident="consultation-minimum-period"),
        title="Consultation on parking charges",
        description="",
        start_on=world.today - dt.timedelta(days=40),
        end_on=world.today - dt.timedelta(days=10),
        agreed_due_on=None,
        owed_to=[world.partner],
        owed_to_label="",
        by=officer,
        today=world.today,
    )
    o.excused = obligation_excuse(
        obligation=Obligation.objects.get(
            source_id=consultation.pk, standard__ident="consultation-minimum-period"
        ),
        kind="where_legally_impossible",
        reason="The regulations set a six-week period.",
        today=world.today,
        by=officer,
    )
    o.feed, o.token = calendar_feed_create(organisation=world.organisation, by=officer)


def council(w) -> dict:
    return {"slug": w.organisation.slug}


def revoked(w, client) -> None:
    calendar_feed_revoke(feed=w.objects.feed, now=w.now)


# Members of the owing organisation, and staff, see obligations and activities.
SEEN = but(members(OK), staff=OK)
POST_ONLY = signed_in(NOT_ALLOWED)

MATRIX = {
    "obligations:dashboard": Route(
        # one organisation: straight to its dashboard; none: the list, which is empty
        but(signed_in(OK), member=REDIRECT, officer=REDIRECT, administrator=REDIRECT)
    ),
    "obligations:owing": [
        Route(members(OK), kwargs=council),
        Route(
            but(signed_in(NOT_FOUND)),
            kwargs=lambda w: {"slug": "nowhere"},
            state="no such organisation",
        ),
    ],
    "obligations:owed": Route(members(OK), kwargs=council),
    "obligations:calendar": Route(members(OK), kwargs=council),
    "obligations:calendar_create": [
        Route(members(OK), kwargs=council, method="post"),
        Route(POST_ONLY, kwargs=council, state="a GET"),
    ],
    "obligations:calendar_revoke": [
        Route(acting(OK), kwargs=lambda w: {**council(w), "feed": w.objects.feed.pk}),
        Route(
            acting(REDIRECT),
            kwargs=lambda w: {**council(w), "feed": w.objects.feed.pk},
            method="post",
        ),
    ],
    "obligations:obligation": [
        Route(SEEN, kwargs=lambda w: {"pk": w.objects.obligation.pk}),
        Route(signed_in(NOT_FOUND), kwargs=lambda w: {"pk": 999999}, state="no such obligation"),
    ],
    "obligations:excuse": [
        Route(acting(INVALID), kwargs=lambda w: {"pk": w.objects.obligation.pk}, method="post"),
        Route(POST_ONLY, kwargs=lambda w: {"pk": w.objects.obligation.pk}, state="a GET"),
    ],
    "obligations:excused": Route(SEEN, kwargs=lambda w: {"pk": w.objects.excused.pk}),
    "obligations:activity": Route(SEEN, kwargs=lambda w: {"pk": w.objects.activity.pk}),
    "obligations:activity_recorded": Route(SEEN, kwargs=lambda w: {"pk": w.objects.activity.pk}),
    "obligations:activity_done": [
        Route(acting(INVALID), kwargs=lambda w: {"pk": w.objects.activity.pk}, method="post"),
        Route(POST_ONLY, kwargs=lambda w: {"pk": w.objects.activity.pk}, state="a GET"),
    ],
    "obligations:activity_withdraw": [
        Route(acting(OK), kwargs=lambda w: {"pk": w.objects.activity.pk}),
        Route(acting(INVALID), kwargs=lambda w: {"pk": w.objects.activity.pk}, method="post"),
    ],
    "obligations:activity_new": Route(acting(OK), kwargs=council),
    "obligations:activity_new_details": Route(
        acting(OK),
        kwargs=lambda w: {
            **council(w),
            "compact": w.compact.slug,
            "standard": "consultation-feedback",
        },
    ),
    "obligations:compliance": Route(everyone(OK), kwargs=lambda w: {"slug": w.compact.slug}),
    "obligations:compliance_csv": Route(everyone(OK), kwargs=lambda w: {"slug": w.compact.slug}),
    "obligations:feed": [
        Route(everyone(OK), kwargs=lambda w: {"token": w.objects.token}),
        Route(
            everyone(NOT_FOUND),
            kwargs=lambda w: {"token": w.objects.token},
            before=revoked,
            state="a revoked link",
        ),
    ],
}
