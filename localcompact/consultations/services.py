"""Writes for consultations: planning (with the compact's timing checks), the lifecycle
moves, documents, responses (anonymous ones keep no identity), analysis, the decision
and the feedback, subscriptions and the e-mails they send.

Each service is keyword-only and atomic, locks the consultation row whose state moves,
writes a ConsultationEvent, keeps its obligations in step (`obligations_sync`) and
writes an audit row; a refusal raises `Refused` with the message the form shows.
A service never sends e-mail inside its transaction: the `*_email` functions are called
by the views once the change is committed.

Anonymous responses: nothing that could identify the respondent is stored or logged.
No audit row is written for them (the audit log carries the request's user and address),
their obligations' history names no one, and they carry dates only, never a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.text import slugify

from localcompact.compacts.models import Compact
from localcompact.core.logging import audit_log
from localcompact.obligations.models import Obligation
from localcompact.obligations.models import Status as ObligationStatus
from localcompact.obligations.services import obligation_excuse, obligations_sync
from localcompact.organisations.models import Organisation, Sector
from localcompact.organisations.rules import acts_for
from localcompact.organisations.selectors import is_current_signatory
from localcompact.organisations.services import signing_of

from . import access, timing
from .models import (
    Consultation,
    ConsultationDocument,
    ConsultationEvent,
    ExtraUnit,
    Level,
    Method,
    Response,
    ResponseKind,
    Status,
    Subscription,
    Tag,
    Theme,
)


class Refused(Exception):
    """A service would not do what was asked; `message` says why, `field` where."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


LIST_VERSION_KEY = "consultations:list-version"


def list_changed() -> None:
    """Cached list pages are stale: start a new version now, and again once the change
    commits (so nothing read while it was uncommitted outlives it)."""

    def bump():
        cache.set(LIST_VERSION_KEY, secrets.token_hex(8), None)

    bump()
    transaction.on_commit(bump)


def _user(by) -> AbstractBaseUser | None:
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _event(consultation, kind, *, on, by, from_status="", to_status="", note=""):
    return ConsultationEvent.objects.create(
        consultation=consultation,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        on=on,
        by=_user(by),
        note=note,
    )


def _lock(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("lead", "compact", "version")
        .get(pk=consultation.pk)
    )


# --- Tags ---------------------------------------------------------------------------------


def tags_from_text(kind: str, text: str) -> list[Tag]:
    """Tags from comma-separated names, made when new (a name is its own slug)."""
    tags = []
    for name in [n.strip() for n in text.split(",")]:
        slug = slugify(name)[:100]
        if not slug:
            continue
        tag, _ = Tag.objects.get_or_create(kind=kind, slug=slug, defaults={"name": name[:100]})
        if tag not in tags:
            tags.append(tag)
    return tags


