"""Writes with a personal token: consultations and responses to them, the compacts'
meetings, awards and their payments.

Each operation checks, in this order: the token (401), its scope (403), the object (404),
the person's own permission on it, by the same `rules` permission as the web page (403;
but a response that is not the person's own is "not found", as on the site), and then
calls the same service as the web page. A service's refusal comes back as:

- 422 with the value to fix named in `errors` when the refusal is about a value
  (the service names a field);
- 409 when the object is not in a state that allows it (a closed consultation does not
  take responses, a payment already paid, an agenda already published...).

Services lock the rows whose state moves (`select_for_update`), so two requests at once
are answered one after the other, as two web forms would be.
"""

import datetime as dt
from typing import NoReturn

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Router, responses
from ninja.errors import HttpError

from localcompact.compacts.models import Compact
from localcompact.consultations import services as consultations
from localcompact.consultations.models import Consultation, Response, ResponseKind, Tag
from localcompact.funding import services as funding
from localcompact.funding.models import Award, Payment
from localcompact.governance import services as governance
from localcompact.governance.models import Meeting
from localcompact.organisations.models import Organisation

from .auth import permitted, require_scope, token_auth
from .errors import Invalid
from .idempotency import idempotent
from .models import Scope
from .private import _organisation_for
from .records import (
    award_item,
    consultation_item,
    consultations_public,
    meeting_detail,
    pounds,
)
from .schemas import (
    AgendaItemOut,
    AwardIn,
    AwardPrivateOut,
    ConfirmIn,
    ConsultationIn,
    ConsultationMade,
    ConsultationOut,
    DecisionIn,
    Error,
    FeedbackIn,
    Id,
    InvitedOut,
    MeetingDecisionIn,
    MeetingDetailOut,
    MeetingIn,
    MinutesIn,
    MoveIn,
    PaidIn,
    PaymentIn,
    PaymentOut,
    ResponseIn,
    ResponseOut,
    ResponseUpdateIn,
)

