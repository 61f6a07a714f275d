"""With a personal token: who the token is, an organisation's obligations, and recording
an activity. Each checks the token's scope, then the person's own permission, exactly
as the web pages do (`rules` permissions), and writes through the same services."""

from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, responses

from localcompact.compacts.models import Standard
from localcompact.obligations.forms import ActivityForm
from localcompact.obligations.models import Obligation
from localcompact.obligations.selectors import obligations_of, obligations_of_source
from localcompact.obligations.services import activity_record
from localcompact.obligations.sources import DATED_RULES
from localcompact.organisations.models import Membership, Organisation
from localcompact.rulebook import ExcuseRefused

from .auth import permitted, token_auth
from .errors import Invalid, period_check
from .idempotency import idempotent
from .models import Scope
from .paging import paged
from .schemas import (
    ActivityIn,
    ActivityOut,
    Date,
    Error,
    MeOut,
    ObligationPage,
    ObligationStatus,
)

router = Router(auth=token_auth, tags=["With a personal token"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who this token acts for")
def me(request):
    token = request.auth
    memberships = (
        Membership.objects.filter(user=token.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return {
        "username": token.user.get_username(),
        "token": token.name,
        "scopes": token.scopes,
        "expires_at": token.expires_at,
        "memberships": [
            {"organisation": m.organisation.slug, "name": m.organisation.name, "role": m.role}
            for m in memberships
        ],
    }


def _obligation(request, obligation: Obligation) -> dict:
    return {
        "id": obligation.pk,
        "compact": obligation.compact.slug,
        "standard": obligation.standard.ident,
        "clause": obligation.standard.clause_ref,
        "summary": obligation.summary,
        "owed_by": obligation.owed_by.slug if obligation.owed_by else None,
        "owed_by_role": obligation.owed_by_role,
        "owed_to": [o.slug for o in obligation.owed_to.all()],
        "owed_to_label": obligation.owed_to_label,
        "due_on": obligation.due_on,
        "status": obligation.status,
        "met_on": obligation.met_on,
        "excused_on": obligation.excused_on,
        "exception_kind": obligation.exception_kind,
    }


def _organisation_for(
    request, scope: str, slug: str, permission: str, refusal: str
) -> Organisation:
    """An organisation the token's scope and the person's role let them act on
    (`auth.permitted`); `refusal` names it as `{name}`."""
    return permitted(
        request,
        scope,
        Organisation.objects.all(),
        missing=f"There is no organisation '{slug}'",
        allowed=lambda user, organisation: user.has_perm(permission, organisation),
        refusal=lambda organisation: refusal.format(name=organisation.name),
        slug=slug,
    )


@router.get(
    "/organisations/{slug}/obligations",
    response={200: ObligationPage, **ERRORS},
    summary="What an organisation owes, or is owed",
    description="Needs the `obligations:read` scope and membership of the organisation. "
    "`direction`: `owing` (what it owes, the default) or `owed` (what others owe it).",
)
def obligations(
    request,
    slug: str,
    direction: str = Query("owing", pattern="^(owing|owed)$"),
    status: ObligationStatus | None = None,
    due_from: Date | None = None,
    due_to: Date | None = None,
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
):
    organisation = _organisation_for(
        request,
        Scope.OBLIGATIONS_READ,
        slug,
        "obligations.view_dashboard",
        "Only members of {name} can read its obligations",
    )
    period_check(due_from, due_to, names=("due_from", "due_to"))
    found = obligations_of(organisation=organisation, direction=direction)
    if status:
        found = found.filter(status=status)
    if due_from:
        found = found.filter(due_on__gte=due_from)
    if due_to:
        found = found.filter(due_on__lte=due_to)
    found = (
        found.select_related("compact", "standard", "owed_by")
        .prefetch_related("owed_to")
        .order_by("due_on", "pk")
    )
    return paged(request, found, page=page, page_size=page_size, item=_obligation)


@router.post(
    "/organisations/{slug}/activities",
    response={201: ActivityOut, **ERRORS},
    summary="Record an activity under a standard",
    description="Needs the `activities:write` scope and the officer or administrator role "
    "in the organisation. The same checks as the web form: a minimum period that is too "
    "short is refused unless the standard allows an exception and `exception_reason` "
    "(and, for exceptions by agreement, `exception_agreed_by`) is given.",
)
@idempotent
def activity_create(request, slug: str, data: ActivityIn):
    organisation = _organisation_for(
        request,
        Scope.ACTIVITIES_WRITE,
        slug,
        "obligations.record_activity",
        "Only officers and administrators of {name} can record its activities",
    )
    standard = (
        Standard.objects.select_related("version__compact", "source", "code")
        .filter(
            version__compact__slug=data.compact,
            version__compact__current_version=F("version"),
            ident=data.standard,
            rule_kind__in=DATED_RULES,
        )
        .first()
    )
    if standard is None:
        raise Http404(
            f"There is no dated standard '{data.standard}' in the current version of "
            f"compact '{data.compact}'"
        )
    owed_to = list(Organisation.objects.filter(slug__in=data.owed_to))
    missing = sorted(set(data.owed_to) - {o.slug for o in owed_to})
    if missing:
        raise Invalid([("body.owed_to", f"No organisation has the slug {s}") for s in missing])
    today = timezone.localdate()
    form_data = {
        "title": data.title,
        "description": data.description,
        "start_on": data.start_on.isoformat(),
        "owed_to": [str(o.pk) for o in owed_to],
        "owed_to_label": data.owed_to_label,
    }
    for name in ("end_on", "agreed_due_on"):
        if getattr(data, name) is not None:
            form_data[name] = getattr(data, name).isoformat()
    if data.exception_reason or data.exception_agreed_by:
        form_data.update(
            record_exception="on",
            exception_reason=data.exception_reason,
            exception_agreed_by=data.exception_agreed_by,
        )
    form = _form(form_data, standard=standard, organisation=organisation, today=today)
    if not form.is_valid():
        raise Invalid(
            [
                ("body." + (name if name != "__all__" else ""), message)
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    cleaned = form.cleaned_data
    try:
        with transaction.atomic():
            activity = activity_record(
                organisation=organisation,
                standard=standard,
                title=cleaned["title"],
                description=cleaned["description"],
                start_on=cleaned["start_on"],
                end_on=cleaned.get("end_on"),
                agreed_due_on=cleaned.get("agreed_due_on"),
                owed_to=cleaned["owed_to"],
                owed_to_label=cleaned["owed_to_label"],
                by=request.user,
                today=today,
                excuse=form.excuse,
            )
    except ExcuseRefused as refusal:
        raise Invalid([("body.exception_reason", refusal.message)]) from None
    return responses.Status(
        201,
        {
            "id": activity.pk,
            "title": activity.title,
            "standard": standard.ident,
            "owed_by": organisation.slug,
            "obligations": [_obligation(request, o) for o in obligations_of_source(activity)],
        },
    )


def _form(data, **kwargs) -> ActivityForm:
    form = ActivityForm(data, **kwargs)
    # `owed_to` is given as slugs and checked above; the form's list of every
    # organisation is only for the web page.
    form.fields["owed_to"].queryset = Organisation.objects.filter(pk__in=data["owed_to"])
    return form