def glossary_from_text(text: str) -> list[dict]:
    """`term: meaning` lines into the glossary's list; a line without a colon is refused."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        term, colon, meaning = line.partition(":")
        if not colon or not term.strip() or not meaning.strip():
            raise Refused(
                f"Write line {number} of the glossary as a term, a colon and its meaning",
                field="glossary",
            )
        entries.append({"term": term.strip(), "meaning": meaning.strip()})
    return entries


# --- Planning -----------------------------------------------------------------------------


def lead_check(*, lead: Organisation, compact: Compact) -> None:
    """A public body that has signed (where the compact takes signatures here), or a
    VCS body consulting its own stakeholders."""
    if lead.sector == Sector.PUBLIC:
        if signing_of(compact) is not None and not is_current_signatory(
            organisation=lead, compact=compact
        ):
            raise Refused(
                f"{lead.name} has not signed the {compact.name}, so it cannot run "
                "consultations under it",
                field="lead",
            )
    elif lead.sector != Sector.VCS:
        raise Refused(
            "Only public bodies, and voluntary and community organisations consulting their "
            "own stakeholders, run consultations here",
            field="lead",
        )


def overlapping(
    *,
    compact: Compact,
    tags: Sequence[Tag],
    opens_on: dt.date,
    closes_on: dt.date,
    exclude: Consultation | None = None,
):
    """Planned or open consultations under the compact on any of the same topics, areas
    or audiences, running in any of the same weeks (City Together joint undertaking 3;
    Redcar consultation code, public sector undertaking 7)."""
    if not tags:
        return Consultation.objects.none()
    week_start = opens_on - dt.timedelta(days=opens_on.weekday())
    week_end = closes_on + dt.timedelta(days=6 - closes_on.weekday())
    found = (
        Consultation.objects.on_plan()
        .filter(
            compact=compact,
            tags__in=[t.pk for t in tags],
            opens_on__lte=week_end,
            closes_on__gte=week_start,
        )
        .select_related("lead")
        .distinct()
        .order_by("opens_on", "pk")
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found


@transaction.atomic
def consultation_plan(
    *,
    compact: Compact,
    lead: Organisation,
    by: AbstractBaseUser,
    today: dt.date,
    title: str,
    summary: str,
    open_to_change: str,
    who_affected: str,
    opens_on: dt.date,
    closes_on: dt.date,
    level: str = Level.CONSULTING,
    not_open_to_change: str = "",
    topics: Sequence[Tag] = (),
    areas: Sequence[Tag] = (),
    audiences: Sequence[Tag] = (),
    glossary: Sequence[dict] = (),
    concerns_policies_and_plans: bool = True,
    response_methods: Sequence[str] = (Method.ONLINE,),
    response_details: str = "",
    accessible_information: str = "",
    participation_support: str = "",
    anonymous_allowed: bool = True,
    acknowledged: bool = True,
    feedback_by: dt.date | None = None,
    short_reason: str = "",
    short_agreed_by: str = "",
    joint_with: Iterable[Consultation] = (),
    community_group_extra: int | None = None,
    community_group_extra_unit: str | None = None,
    formats_offered: Sequence[str] = (),
    venue_access: Sequence[str] = (),
    venue_access_notes: str = "",
) -> Consultation:
    """Put a consultation on the forward plan, its timing checked against the compact.

    Refused when the lead body may not lead one, a required answer is blank, or the
    dates break a standard: a period shorter than the minimum is refused unless the
    exception the standard allows is recorded (its reason, and who agreed where it must
    be agreed), and then that obligation is excused with it.

    Community groups may be given longer to respond: `community_group_extra` days or
    working days after the closing date (None: the compact's own figure, if it gives one,
    else none). Formats offered and venue access are lists of `access` choices.
    """
    if not acts_for(by, lead):
        raise Refused(f"Only officers of {lead.name} can plan its consultations", field="lead")
    lead_check(lead=lead, compact=compact)
    version = compact.current_version
    for name, value, message in (
        ("title", title, "Enter a title"),
        ("summary", summary, "Enter a summary in plain English"),
        ("open_to_change", open_to_change, "Say what is open to change"),
        ("who_affected", who_affected, "Say who is affected"),
    ):
        if not value.strip():
            raise Refused(message, field=name)
    if level not in Level.values:
        raise Refused("Choose the level of participation", field="level")
    methods = [m for m in response_methods if m in Method.values]
    if level != Level.INFORMING and not methods:
        raise Refused("Choose at least one way to respond", field="response_methods")
    standards = timing.applicable(version=version, sector=lead.sector, level=level)
    default_extra, default_unit = timing.community_group_extra_default(standards)
    extra = default_extra if community_group_extra is None else community_group_extra
    unit = community_group_extra_unit or default_unit
    if unit not in ExtraUnit.values:
        raise Refused("Choose days or working days", field="community_group_extra_unit")
    if isinstance(extra, bool) or not isinstance(extra, int) or extra < 0:
        raise Refused(
            "Enter the extra time for community groups as a whole number, 0 or more",
            field="community_group_extra",
        )
    if extra > timing.MAX_EXTRA_DAYS:
        raise Refused(
            f"The extra time for community groups must be {timing.MAX_EXTRA_DAYS} or fewer",
            field="community_group_extra",
        )
    if level == Level.INFORMING:
        extra = 0  # nothing to respond to
    groups_close = timing.community_groups_close(
        version=version, closes_on=closes_on, extra=extra, unit=unit
    )
    try:
        checked = timing.check_timing(
            standards=standards,
            announced_on=today,
            opens_on=opens_on,
            closes_on=closes_on,
            feedback_by=feedback_by,
            reason=short_reason,
            agreed_by=short_agreed_by,
            community_groups_close_on=groups_close if closes_on > opens_on else None,
        )
    except timing.TimingRefused as refused:
        raise Refused(refused.message, field=refused.field) from None
    excused = [c for c in checked if c.verdict.excuse is not None]
    excuse = excused[0].verdict.excuse if excused else None
    consultation = Consultation.objects.create(
        compact=compact,
        version=version,
        lead=lead,
        level=level,
        title=title.strip(),
        summary=summary.strip(),
        open_to_change=open_to_change.strip(),
        not_open_to_change=not_open_to_change.strip(),
        who_affected=who_affected.strip(),
        glossary=list(glossary),
        concerns_policies_and_plans=concerns_policies_and_plans,
        response_methods=methods,
        response_details=response_details.strip(),
        accessible_information=accessible_information.strip(),
        participation_support=participation_support.strip(),
        anonymous_allowed=anonymous_allowed and level != Level.INFORMING,
        acknowledged=acknowledged,
        announced_on=today,
        opens_on=opens_on,
        closes_on=closes_on,
        feedback_by=feedback_by,
        short_period_kind=excuse.kind.value if excuse else "",
        short_period_reason=excuse.reason if excuse else "",
        short_period_agreed_by=excuse.agreed_by if excuse else "",
        community_group_extra=extra,
        community_group_extra_unit=unit,
        community_groups_close_on=groups_close,
        formats_offered=access.clean_choices(formats_offered, access.OFFERED_FORMATS),
        venue_access=access.clean_choices(venue_access, access.VenueAccess.choices),
        venue_access_notes=venue_access_notes.strip(),
        status=Status.PLANNED,
        status_changed_on=today,
        created_by=by,
    )
    consultation.tags.set([*topics, *areas, *audiences])
    linked = [c for c in joint_with if c.pk != consultation.pk]
    if linked:
        consultation.joint_with.set(linked)
    _event(consultation, "planned", on=today, by=by, to_status=Status.PLANNED)
    for obligation in obligations_sync(source=consultation, today=today, by=by):
        if excuse is not None and obligation.key == excused[0].standard.ident:
            obligation_excuse(
                obligation=obligation,
                kind=excuse.kind.value,
                reason=excuse.reason,
                agreed_by=excuse.agreed_by,
                today=today,
                by=by,
            )
    list_changed()
    audit_log("consultation.planned", consultation=consultation, lead=lead)
    return consultation


@transaction.atomic
def consultation_link_joint(
    *, consultation: Consultation, other: Consultation, by: AbstractBaseUser, today: dt.date
) -> None:
    consultation = _lock(consultation)
    if other.pk == consultation.pk:
        raise Refused("A consultation cannot be joint with itself")
    consultation.joint_with.add(other)
    _event(consultation, "joint", on=today, by=by, note=f"Run jointly with #{other.pk}")
    list_changed()
    audit_log("consultation.joint", consultation=consultation, other=other)


# --- The lifecycle ------------------------------------------------------------------------

MOVE_WORDS = {
    Status.OPEN: "opened",
    Status.CLOSED: "closed",
    Status.ANALYSIS: "analysis",
    Status.DECIDED: "decided",
    Status.FEEDBACK: "feedback",
}


def _move(consultation: Consultation, to: str, *, by, today: dt.date, note: str = ""):
    if consultation.next_status != to:
        raise Refused(
            f"A consultation that is {consultation.get_status_display().lower()} cannot "
            f"move to ‘{Status(to).label.lower()}’"
        )
    previous = consultation.status
    consultation.status, consultation.status_changed_on = to, today
    consultation.save()
    _event(
        consultation, MOVE_WORDS[to], on=today, by=by, from_status=previous, to_status=to, note=note
    )
    obligations_sync(source=consultation, today=today, by=_user(by))
    list_changed()
    audit_log("consultation.moved", consultation=consultation, to=to)


@transaction.atomic
def consultation_open(*, consultation: Consultation, by, today: dt.date) -> Consultation:
    """Open it, on or after its opening date (by the lead body, or the daily move)."""
    consultation = _lock(consultation)
    if consultation.status == Status.PLANNED and today < consultation.opens_on:
        raise Refused(f"It opens on {consultation.opens_on:%-d %B %Y}, not before")
    if consultation.status == Status.PLANNED and today > consultation.closes_on:
        raise Refused("Its closing date has passed; it can no longer be opened")
    _move(consultation, Status.OPEN, by=by, today=today)
    return consultation


@transaction.atomic
def consultation_close(*, consultation: Consultation, by, today: dt.date) -> Consultation:
    """Close it once its closing date has passed: it is never cut short."""
    consultation = _lock(consultation)
    if consultation.status == Status.OPEN and today <= consultation.closes_on:
        raise Refused(
            f"It is open until the end of {consultation.closes_on:%-d %B %Y}; "
            "it cannot be closed early"
        )
    _move(consultation, Status.CLOSED, by=by, today=today)
    return consultation


@transaction.atomic
def consultation_start_analysis(*, consultation: Consultation, by, today: dt.date):
    """Start the analysis, once every response can be in: after the closing date, and
    after the extra time for community groups if it gave them longer."""
    consultation = _lock(consultation)
    groups_close = consultation.community_groups_close_on
    if consultation.status == Status.CLOSED and groups_close is not None and today <= groups_close:
        raise Refused(
            f"Community groups can respond until the end of {groups_close:%-d %B %Y}; "
            "start the analysis after that"
        )
    Response.objects.filter(consultation=consultation, state=Response.State.DRAFT).delete()
    _move(consultation, Status.ANALYSIS, by=by, today=today)
    return consultation


@transaction.atomic
def consultation_decide(
    *,
    consultation: Consultation,
    decision: str,
    reasons: str,
    effect: str,
    petitions_considered: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> Consultation:
    consultation = _lock(consultation)
    for name, value, message in (
        ("decision", decision, "Say what was decided"),
        ("reasons", reasons, "Give the reasons for the decision"),
        ("effect", effect, "Say how, or whether, the responses changed the decision"),
    ):
        if not value.strip():
            raise Refused(message, field=name)
    has_petitions = consultation.responses.filter(
        kind=ResponseKind.PETITION, state=Response.State.SUBMITTED
    ).exists()
    if has_petitions and not petitions_considered.strip():
        raise Refused("Say how the petitions were taken into account", field="petitions_considered")
    consultation.decision = decision.strip()
    consultation.reasons_for_decision = reasons.strip()
    consultation.effect_of_consultation = effect.strip()
    consultation.petitions_considered = petitions_considered.strip() or (
        "No petitions were received." if not has_petitions else ""
    )
    consultation.decided_on = today
    _move(consultation, Status.DECIDED, by=by, today=today)
    return consultation


@transaction.atomic
def consultation_publish_feedback(
    *, consultation: Consultation, what_you_told_us: str, by: AbstractBaseUser, today: dt.date
) -> Consultation:
    """Publish "what you told us, what we decided"; respondents are told (by e-mail where
    they gave one, and on their receipt page), which meets the feedback obligations."""
    consultation = _lock(consultation)
    if not what_you_told_us.strip():
        raise Refused("Summarise what respondents told you", field="what_you_told_us")
    consultation.what_you_told_us = what_you_told_us.strip()
    consultation.feedback_published_on = today
    consultation.respondents_notified_on = today
    _move(consultation, Status.FEEDBACK, by=by, today=today)
    return consultation


def consultations_advance(*, today: dt.date) -> tuple[int, int]:
    """The daily move: open planned consultations whose day has come, close open ones
    whose closing date has passed. Idempotent: each row is locked and re-checked."""
    opened = closed = 0
    for pk in Consultation.objects.filter(
        status=Status.PLANNED, opens_on__lte=today, closes_on__gte=today
    ).values_list("pk", flat=True):
        try:
            consultation_open(consultation=Consultation(pk=pk), by=None, today=today)
            opened += 1
        except Refused:
            pass
    for pk in Consultation.objects.filter(status=Status.OPEN, closes_on__lt=today).values_list(
        "pk", flat=True
    ):
        try:
            consultation_close(consultation=Consultation(pk=pk), by=None, today=today)
            closed += 1
        except Refused:
            pass
    return opened, closed


# --- Documents ----------------------------------------------------------------------------


@transaction.atomic
def document_add(*, consultation: Consultation, title: str, uploaded, by, today: dt.date):
    from localcompact.core.uploads import document_store

    if not title.strip():
        raise Refused("Enter the document's title", field="title")
    document = document_store(
        ConsultationDocument(consultation=consultation, title=title.strip()), uploaded, by=by
    )
    _event(consultation, "document", on=today, by=by, note=document.title)
    audit_log("consultation.document_added", consultation=consultation, document=document)
    return document


# --- Responses ----------------------------------------------------------------------------

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I


def receipt_new() -> str:
    """A receipt code like ``K7QM-3XPA-9TRE-HW2D`` (80 bits of randomness)."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def receipt_hash(code: str) -> str:
    normal = re.sub(r"[^A-Z0-9]", "", code.upper())
    return hashlib.sha256(f"localcompact.receipt:{normal}".encode()).hexdigest()


