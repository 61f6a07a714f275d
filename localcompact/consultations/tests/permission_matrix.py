"""The consultations' rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world (tests/quality/world.py) Eastbrook Borough Council, made a current
signatory of Leicester's compact here (a public body must have signed to lead one), runs
consultations in three states: one planned, one open (with a response from an
individual, one sent for Eastbrook Voluntary Action by its officer, and an anonymous
one) and one whose feedback is published (its responses sent, one published with
consent). Two more people (`EXTRA_ROLES`): `respondent`, who sent the individual
response, and `partner`, the officer of Eastbrook Voluntary Action who sent its response.
Following `rules.py`:

- the list, forward plan, calendar feed, a consultation's page, its documents, the ways
  to respond and the published feedback are public; the feedback page is not found until
  it is published;
- planning is for officers and administrators of a public or voluntary body
  (`plan_start` refuses anyone who acts for none); a consultation is run (opened,
  closed, documents added, analysed, decided, fed back) by the lead body's officers and
  administrators only; the support team and staff do not run other bodies'
  consultations;
- the responses, as sent, are seen by the lead body's members and by staff, never by
  respondents or the support team; an anonymous response shows no identity (none is
  stored: the services' tests prove it);
- a response is changed, and its receipt page seen, only by the person who wrote it or an
  officer of the organisation it is from: to anyone else it does not exist (404);
- responding as an individual, for an organisation, and following topics need an
  account; an anonymous response and the receipt-code check do not.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from localcompact.consultations import services
from localcompact.consultations.models import Consultation, Method, ResponseKind
from localcompact.organisations.models import Membership, Role, Signature
from tests.quality.matrix import (
    FORBIDDEN,
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

WEEKS = 13  # longer than any compact's minimum period: no exception needed


def _person(name: str):
    return get_user_model().objects.create_user(
        f"matrix-{name}", email=f"{name}@matrix.example.org", password="matrix test passphrase"
    )


def _plan(world, *, today: dt.date, opens_on: dt.date, title: str):
    return services.consultation_plan(
        compact=world.compact,
        lead=world.organisation,
        by=world.user("officer"),
        today=today,
        title=title,
        summary="We propose new opening hours for the libraries.",
        open_to_change="The hours on weekdays.",
        who_affected="Library users and staff.",
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(weeks=WEEKS),
        feedback_by=opens_on + dt.timedelta(weeks=WEEKS + 8),
        response_methods=[Method.ONLINE, Method.POST],
        anonymous_allowed=True,
        acknowledged=True,
    )


def _responses(world, consultation, *, on: dt.date) -> dict:
    """An individual's, an organisation's (Eastbrook Voluntary Action) and an anonymous
    response, all sent on `on`."""
    o = world.objects
    individual, _ = services.response_save(
        consultation=consultation,
        kind=ResponseKind.INDIVIDUAL,
        by=o.respondent,
        today=on,
        submit=True,
        respondent_name="Rita Respondent",
        answer="Open on Sundays, please.",
        consent_to_publish=True,
    )
    organisation, _ = services.response_save(
        consultation=consultation,
        kind=ResponseKind.ORGANISATION,
        by=o.partner,
        today=on,
        submit=True,
        organisation=world.partner,
        represents="Our 40 member groups.",
        views_gathered="A members' meeting.",
        answer="Keep the evening hours.",
    )
    anonymous, _ = services.response_save(
        consultation=consultation,
        kind=ResponseKind.ANONYMOUS,
        by=None,
        today=on,
        submit=True,
        answer="Longer hours in the school holidays.",
    )
    return {"individual": individual, "organisation": organisation, "anonymous": anonymous}


def prepare(world) -> None:
    o = world.objects
    day, officer = world.today, world.user("officer")
    Signature.objects.create(
        compact=world.compact,
        version=world.compact.current_version,
        organisation=world.organisation,
        organisation_name=world.organisation.name,
        signatory_name="A Signatory",
        signatory_position="Chief executive",
        signed_on=day - dt.timedelta(days=60),
        method=Signature.Method.PAPER,
    )
    o.respondent = _person("respondent")
    o.partner = _person("partner")
    Membership.objects.create(user=o.partner, organisation=world.partner, role=Role.OFFICER)

    # Planned: opens in a fortnight, with a document.
    o.planned = _plan(
        world, today=day, opens_on=day + dt.timedelta(days=14), title="Parking charges"
    )
    o.document = services.document_add(
        consultation=o.planned,
        title="The proposal",
        uploaded=SimpleUploadedFile("proposal.pdf", b"%PDF-1.4 matrix", "application/pdf"),
        by=officer,
        today=day,
    )

    # Open since ten days ago, with three responses.
    opened_on = day - dt.timedelta(days=10)
    o.open = _plan(
        world, today=opened_on - dt.timedelta(days=14), opens_on=opened_on, title="Libraries"
    )
    services.consultation_open(consultation=o.open, by=officer, today=opened_on)
    o.open_responses = _responses(world, o.open, on=opened_on)

    # Run from start to end: closed, analysed, decided, feedback published.
    start = day - dt.timedelta(days=200)
    o.done = _plan(world, today=start - dt.timedelta(days=14), opens_on=start, title="Parks")
    services.consultation_open(consultation=o.done, by=officer, today=start)
    o.done_responses = _responses(world, o.done, on=start + dt.timedelta(days=1))
    after = o.done.closes_on + dt.timedelta(days=1)
    services.consultation_close(consultation=o.done, by=officer, today=after)
    services.consultation_start_analysis(consultation=o.done, by=officer, today=after)
    services.response_publish(
        response=o.done_responses["individual"],
        text="Open on Sundays, please.",
        by=officer,
        today=after,
    )
    services.consultation_decide(
        consultation=o.done,
        decision="Parks open later.",
        reasons="Most asked for it.",
        effect="We added an hour.",
        petitions_considered="",
        by=officer,
        today=after,
    )
    services.consultation_publish_feedback(
        consultation=o.done, what_you_told_us="You want later hours.", by=officer, today=after
    )
    for c in (o.planned, o.open, o.done):
        c.refresh_from_db()


EXTRA_ROLES = {
    "respondent": lambda w: w.objects.respondent,
    "partner": lambda w: w.objects.partner,
}


def cast(base: dict, *, respondent, partner) -> dict:
    """A row for the matrix's people and this app's two extra ones."""
    return {**base, "respondent": respondent, "partner": partner}


def public(outcome=OK) -> dict:
    return cast(everyone(outcome), respondent=outcome, partner=outcome)


def anyone_signed_in(outcome=OK) -> dict:
    return cast(signed_in(outcome), respondent=outcome, partner=outcome)


def lead_acting(outcome) -> dict:
    """Officers and administrators of the lead body; everyone else signed in is refused."""
    return cast(acting(outcome), respondent=FORBIDDEN, partner=FORBIDDEN)


# The responses, as sent: the lead body's members and staff.
SEES_RESPONSES = cast(but(members(OK), staff=OK), respondent=FORBIDDEN, partner=FORBIDDEN)


def pk(name: str):
    return lambda w: {"pk": getattr(w.objects, name).pk}


def response_of(consultation: str, which: str):
    def kwargs(w):
        c = getattr(w.objects, consultation)
        return {"pk": c.pk, "rid": getattr(w.objects, f"{consultation}_responses")[which].pk}

    return kwargs


def council_plan(w) -> dict:
    return {"org": w.organisation.slug, "compact": w.compact.slug}


def its_own_response(which: str) -> dict:
    """Only the person who wrote it (or, for an organisation's, its officers) finds it."""
    base = cast(signed_in(NOT_FOUND), respondent=NOT_FOUND, partner=NOT_FOUND)
    base["respondent" if which == "individual" else "partner"] = OK
    return base


def closed_now(w, client) -> None:
    """The consultation's closing date is in the past (its status not yet moved)."""
    Consultation.objects.filter(pk=w.objects.open.pk).update(
        opens_on=w.today - dt.timedelta(days=100), closes_on=w.today - dt.timedelta(days=1)
    )


def no_anonymous(w, client) -> None:
    Consultation.objects.filter(pk=w.objects.open.pk).update(anonymous_allowed=False)


MATRIX = {
    # --- Public pages ---------------------------------------------------------------------
    "consultations:list": [
        Route(public(OK)),
        Route(public(OK), query="q=Libraries&status=open&page=2", state="searched, page 2"),
    ],
    "consultations:forward_plan": [
        Route(public(OK)),
        Route(public(OK), query="compact=leicester&page=99", state="a page past the end"),
    ],
    "consultations:calendar": Route(public(OK)),
    "consultations:detail": [
        Route(public(OK), kwargs=pk("planned"), state="planned"),
        Route(public(OK), kwargs=pk("open"), state="open"),
        Route(public(OK), kwargs=pk("done"), state="feedback published"),
        Route(public(NOT_FOUND), kwargs=lambda w: {"pk": 999999}, state="no such consultation"),
    ],
    "consultations:document": [
        Route(
            public(OK), kwargs=lambda w: {"pk": w.objects.planned.pk, "doc": w.objects.document.pk}
        ),
        Route(
            public(NOT_FOUND),
            kwargs=lambda w: {"pk": w.objects.open.pk, "doc": w.objects.document.pk},
            state="another consultation's address",
        ),
    ],
    "consultations:feedback": [
        Route(public(OK), kwargs=pk("done"), state="published"),
        Route(public(NOT_FOUND), kwargs=pk("open"), state="not yet published"),
    ],
    "consultations:respond_choose": [
        Route(public(OK), kwargs=pk("open"), state="open"),
        Route(public(OK), kwargs=pk("done"), state="closed: says so"),
    ],
    # --- Planning and running: the lead body's officers and administrators -----------------
    "consultations:plan_start": Route(
        # acting for a public or voluntary body: the partner's officer may plan too
        cast(acting(OK), respondent=FORBIDDEN, partner=OK)
    ),
    "consultations:plan": [
        Route(lead_acting(OK), kwargs=council_plan),
        Route(lead_acting(INVALID), kwargs=council_plan, method="post"),
        Route(
            cast(signed_in(NOT_FOUND), respondent=NOT_FOUND, partner=NOT_FOUND),
            kwargs=lambda w: {"org": "nowhere", "compact": w.compact.slug},
            state="no such organisation",
        ),
    ],
    "consultations:planned": Route(lead_acting(OK), kwargs=pk("planned")),
    "consultations:move": [
        # refused or done, the lead body's officers go back to the page with a message
        Route(
            lead_acting(REDIRECT),
            kwargs=pk("planned"),
            method="post",
            data=lambda w: {"to": "open"},
            state="opening before its day: refused",
        ),
        Route(
            lead_acting(REDIRECT),
            kwargs=pk("open"),
            method="post",
            data=lambda w: {"to": "close"},
            before=closed_now,
            state="closing after its closing date",
        ),
        Route(
            lead_acting(NOT_FOUND),
            kwargs=pk("open"),
            method="post",
            data=lambda w: {"to": "nowhere"},
            state="no such move",
        ),
        Route(anyone_signed_in(NOT_ALLOWED), kwargs=pk("open"), state="a GET"),
    ],
    "consultations:document_new": [
        Route(lead_acting(OK), kwargs=pk("planned")),
        Route(lead_acting(INVALID), kwargs=pk("planned"), method="post"),
    ],
    "consultations:decide": [
        # only while being analysed: otherwise back to the consultation's page
        Route(lead_acting(REDIRECT), kwargs=pk("open"), state="still open"),
        Route(lead_acting(REDIRECT), kwargs=pk("done"), method="post", state="already decided"),
    ],
    "consultations:publish_feedback": [
        Route(lead_acting(REDIRECT), kwargs=pk("open"), state="not yet decided"),
        Route(lead_acting(REDIRECT), kwargs=pk("done"), method="post", state="already published"),
    ],
    # --- The responses, as sent -----------------------------------------------------------
    "consultations:responses": [
        Route(SEES_RESPONSES, kwargs=pk("open"), state="open"),
        Route(SEES_RESPONSES, kwargs=pk("done"), state="feedback published"),
    ],
    "consultations:response": [
        Route(SEES_RESPONSES, kwargs=response_of("open", "individual"), state="an individual's"),
        Route(SEES_RESPONSES, kwargs=response_of("open", "anonymous"), state="an anonymous one"),
        Route(
            # publishing with consent is the lead body's; members and staff only read
            cast(
                but(members(FORBIDDEN), officer=INVALID, administrator=INVALID),
                respondent=FORBIDDEN,
                partner=FORBIDDEN,
            ),
            kwargs=response_of("open", "individual"),
            method="post",
            state="publishing with an empty text",
        ),
        Route(
            cast(members(FORBIDDEN), respondent=FORBIDDEN, partner=FORBIDDEN),
            kwargs=response_of("open", "organisation"),
            method="post",
            state="publishing without the respondent's consent",
        ),
    ],
    "consultations:analysis": [
        Route(SEES_RESPONSES, kwargs=pk("open"), state="open"),
        Route(SEES_RESPONSES, kwargs=pk("done"), state="feedback published"),
        Route(
            cast(members(FORBIDDEN), respondent=FORBIDDEN, partner=FORBIDDEN),
            kwargs=pk("done"),
            method="post",
            state="a theme after the decision",
        ),
    ],
    # --- Responding -----------------------------------------------------------------------
    "consultations:respond": [
        Route(
            anyone_signed_in(OK),
            kwargs=lambda w: {"pk": w.objects.open.pk, "kind": "individual"},
            state="as an individual",
        ),
        Route(
            cast(signed_in(INVALID), respondent=INVALID, partner=INVALID),
            kwargs=lambda w: {"pk": w.objects.open.pk, "kind": "individual"},
            method="post",
            data=lambda w: {"action": "send"},
            state="as an individual, sent empty",
        ),
        Route(
            # for an organisation: whoever acts for one (of any sector)
            cast(
                but(signed_in(FORBIDDEN), officer=OK, administrator=OK),
                respondent=FORBIDDEN,
                partner=OK,
            ),
            kwargs=lambda w: {"pk": w.objects.open.pk, "kind": "organisation"},
            state="for an organisation",
        ),
        Route(
            public(OK),
            kwargs=lambda w: {"pk": w.objects.open.pk, "kind": "anonymous"},
            state="anonymously",
        ),
        Route(
            public(INVALID),
            kwargs=lambda w: {"pk": w.objects.open.pk, "kind": "anonymous"},
            method="post",
            data=lambda w: {"action": "send"},
            state="anonymously, sent empty",
        ),
        Route(
            public(NOT_FOUND),
            kwargs=lambda w: {"pk": w.objects.open.pk, "kind": "anonymous"},
            before=no_anonymous,
            state="anonymously where it takes no anonymous responses",
        ),
        Route(
            public(OK),
            kwargs=lambda w: {"pk": w.objects.done.pk, "kind": "anonymous"},
            state="closed: says it is not open",
        ),
        Route(
            public(NOT_FOUND),
            kwargs=lambda w: {"pk": w.objects.open.pk, "kind": "nonsense"},
            state="no such way to respond",
        ),
    ],
    "consultations:response_edit": [
        Route(its_own_response("individual"), kwargs=response_of("open", "individual")),
        Route(
            # an officer of the organisation it is from may change it too
            its_own_response("organisation"),
            kwargs=response_of("open", "organisation"),
            state="an organisation's",
        ),
        Route(
            {**its_own_response("individual"), "respondent": INVALID},
            kwargs=response_of("open", "individual"),
            method="post",
            data=lambda w: {"action": "send"},
            state="sent again empty",
        ),
        Route(
            # no one changes an anonymous response here: it is changed with its receipt code
            cast(signed_in(NOT_FOUND), respondent=NOT_FOUND, partner=NOT_FOUND),
            kwargs=response_of("open", "anonymous"),
            state="an anonymous one",
        ),
        Route(
            # closed: the respondent is sent to what they sent
            {**its_own_response("individual"), "respondent": REDIRECT},
            kwargs=response_of("done", "individual"),
            state="closed",
        ),
    ],
    "consultations:response_sent": [
        Route(its_own_response("individual"), kwargs=response_of("open", "individual")),
        Route(
            its_own_response("organisation"),
            kwargs=response_of("done", "organisation"),
            state="an organisation's, closed",
        ),
        Route(
            cast(signed_in(NOT_FOUND), respondent=NOT_FOUND, partner=NOT_FOUND),
            kwargs=response_of("open", "anonymous"),
            state="an anonymous one",
        ),
    ],
    "consultations:my_responses": Route(anyone_signed_in(OK)),
    "consultations:receipt": [
        Route(public(OK)),
        # a wrong code: the form's error, for everyone alike
        Route(public(INVALID), method="post", data=lambda w: {"code": "WRONG-CODE"}),
    ],
    # --- Following ------------------------------------------------------------------------
    "consultations:follow": [
        Route(anyone_signed_in(OK)),
        Route(anyone_signed_in(REDIRECT), method="post", state="following nothing"),
    ],
}