router = Router(auth=token_auth, tags=["Writing, with a personal token"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, 429: Error}


def _today() -> dt.date:
    return timezone.localdate()


def _refused(refusal, fields: dict[str, str] | None = None) -> NoReturn:
    """A service's refusal as the API answers it (see the module's docstring)."""
    if refusal.field:
        where = (fields or {}).get(refusal.field, f"body.{refusal.field}")
        raise Invalid([(where, refusal.message)])
    raise HttpError(409, refusal.message)


def _compact(slug: str) -> Compact:
    found = (
        Compact.objects.select_related("current_version")
        .filter(slug=slug, current_version__isnull=False)
        .first()
    )
    if found is None:
        raise Http404(f"There is no compact '{slug}'")
    return found


def _organisations(slugs: list[str], field: str) -> list[Organisation]:
    found = list(Organisation.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {o.slug for o in found})
    if missing:
        raise Invalid([(field, f"No organisation has the slug {s}") for s in missing])
    return found


# --- Consultations ------------------------------------------------------------------------


def _consultation(request, pk: int) -> ConsultationOut:
    return consultation_item(request, consultations_public().get(pk=pk))


def _consultation_run(request, pk: int) -> Consultation:
    """A consultation the person may run (its lead body's officers and administrators)."""
    return permitted(
        request,
        Scope.CONSULTATIONS_WRITE,
        Consultation.objects.select_related("lead", "compact"),
        missing=f"There is no consultation {pk}",
        allowed=lambda user, c: user.has_perm("consultations.manage_consultation", c),
        refusal=lambda c: (
            f"Only officers and administrators of {c.lead.name} can run its consultations"
        ),
        pk=pk,
    )


@router.post(
    "/organisations/{slug}/consultations",
    response={201: ConsultationMade, **ERRORS},
    summary="Plan a consultation",
    description="Needs the `consultations:write` scope and the officer or administrator "
    "role in the lead organisation (a public body that has signed the compact, or a "
    "voluntary or community organisation). The same checks as the planning form: the "
    "compact's minimum period, notice and feedback date; a period shorter than the "
    "minimum is refused unless the standard allows an exception and `exception_reason` "
    "(and, where it must be agreed, `exception_agreed_by`) is given. The answer lists "
    "consultations that overlap it, which the form asks you to look at.",
)
@idempotent
def consultation_create(request, slug: str, data: ConsultationIn):
    lead = _organisation_for(
        request,
        Scope.CONSULTATIONS_WRITE,
        slug,
        "consultations.plan_consultation",
        "Only officers and administrators of {name} can plan its consultations",
    )
    compact = _compact(data.compact)
    today = _today()
    try:
        with transaction.atomic():
            tags = {
                name: consultations.tags_from_text(kind, ",".join(getattr(data, name)))
                for name, kind in (
                    ("topics", Tag.Kind.TOPIC),
                    ("areas", Tag.Kind.AREA),
                    ("audiences", Tag.Kind.AUDIENCE),
                )
            }
            made = consultations.consultation_plan(
                compact=compact,
                lead=lead,
                by=request.user,
                today=today,
                level=data.level,
                title=data.title,
                summary=data.summary,
                open_to_change=data.open_to_change,
                not_open_to_change=data.not_open_to_change,
                who_affected=data.who_affected,
                glossary=[
                    {"term": e.term.strip(), "meaning": e.meaning.strip()} for e in data.glossary
                ],
                concerns_policies_and_plans=data.concerns_policies_and_plans,
                response_methods=data.response_methods,
                response_details=data.response_details,
                accessible_information=data.accessible_information,
                participation_support=data.participation_support,
                anonymous_allowed=data.anonymous_allowed,
                acknowledged=data.acknowledged,
                opens_on=data.opens_on,
                closes_on=data.closes_on,
                feedback_by=data.feedback_by,
                short_reason=data.exception_reason,
                short_agreed_by=data.exception_agreed_by,
                **tags,
            )
    except consultations.Refused as refusal:
        _refused(refusal, {"lead": "path.slug"})
    # E-mails leave once the write is committed: with an Idempotency-Key the whole
    # operation is one transaction, which may still roll back after this line.
    transaction.on_commit(
        lambda: consultations.new_consultation_email(
            consultation=made, url=consultations.site_url(made.get_absolute_url())
        )
    )
    overlapping = consultations.overlapping(
        compact=compact,
        tags=[t for group in tags.values() for t in group],
        opens_on=made.opens_on,
        closes_on=made.closes_on,
        exclude=made,
    )
    body = _consultation(request, made.pk)
    return responses.Status(201, {**body, "overlapping": [c.pk for c in overlapping]})


MOVES = {
    "open": consultations.consultation_open,
    "closed": consultations.consultation_close,
    "analysis": consultations.consultation_start_analysis,
}


@router.post(
    "/consultations/{id}/status",
    response={200: ConsultationOut, **ERRORS},
    summary="Move a consultation on: open, close, start the analysis",
    description="Needs the `consultations:write` scope and the officer or administrator "
    "role in the lead body. Only the next step is allowed, and only when its day has "
    "come: a consultation opens on or after its opening date and is never closed before "
    "its closing date has passed (409 otherwise).",
)
@idempotent
def consultation_move(request, id: Id, data: MoveIn):
    found = _consultation_run(request, id)
    try:
        MOVES[data.to](consultation=found, by=request.user, today=_today())
    except consultations.Refused as refusal:
        _refused(refusal)
    return _consultation(request, found.pk)


@router.post(
    "/consultations/{id}/decision",
    response={200: ConsultationOut, **ERRORS},
    summary="Record the decision taken after the analysis",
    description="Needs the `consultations:write` scope and the officer or administrator "
    "role in the lead body; the consultation must be being analysed (409 otherwise). "
    "Where petitions were received, say how they were taken into account.",
)
@idempotent
def consultation_decide(request, id: Id, data: DecisionIn):
    found = _consultation_run(request, id)
    try:
        consultations.consultation_decide(
            consultation=found,
            decision=data.decision,
            reasons=data.reasons,
            effect=data.effect,
            petitions_considered=data.petitions_considered,
            by=request.user,
            today=_today(),
        )
    except consultations.Refused as refusal:
        _refused(refusal)
    return _consultation(request, found.pk)


@router.post(
    "/consultations/{id}/feedback",
    response={200: ConsultationOut, **ERRORS},
    summary="Publish the feedback: what you told us, what we decided",
    description="Needs the `consultations:write` scope and the officer or administrator "
    "role in the lead body; the decision must have been recorded (409 otherwise). "
    "Respondents and followers are told, as from the web page.",
)
@idempotent
def consultation_feedback(request, id: Id, data: FeedbackIn):
    found = _consultation_run(request, id)
    try:
        consultations.consultation_publish_feedback(
            consultation=found,
            what_you_told_us=data.what_you_told_us,
            by=request.user,
            today=_today(),
        )
    except consultations.Refused as refusal:
        _refused(refusal)
    url = consultations.site_url(reverse("consultations:feedback", args=[found.pk]))
    transaction.on_commit(lambda: consultations.feedback_email(consultation=found, url=url))
    return _consultation(request, found.pk)


# --- Responses ----------------------------------------------------------------------------

KIND_FIELDS = {
    ResponseKind.ORGANISATION: ("represents", "views_gathered"),
    ResponseKind.JOINT: ("represents", "views_gathered"),
    ResponseKind.INDIVIDUAL: ("respondent_name",),
    ResponseKind.PETITION: ("petition_organiser", "petition_signatures"),
}


def _response_fields(request, kind: str, data) -> dict:
    """The values the web form for this kind of response has, as the service takes them;
    for an organisation's response, the person must act for it (403 otherwise)."""
    fields = {
        name: getattr(data, name) for name in (*KIND_FIELDS[kind], "answer", "consent_to_publish")
    }
    fields["organisation"] = None
    if kind in (ResponseKind.ORGANISATION, ResponseKind.JOINT):
        if not data.organisation:
            raise Invalid(
                [("body.organisation", "Give the slug of the organisation you respond for")]
            )
        [organisation] = _organisations([data.organisation], "body.organisation")
        if not request.user.has_perm("organisations.act_for", organisation):
            raise HttpError(
                403,
                f"Only officers and administrators of {organisation.name} can respond for it",
            )
        fields["organisation"] = organisation
    if kind == ResponseKind.JOINT:
        fields["joint_organisations"] = _organisations(
            list(dict.fromkeys(data.joint_organisations)), "body.joint_organisations"
        )
    return fields


def _response(response: Response) -> dict:
    return {
        "id": response.pk,
        "consultation": response.consultation_id,
        "kind": response.kind,
        "state": response.state,
        "organisation": response.organisation.slug if response.organisation else None,
        "joint_organisations": [o.slug for o in response.joint_organisations.order_by("slug")],
        "respondent_name": response.respondent_name,
        "represents": response.represents,
        "views_gathered": response.views_gathered,
        "petition_signatures": response.petition_signatures,
        "petition_organiser": response.petition_organiser,
        "answer": response.answer,
        "consent_to_publish": response.consent_to_publish,
        "started_on": response.started_on,
        "submitted_on": response.submitted_on,
        "acknowledged_on": response.acknowledged_on,
    }


def _acknowledge(response: Response) -> None:
    url = consultations.site_url(
        reverse("consultations:response_sent", args=[response.consultation_id, response.pk])
    )
    transaction.on_commit(lambda: consultations.acknowledgement_email(response=response, url=url))


@router.post(
    "/consultations/{id}/responses",
    response={201: ResponseOut, **ERRORS},
    summary="Respond to a consultation",
    description="Needs the `responses:write` scope. As an individual, anyone may; for an "
    "organisation (`organisation`, and for a joint response `joint_organisations`), only "
    "its officers and administrators. The consultation must be open (409 otherwise). "
    "`send: false` keeps a draft you can change until it closes; `send: true` sends it, "
    "with the same required answers as the web form.",
)
@idempotent
def response_create(request, id: Id, data: ResponseIn):
    require_scope(request, Scope.RESPONSES_WRITE)
    consultation = Consultation.objects.filter(pk=id).first()
    if consultation is None:
        raise Http404(f"There is no consultation {id}")
    fields = _response_fields(request, data.kind, data)
    try:
        made, _ = consultations.response_save(
            consultation=consultation,
            kind=data.kind,
            by=request.user,
            today=_today(),
            submit=data.send,
            **fields,
        )
    except consultations.Refused as refusal:
        _refused(refusal)
    if data.send:
        _acknowledge(made)
    return responses.Status(201, _response(made))


@router.put(
    "/consultations/{id}/responses/{response_id}",
    response={200: ResponseOut, **ERRORS},
    summary="Change your response while the consultation is open",
    description="Needs the `responses:write` scope. Only your own response, or one from "
    "an organisation you are an officer or administrator of: any other is not found "
    "(404). Every value is replaced; a sent response stays sent. Once the consultation "
    "has closed, it no longer changes (409).",
)
@idempotent
def response_update(request, id: Id, response_id: Id, data: ResponseUpdateIn):
    require_scope(request, Scope.RESPONSES_WRITE)
    response = (
        Response.objects.select_related("consultation", "organisation")
        .filter(pk=response_id, consultation_id=id)
        .first()
    )
    if response is None or not consultations.response_may_edit(response, request.user):
        raise Http404(f"You have no response {response_id} to consultation {id}")
    fields = _response_fields(request, response.kind, data)
    submit = data.send or response.submitted
    try:
        saved, _ = consultations.response_save(
            consultation=response.consultation,
            kind=response.kind,
            by=request.user,
            today=_today(),
            submit=submit,
            response=response,
            **fields,
        )
    except consultations.Refused as refusal:
        _refused(refusal)
    if submit and not response.submitted:
        _acknowledge(saved)
    return _response(saved)


# --- Meetings -----------------------------------------------------------------------------


def _support_refusal(compact: Compact) -> str:
    return f"Only the {compact.name}'s support team can keep its meetings"


def _meeting_kept(request, pk: int) -> Meeting:
    return permitted(
        request,
        Scope.MEETINGS_WRITE,
        Meeting.objects.select_related("compact"),
        missing=f"There is no meeting {pk}",
        allowed=lambda user, m: user.has_perm("governance.manage", m.compact),
        refusal=lambda m: _support_refusal(m.compact),
        pk=pk,
    )


MEETINGS_NOTE = (
    "Needs the `meetings:write` scope and a place on the compact's support team, who keep "
    "its meetings (as on the web pages)."
)


@router.post(
    "/compacts/{slug}/meetings",
    response={201: MeetingDetailOut, **ERRORS},
    summary="Set up a meeting of a compact",
    description=f"{MEETINGS_NOTE} Where the compact asks for notice of its meetings, "
    "sending the invitations becomes an obligation with its due date.",
)
@idempotent
def meeting_create(request, slug: str, data: MeetingIn):
    compact = permitted(
        request,
        Scope.MEETINGS_WRITE,
        Compact.objects.select_related("current_version").filter(current_version__isnull=False),
        missing=f"There is no compact '{slug}'",
        allowed=lambda user, compact: user.has_perm("governance.manage", compact),
        refusal=_support_refusal,
        slug=slug,
    )
    try:
        made = governance.meeting_create(
            compact=compact,
            title=data.title,
            on=data.on,
            place=data.place,
            kind=data.kind,
            by=request.user,
            today=_today(),
        )
    except governance.Refused as refusal:
        _refused(refusal)
    return responses.Status(201, meeting_detail(request, made.pk))


@router.post(
    "/meetings/{id}/invitations",
    response={200: InvitedOut, **ERRORS},
    summary="Invite every current signatory not yet invited",
    description=f"{MEETINGS_NOTE} Refused (409) once the meeting has been held.",
)
@idempotent
def meeting_invite(request, id: Id):
    found = _meeting_kept(request, id)
    try:
        invited = governance.meeting_invite(meeting=found, by=request.user, today=_today())
    except governance.Refused as refusal:
        _refused(refusal)
    return {"invited": invited, "meeting": meeting_detail(request, found.pk)}


@router.post(
    "/meetings/{id}/agenda",
    response={200: list[AgendaItemOut], **ERRORS},
    summary="Make (or make again) a meeting's agenda from the records",
    description=f"{MEETINGS_NOTE} Refused (409) once the agenda has been published.",
)
@idempotent
def agenda_generate(request, id: Id):
    found = _meeting_kept(request, id)
    try:
        items = governance.agenda_generate(meeting=found, by=request.user, today=_today())
    except governance.Refused as refusal:
        _refused(refusal)
    return [
        {"position": a.position, "kind": a.kind, "title": a.title, "lines": list(a.lines)}
        for a in items
    ]


@router.post(
    "/meetings/{id}/agenda/publish",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Publish a meeting's agenda",
    description=f"{MEETINGS_NOTE} The agenda must have been made (409 otherwise).",
)
@idempotent
def agenda_publish(request, id: Id):
    found = _meeting_kept(request, id)
    try:
        governance.agenda_publish(meeting=found, by=request.user, today=_today())
    except governance.Refused as refusal:
        _refused(refusal)
    return meeting_detail(request, found.pk)


@router.post(
    "/meetings/{id}/decisions",
    response={201: MeetingDetailOut, **ERRORS},
    summary="Record a decision of a meeting",
    description=MEETINGS_NOTE,
)
@idempotent
def meeting_decision(request, id: Id, data: MeetingDecisionIn):
    found = _meeting_kept(request, id)
    try:
        governance.decision_add(meeting=found, text=data.text, by=request.user)
    except governance.Refused as refusal:
        _refused(refusal)
    return responses.Status(201, meeting_detail(request, found.pk))


@router.post(
    "/meetings/{id}/held",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Record a meeting as held and publish its minutes",
    description=f"{MEETINGS_NOTE} Not before the meeting's date, and not while an election "
    "at it has no published results (409).",
)
@idempotent
def meeting_held(request, id: Id, data: MinutesIn):
    found = _meeting_kept(request, id)
    try:
        governance.meeting_record(
            meeting=found,
            minutes=data.minutes,
            by=request.user,
            today=_today(),
            now=timezone.now(),
        )
    except governance.Refused as refusal:
        _refused(refusal)
    return meeting_detail(request, found.pk)


# --- Awards and payments ------------------------------------------------------------------


def _award_private(request, award: Award) -> dict:
    award = (
        Award.objects.select_related("version__compact", "funder", "recipient", "opportunity")
        .prefetch_related("payments")
        .get(pk=award.pk)
    )
    return {
        **award_item(request, award),
        "confirmed_on": award.confirmed_on,
        "payments": [_payment(p) for p in award.payments.all()],
    }


def _payment(payment: Payment) -> dict:
    return {
        "id": payment.pk,
        "award": payment.award_id,
        "amount": pounds(payment.amount),
        "due_on": payment.due_on,
        "expenditure_starts_on": payment.expenditure_starts_on,
        "paid_on": payment.paid_on,
        "note": payment.note,
    }


def _award_funded(request, pk: int) -> Award:
    """An award the person acts for the funder of (its officers and administrators)."""
    return permitted(
        request,
        Scope.FUNDING_WRITE,
        Award.objects.select_related("funder"),
        missing=f"There is no award {pk}",
        allowed=lambda user, a: user.has_perm("funding.act_for_funder", a),
        refusal=lambda a: (
            f"Only officers and administrators of {a.funder.name} can change this award"
        ),
        pk=pk,
    )


@router.post(
    "/organisations/{slug}/awards",
    response={201: AwardPrivateOut, **ERRORS},
    summary="Record an award the organisation has made",
    description="Needs the `funding:write` scope and the officer or administrator role in "
    "the funding organisation. The award's obligations (confirmation, payment in "
    "advance, notice of the end) follow from the compact's standards.",
)
@idempotent
def award_create(request, slug: str, data: AwardIn):
    funder = _organisation_for(
        request,
        Scope.FUNDING_WRITE,
        slug,
        "funding.fund_as",
        "Only officers and administrators of {name} can record its funding work",
    )
    compact = _compact(data.compact)
    [recipient] = _organisations([data.recipient], "body.recipient")
    try:
        made = funding.award_create(
            funder=funder,
            recipient=recipient,
            version=compact.current_version,
            by=request.user,
            today=_today(),
            kind=data.kind,
            title=data.title.strip(),
            description=data.description.strip(),
            amount=data.amount,
            overheads=data.overheads,
            award_date=data.award_date,
            agreed_on=data.agreed_on,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            length_reason=data.length_reason.strip(),
        )
    except funding.Refused as refusal:
        _refused(refusal)
    return responses.Status(201, _award_private(request, made))


@router.post(
    "/awards/{id}/confirmation",
    response={200: AwardPrivateOut, **ERRORS},
    summary="Record when an award's amount was confirmed",
    description="Needs the `funding:write` scope and the officer or administrator role in "
    "the funder. The date cannot be in the future.",
)
@idempotent
def award_confirm(request, id: Id, data: ConfirmIn):
    found = _award_funded(request, id)
    try:
        funding.award_confirm(
            award=found, confirmed_on=data.confirmed_on, by=request.user, today=_today()
        )
    except funding.Refused as refusal:
        _refused(refusal)
    return _award_private(request, found)


@router.post(
    "/awards/{id}/payments",
    response={201: PaymentOut, **ERRORS},
    summary="Add a payment to an award's schedule",
    description="Needs the `funding:write` scope and the officer or administrator role in "
    "the funder. The schedule cannot come to more than the award. Where the compact asks "
    "for it, pay before the spending it covers begins.",
)
@idempotent
def payment_create(request, id: Id, data: PaymentIn):
    found = _award_funded(request, id)
    try:
        made = funding.payment_schedule(
            award=found,
            due_on=data.due_on,
            amount=data.amount,
            expenditure_starts_on=data.expenditure_starts_on,
            note=data.note.strip(),
            by=request.user,
            today=_today(),
        )
    except funding.Refused as refusal:
        _refused(refusal)
    return responses.Status(201, _payment(made))


@router.post(
    "/awards/{id}/payments/{payment_id}/paid",
    response={200: PaymentOut, **ERRORS},
    summary="Record a payment as paid",
    description="Needs the `funding:write` scope and the officer or administrator role in "
    "the funder. A payment is recorded as paid once (409 after); the date cannot be in "
    "the future.",
)
@idempotent
def payment_paid(request, id: Id, payment_id: Id, data: PaidIn):
    found = _award_funded(request, id)  # before the lookup: payments are the parties' business
    payment = Payment.objects.filter(pk=payment_id, award=found).first()
    if payment is None:
        raise Http404(f"Award {id} has no payment {payment_id}")
    try:
        paid = funding.payment_record_paid(
            payment=payment, paid_on=data.paid_on, by=request.user, today=_today()
        )
    except funding.Refused as refusal:
        _refused(refusal)
    return _payment(paid)