def response_by_receipt(code: str) -> Response | None:
    if not code or not code.strip():
        return None
    return (
        Response.objects.select_related("consultation__lead", "consultation__compact")
        .filter(receipt_hash=receipt_hash(code))
        .first()
    )


def _check_response(
    *, consultation: Consultation, kind: str, by, today: dt.date, fields: dict, submit: bool
) -> None:
    if not consultation.takes_responses:
        raise Refused("This is an informing notice: it does not ask for responses")
    if not consultation.is_open_to_community_groups_on(today):
        raise Refused("This consultation is not open for responses")
    if kind not in ResponseKind.values:
        raise Refused("Choose how you are responding", field="kind")
    if not consultation.is_open_on(today):
        # Only the extra time for community groups is left (Redcar 002, Community groups
        # and neighbourhoods code, key principle 2).
        organisation = fields.get("organisation")
        if kind not in (ResponseKind.ORGANISATION, ResponseKind.JOINT) or not (
            organisation is not None and organisation.is_community_group
        ):
            raise Refused(
                f"This consultation closed on {consultation.closes_on:%-d %B %Y}. Only "
                "community groups can still respond, until "
                f"{consultation.community_groups_close_on:%-d %B %Y}",
                field="organisation" if kind == ResponseKind.ORGANISATION else "kind",
            )
    if kind == ResponseKind.ANONYMOUS:
        if not consultation.anonymous_allowed:
            raise Refused("This consultation does not take anonymous responses", field="kind")
        return
    if _user(by) is None:
        raise Refused("Sign in to respond other than anonymously", field="kind")
    if kind in (ResponseKind.ORGANISATION, ResponseKind.JOINT):
        organisation = fields.get("organisation")
        if organisation is None or not acts_for(by, organisation):
            raise Refused(
                "Choose an organisation you are an officer or administrator of",
                field="organisation",
            )
        if kind == ResponseKind.JOINT:
            others = [o for o in fields.get("joint_organisations", ()) if o != organisation]
            if submit and not others:
                raise Refused(
                    "Choose the other organisations the joint response is from",
                    field="joint_organisations",
                )
    if not submit:
        return
    required = {
        ResponseKind.ORGANISATION: (
            ("represents", "Say whom the response represents"),
            ("views_gathered", "Say how the views in it were gathered"),
        ),
        ResponseKind.JOINT: (
            ("represents", "Say whom the response represents"),
            ("views_gathered", "Say how the views in it were gathered"),
        ),
        ResponseKind.INDIVIDUAL: (("respondent_name", "Enter your name"),),
        ResponseKind.PETITION: (("petition_organiser", "Enter the organiser's name"),),
    }
    for name, message in required.get(kind, ()):
        if not str(fields.get(name) or "").strip():
            raise Refused(message, field=name)
    if kind == ResponseKind.PETITION and not fields.get("petition_signatures"):
        raise Refused("Enter how many people signed the petition", field="petition_signatures")


