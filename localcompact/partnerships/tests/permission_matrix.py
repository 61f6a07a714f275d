"""The partnerships' rows of the permission matrix (tests/quality/test_permission_matrix.py).

In the matrix's world (tests/quality/world.py) Eastbrook Borough Council runs the
Eastbrook Partnership Board under Leicester's compact (which has no partnership
standards, so the group's own checklist of its terms applies and no obligations are
owed). Eastbrook Voluntary Action sits on the board; its officer, who is not in the
cast, is linked to its seat. The board's terms are complete; it has a meeting to come
with a confidential agenda item and a paper, a meeting held last week with attendance,
a declaration of interest, a decision and draft minutes, a calendar and a nomination
asked of an infrastructure body. The voluntary body has asked the council to act,
holds information about the council it wants consent to pass on, and the council has
reported information withheld and recorded a freedom-of-information request about the
voluntary body's material. Following `rules.py`:

- the list of groups, a group's page and its meeting feed are public;
- a group's records (history, meetings, registers of interests) are for the
  participants (here the council's people), the compact's support team and staff;
- everything that changes a group is for the officers and administrators of the
  council, which convenes it; actions are refused before their form is read, so an
  empty form gives the people allowed its errors (400) and the others 403; the
  confirmations that have no fields are carried out (302);
- a request to act is seen by both organisations, the support team and staff, and
  acted on by officers of the organisation asked (the council);
- a withheld-information report is seen by the reporting organisation, the support
  team and staff, and considered by the support team (staff count as support team);
- a consent and an FOI request are seen by members of the two organisations only;
  consent is decided by officers of the organisation it is about, and the public body's
  officers decide an FOI request.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from localcompact.core.uploads import document_store
from localcompact.organisations.models import Kind, Membership, Organisation, Role
from localcompact.partnerships import services
from localcompact.partnerships.models import PaperDocument
from tests.quality.matrix import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    OK,
    REDIRECT,
    Route,
    acting,
    but,
    everyone,
    members,
    signed_in,
    support_team,
)


def prepare(world) -> None:
    o = world.objects
    officer = world.user("officer")
    today = world.today
    before = today - dt.timedelta(days=60)
    o.partner_officer = get_user_model().objects.create_user(
        "matrix-partner-officer", email="partner@matrix.example.org", password="x" * 20
    )
    Membership.objects.create(user=o.partner_officer, organisation=world.partner, role=Role.OFFICER)
    o.infra = Organisation.objects.create(
        name="Eastbrook Infrastructure Network",
        slug="eastbrook-infrastructure-network",
        sector="vcs",
        kind=Kind.INFRASTRUCTURE,
    )
    group = services.group_create(
        compact=world.compact,
        convener=world.organisation,
        name="Eastbrook Partnership Board",
        kind="board",
        set_up_on=before,
        by=officer,
        today=before,
    )
    o.chair = services.member_add(
        group=group,
        organisation=world.organisation,
        name="Chair Person",
        role="decision_making",
        voting=True,
        represents="own_organisation",
        constituency="",
        joined_on=before,
        by=officer,
        today=before,
    )
    o.seat = services.member_add(
        group=group,
        organisation=world.partner,
        name="Partner Person",
        role="decision_making",
        voting=True,
        represents="own_organisation",
        constituency="",
        joined_on=before,
        by=officer,
        today=before,
        user=o.partner_officer,
    )
    services.terms_update(
        group=group,
        aims_and_tasks="Plan and review local services together.",
        authority="decides",
        decision_method="majority",
        finality="can_be_overturned",
        overturned_where="The council's cabinet",
        quorum=2,
        representation_sought="",
        electronic_means="E-mail",
        by=officer,
        today=before,
    )
    group.refresh_from_db()
    assert group.terms_complete
    o.group = group
    services.access_confirm(member=o.chair, by=officer, today=today)
    services.interest_register(
        member=o.seat,
        description="Trustee of a local charity",
        registered_on=before,
        by=o.partner_officer,
        today=before,
    )
    o.calendar = services.calendar_create(
        group=group, year_kind="calendar", year=today.year + 1, by=officer, today=today
    )
    o.nomination = services.nomination_request(
        group=group,
        infrastructure_body=o.infra,
        constituency="Youth groups",
        role_description="Speak for youth groups",
        by=officer,
        today=today,
    )

    def starts(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))

    o.future = services.meeting_schedule(
        group=group,
        title="Board meeting",
        starts_at=starts(today + dt.timedelta(days=40)),
        location="Town hall",
        decision_making=True,
        by=officer,
        today=today,
    )
    o.restricted = services.item_add(
        meeting=o.future,
        title="Matrix confidential item",
        description="Not for the support team",
        sensitivity="confidential",
        embargo_until=None,
        by=officer,
        today=today,
    )
    o.paper = services.paper_add(
        meeting=o.future,
        title="Grants paper",
        item=o.restricted,
        sent_on=None,
        tabled=False,
        tabled_reason="",
        sensitivity="",
        embargo_until=None,
        by=officer,
        today=today,
    )
    document_store(
        PaperDocument(paper=o.paper),
        SimpleUploadedFile("grants.pdf", b"%PDF-1.4\n% the grants paper\n"),
        by=officer,
    )
    o.open_paper = services.paper_add(
        meeting=o.future,
        title="Open agenda paper",
        item=None,
        sent_on=None,
        tabled=False,
        tabled_reason="",
        sensitivity="",
        embargo_until=None,
        by=officer,
        today=today,
        file=SimpleUploadedFile("agenda.txt", b"The agenda, for everyone on the board."),
    )
    o.past = services.meeting_schedule(
        group=group,
        title="Last week's meeting",
        starts_at=starts(today - dt.timedelta(days=7)),
        location="Town hall",
        decision_making=True,
        by=officer,
        today=today - dt.timedelta(days=30),
    )
    item = services.item_add(
        meeting=o.past,
        title="Budget",
        description="",
        sensitivity="",
        embargo_until=None,
        by=officer,
        today=today - dt.timedelta(days=30),
    )
    services.attendance_record(
        meeting=o.past,
        statuses={o.chair.pk: "present", o.seat.pk: "present"},
        by=officer,
        today=today,
    )
    services.declaration_record(
        item=item,
        member=o.seat,
        interest="Grant applicant",
        participation="left_room",
        by=officer,
        today=today,
    )
    o.decision = services.decision_record(
        meeting=o.past,
        item=item,
        text="Adopt the budget",
        method="majority",
        votes_for=2,
        votes_against=0,
        abstentions=0,
        by=officer,
        today=today,
    )
    services.minutes_save(meeting=o.past, minutes="We met.", by=officer, today=today)
    o.request = services.request_make(
        compact=world.compact,
        group=group,
        from_organisation=world.partner,
        to_organisation=world.organisation,
        title="Send the figures",
        details="For the grants round",
        received_on=today,
        action_due_on=today + dt.timedelta(days=28),
        emergency=False,
        emergency_reason="",
        by=o.partner_officer,
        today=today,
    )
    o.withheld = services.withheld_report(
        compact=world.compact,
        group=group,
        reported_by=world.organisation,
        about=world.partner,
        information="The closure date",
        risk="Contracts signed without it",
        by=officer,
        today=today,
    )
    o.consent = services.consent_ask(
        compact=world.compact,
        holder=world.partner,
        about=world.organisation,
        information="Spending returns",
        recipient="The health trust",
        legal_basis="",
        by=o.partner_officer,
        today=today,
    )
    o.foi = services.foi_record(
        compact=world.compact,
        public_body=world.organisation,
        organisation=world.partner,
        reference="FOI-1",
        request_summary="Grant reports",
        material="The voluntary body's reports",
        received_on=today,
        by=officer,
        today=today,
    )


def group(w) -> dict:
    return {"slug": w.objects.group.slug}


def future(w) -> dict:
    return {**group(w), "pk": w.objects.future.pk}


def past(w) -> dict:
    return {**group(w), "pk": w.objects.past.pk}


def council(w) -> dict:
    return {"slug": w.organisation.slug}


def seat(w) -> dict:
    return {**group(w), "pk": w.objects.seat.pk}


# The group's records: its participants (the council's people), the support team, staff.
RECORDS = but(members(OK), support=OK, staff=OK)
BOTH = members(OK)  # members of the two organisations; only the council's are in the cast


def form(kwargs, *, done=INVALID) -> list[Route]:
    """A managers' form: its page, and an empty form sent (errors, or done when it has
    no fields)."""
    return [
        Route(acting(OK), kwargs=kwargs),
        Route(acting(done), kwargs=kwargs, method="post"),
    ]


MATRIX = {
    "partnerships:index": Route(everyone(OK)),
    "partnerships:group": [
        Route(everyone(OK), kwargs=group),
        Route(everyone(NOT_FOUND), kwargs=lambda w: {"slug": "nowhere"}, state="no such group"),
    ],
    "partnerships:feed": Route(everyone(OK), kwargs=group),
    "partnerships:history": Route(RECORDS, kwargs=group),
    "partnerships:terms": form(group, done=REDIRECT),  # every field may be left blank
    "partnerships:member_new": form(group),
    "partnerships:interests": Route(RECORDS, kwargs=seat),
    # The member (not in the cast), officers of their organisation and the convener's.
    "partnerships:interest_new": form(seat),
    "partnerships:member_change": form(seat),
    "partnerships:member_leave": form(seat),
    "partnerships:access": form(seat, done=REDIRECT),
    "partnerships:nomination_new": form(group),
    # The convener's officers, and the infrastructure body's (not in the cast).
    "partnerships:nomination": form(lambda w: {**group(w), "pk": w.objects.nomination.pk}),
    "partnerships:calendar_new": form(group),
    "partnerships:calendar_publish": form(
        lambda w: {**group(w), "pk": w.objects.calendar.pk}, done=REDIRECT
    ),
    "partnerships:meeting_new": form(group),
    "partnerships:meeting": [
        Route(RECORDS, kwargs=future),
        Route(RECORDS, kwargs=past, state="a meeting held"),
        Route(
            but(signed_in(NOT_FOUND), outsider=FORBIDDEN),
            kwargs=lambda w: {**group(w), "pk": 999999},
            state="no such meeting",
        ),
    ],
    "partnerships:notice": form(future),
    "partnerships:item_new": form(future),
    "partnerships:paper_new": form(future),
    "partnerships:paper_sent": form(lambda w: {**future(w), "paper": w.objects.paper.pk}),
    # A paper's file: whoever reads the group's records; the paper under the confidential
    # item is not found by the support team and staff, who may not see its title either.
    "partnerships:paper_document": [
        Route(RECORDS, kwargs=lambda w: {**future(w), "paper": w.objects.open_paper.pk}),
        Route(
            but(RECORDS, support=NOT_FOUND, staff=NOT_FOUND),
            kwargs=lambda w: {**future(w), "paper": w.objects.paper.pk},
            state="a paper under a confidential item",
        ),
    ],
    "partnerships:attendance": form(past),
    "partnerships:declaration_new": form(past),
    "partnerships:decision_new": form(past),
    "partnerships:minutes": form(past),
    "partnerships:minutes_approve": form(past, done=REDIRECT),
    "partnerships:meeting_cancel": form(future, done=REDIRECT),
    "partnerships:objection_new": form(lambda w: {**group(w), "pk": w.objects.decision.pk}),
    "partnerships:decision_electronic": form(group),
    "partnerships:organisation": Route(members(OK), kwargs=council),
    "partnerships:group_new": form(council),
    "partnerships:request_new": form(council),
    "partnerships:withheld_new": form(council),
    "partnerships:consent_new": form(council),
    "partnerships:foi_new": form(council),
    "partnerships:request": Route(
        but(BOTH, support=OK, staff=OK), kwargs=lambda w: {"pk": w.objects.request.pk}
    ),
    # Asked of the council: its officers act.
    "partnerships:request_done": form(lambda w: {"pk": w.objects.request.pk}),
    "partnerships:withheld": [
        Route(
            but(members(OK), support=OK, staff=OK), kwargs=lambda w: {"pk": w.objects.withheld.pk}
        ),
        Route(support_team(INVALID), kwargs=lambda w: {"pk": w.objects.withheld.pk}, method="post"),
    ],
    "partnerships:withheld_list": Route(
        support_team(OK), kwargs=lambda w: {"slug": w.compact.slug}
    ),
    # About the council: its officers decide.
    "partnerships:consent": [
        Route(BOTH, kwargs=lambda w: {"pk": w.objects.consent.pk}),
        Route(acting(INVALID), kwargs=lambda w: {"pk": w.objects.consent.pk}, method="post"),
    ],
    # The council is the public body: its officers decide.
    "partnerships:foi": [
        Route(BOTH, kwargs=lambda w: {"pk": w.objects.foi.pk}),
        Route(acting(INVALID), kwargs=lambda w: {"pk": w.objects.foi.pk}, method="post"),
    ],
}