RESPONSE_FIELDS = (
    "respondent_name",
    "represents",
    "views_gathered",
    "petition_signatures",
    "petition_organiser",
    "answer",
    "consent_to_publish",
)


@transaction.atomic
def response_save(
    *,
    consultation: Consultation,
    kind: str,
    by,
    today: dt.date,
    submit: bool,
    response: Response | None = None,
    **fields,
) -> tuple[Response, str | None]:
    """Save a draft, or send; an anonymous response's first save makes its receipt code,
    which is returned once (only its digest is kept). Returns (response, code or None).

    A response can be changed until the consultation closes. When sent, it is
    acknowledged at once on its receipt page (and by e-mail where there is one),
    unless the consultation said at the start that it would not acknowledge.
    """
    consultation = Consultation.objects.select_related("lead", "version").get(pk=consultation.pk)
    if response is not None:
        response = Response.objects.select_for_update().get(pk=response.pk)
        kind = response.kind
    _check_response(
        consultation=consultation, kind=kind, by=by, today=today, fields=fields, submit=submit
    )
    if submit and not str(fields.get("answer") or "").strip():
        raise Refused("Write your response", field="answer")
    anonymous = kind == ResponseKind.ANONYMOUS
    code = None
    if response is None:
        response = Response(consultation=consultation, kind=kind, started_on=today)
        if anonymous:
            code = receipt_new()
            response.receipt_hash = receipt_hash(code)
        else:
            response.user = by
    if not anonymous:
        response.organisation = fields.get("organisation")
    for name in RESPONSE_FIELDS:
        if name in fields and not (anonymous and name in ("respondent_name", "petition_organiser")):
            value = fields[name]
            setattr(response, name, value.strip() if isinstance(value, str) else value)
    if submit:
        response.state = Response.State.SUBMITTED
        response.submitted_on = response.submitted_on or today
        if consultation.acknowledged and response.acknowledged_on is None:
            response.acknowledged_on = today
    response.save()
    if kind == ResponseKind.JOINT:
        response.joint_organisations.set(
            [o for o in fields.get("joint_organisations", ()) if o != response.organisation]
        )
    if submit:
        obligations_sync(source=response, today=today, by=None if anonymous else by)
        if not anonymous:
            audit_log("consultation.response_sent", consultation=consultation, response=response)
    return response, code


def response_may_edit(response: Response, user) -> bool:
    """The respondent (or an officer of the organisation it is from) while it is open."""
    if response.is_anonymous or _user(user) is None:
        return False
    if response.user_id == user.pk:
        return True
    return response.organisation is not None and acts_for(user, response.organisation)


# --- Analysis and publishing ------------------------------------------------------------


@transaction.atomic
def theme_save(
    *, consultation: Consultation, name: str, summary: str, responses: Iterable[Response], by
) -> Theme:
    if consultation.status not in (Status.CLOSED, Status.ANALYSIS):
        raise Refused("Themes are added once the consultation has closed")
    name = " ".join(name.split())
    if not name:
        raise Refused("Enter the theme's name", field="name")
    theme, _ = Theme.objects.get_or_create(consultation=consultation, name=name)
    theme.summary = summary.strip()
    theme.save()
    chosen = [r for r in responses if r.consultation_id == consultation.pk]
    theme.responses.set(chosen)
    audit_log("consultation.theme_saved", consultation=consultation, theme=theme)
    return theme


@transaction.atomic
def response_publish(*, response: Response, text: str, by, today: dt.date) -> Response:
    """Publish a response as the lead body redacted it, only with the respondent's consent."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if not response.consent_to_publish:
        raise Refused("The respondent did not agree to their response being published")
    if not response.submitted:
        raise Refused("Only a sent response can be published")
    if not text.strip():
        raise Refused("Enter the text to publish", field="text")
    response.published_text = text.strip()
    response.published_on = today
    response.save(update_fields=["published_text", "published_on"])
    audit_log("consultation.response_published", response=response)
    return response


@transaction.atomic
def response_unpublish(*, response: Response, by) -> Response:
    response.published_text, response.published_on = "", None
    response.save(update_fields=["published_text", "published_on"])
    audit_log("consultation.response_unpublished", response=response)
    return response


# --- Subscriptions ------------------------------------------------------------------------


@transaction.atomic
def subscriptions_set(*, user: AbstractBaseUser, tags: Iterable[Tag]) -> None:
    wanted = {t.pk for t in tags if t.kind in (Tag.Kind.TOPIC, Tag.Kind.AREA)}
    Subscription.objects.filter(user=user).exclude(tag_id__in=wanted).delete()
    have = set(Subscription.objects.filter(user=user).values_list("tag_id", flat=True))
    Subscription.objects.bulk_create(
        [Subscription(user=user, tag_id=pk) for pk in sorted(wanted - have)]
    )
    audit_log("consultation.subscriptions_set", count=len(wanted))


# --- E-mail -------------------------------------------------------------------------------


def site_url(path: str) -> str:
    """An absolute link for an e-mail, from the site's configured address (never from the
    request's Host header, which the sender of a request chooses)."""
    return settings.SITE_URL.rstrip("/") + path


def _send(template: str, *, to: Iterable[str], context: dict) -> int:
    """The subject, text and HTML of `consultations/email/<template>`, to each address
    separately (no one sees another's address)."""
    addresses = sorted({a for a in to if a})
    if not addresses:
        return 0
    context = {"site_name": settings.SITE_NAME, **context}
    name = f"consultations/email/{template}"
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    context["subject"] = subject
    text = render_to_string(f"{name}.txt", context)
    html = render_to_string(f"{name}.html", context)
    sent = 0
    for address in addresses:
        message = EmailMultiAlternatives(subject=subject, body=text, to=[address])
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent


def followers_of(consultation: Consultation) -> list[str]:
    return list(
        Subscription.objects.filter(tag__consultations=consultation)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )


def new_consultation_email(*, consultation: Consultation, url: str) -> int:
    return _send(
        "new_consultation",
        to=followers_of(consultation),
        context={"consultation": consultation, "url": url},
    )


def acknowledgement_email(*, response: Response, url: str) -> int:
    """To a signed-in respondent; an anonymous one has only the receipt page."""
    if response.is_anonymous or response.user is None or not response.acknowledged_on:
        return 0
    return _send(
        "acknowledgement",
        to=[response.user.email],
        context={"response": response, "consultation": response.consultation, "url": url},
    )


def feedback_email(*, consultation: Consultation, url: str) -> int:
    """The decision and its effect to every respondent with an e-mail address, and the
    feedback to the followers of its topics and areas."""
    respondents = (
        Response.objects.filter(consultation=consultation, state=Response.State.SUBMITTED)
        .exclude(Q(user__isnull=True) | Q(user__email=""))
        .values_list("user__email", flat=True)
    )
    return _send(
        "feedback",
        to=[*respondents, *followers_of(consultation)],
        context={"consultation": consultation, "url": url},
    )


def excuse_of(consultation: Consultation) -> Obligation | None:
    return (
        Obligation.objects.filter(
            source_id=consultation.pk,
            source_type__model="consultation",
            source_type__app_label="consultations",
            status=ObligationStatus.EXCUSED,
        )
        .select_related("standard")
        .first()
    )
