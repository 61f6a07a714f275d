"""Consultation pages: the public list, forward plan, calendar feed, each consultation and
its feedback; planning and running one (the lead body's officers); responding (by
organisations, individuals, petitions, jointly, or anonymously with a receipt code);
analysis, the decision and publishing; following topics and areas.

Who may use each page is in `rules.py`. Writes go through `services`; a refusal comes
back as an error on the form with nothing changed. Views read the clock once, through
`today()` (tests replace it). Receipt codes travel only in form bodies, never in a URL,
a session, a message or a log.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localcompact.compacts.models import Compact
from localcompact.core.refusals import forbidden
from localcompact.core.uploads import document_response
from localcompact.organisations.models import ACTING_ROLES, Organisation, Sector

from . import access, selectors, services, timing
from .feeds import calendar_ics
from .forms import (
    DecideForm,
    DocumentForm,
    FeedbackForm,
    FilterForm,
    FollowForm,
    PlanForm,
    PublishForm,
    ReceiptForm,
    ResponseForm,
    StartForm,
    ThemeForm,
    compacts_current,
)
from .models import (
    Consultation,
    ConsultationDocument,
    Level,
    Response,
    ResponseKind,
    Status,
    Subscription,
    Tag,
)
from .obligations import required_record_state
from .services import Refused

GET_POST = ["GET", "HEAD", "POST"]
NAV = "consultations"


def today() -> dt.date:
    """Today in the site's time zone; views read it once (tests replace it)."""
    return timezone.localdate()


def _forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    return forbidden(
        request,
        title=title,
        reason=reason,
        section=NAV,
        way_on=("consultations:list", "See all consultations"),
    )


def _page(request, template, context, *, form=None, status=None) -> HttpResponse:
    context.setdefault("nav_section", NAV)
    errors = form is not None and form.errors
    if errors:
        context["page_title"] = "Error: " + context["page_title"]
    return render(request, template, context, status=status or (400 if errors else 200))


def _cannot_manage(request, consultation) -> HttpResponse:
    return _forbidden(
        request,
        title="You cannot run this consultation",
        reason=f"Only officers and administrators of {consultation.lead.name} can run its "
        "consultations.",
    )


def _community_groups(organisations):
    return [o for o in organisations if o.is_community_group]


def _acting_organisations(user):
    if not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role__in=ACTING_ROLES
        ).order_by("name")
    )


# --- Public pages -------------------------------------------------------------------------


LIST_CACHE_SECONDS = 300


def _list_body(request: HttpRequest) -> str:
    """The filters and one page of results, as HTML: the same for everyone."""
    compacts = compacts_current()
    tags = list(
        Tag.objects.exclude(kind=Tag.Kind.AUDIENCE)
        .only("kind", "name", "slug")
        .order_by("kind", "name")
    )
    form = FilterForm(request.GET or None, compacts=compacts, tags=tags)
    chosen = form.chosen() if request.GET else {}
    rows = selectors.consultations_filtered(**chosen)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = selectors.page_of(rows, number)
    query = request.GET.copy()
    query.pop("page", None)
    selects = [
        (
            name,
            form.fields[name].label,
            [
                (value, text, str(value) == chosen.get(name, ""))
                for value, text in form.fields[name].choices
            ],
        )
        for name in ("status", "compact", "tag")
    ]
    return render_to_string(
        "consultations/_list_body.html",
        {
            "chosen": chosen,
            "selects": selects,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(chosen.values()),
        },
    )


@require_safe
def consultation_list(request: HttpRequest) -> HttpResponse:
    """Public list with search, filters and pages. The body is the same for every
    reader, so it is cached (in the shared cache) until a consultation changes."""
    version = cache.get_or_set(services.LIST_VERSION_KEY, "1", None)
    digest = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    key = f"consultations:list:{version}:{digest}"
    body = cache.get(key)
    if body is None:
        body = _list_body(request)
        cache.set(key, body, LIST_CACHE_SECONDS)
    return _page(request, "consultations/list.html", {"body": body, "page_title": "Consultations"})


@require_safe
def forward_plan(request: HttpRequest) -> HttpResponse:
    """Planned and open consultations by week, a bounded number to a page (the plan
    grows with every body's announcements; a page of weeks could not be bounded, as one
    busy week may hold any number)."""
    day = today()
    compacts = compacts_current()
    compact = request.GET.get("compact", "")
    if compact not in {c.slug for c in compacts}:
        compact = ""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = selectors.plan_page(
        selectors.on_plan(today=day, compact=compact), number=number, today=day
    )
    title = "Forward plan of consultations"
    if page.pages > 1:
        title += f" (page {page.number} of {page.pages})"
    return _page(
        request,
        "consultations/forward_plan.html",
        {
            "page": page,
            "compacts": compacts,
            "compact": compact,
            "query": f"compact={compact}&" if compact else "",
            "page_title": title,
        },
    )


@require_safe
def calendar_feed(request: HttpRequest) -> HttpResponse:
    rows = selectors.on_plan(today=today() - dt.timedelta(days=90))
    return calendar_ics(request, rows)


def _compliance(consultation: Consultation) -> list[dict]:
    rows = []
    for obligation in selectors.obligations_of(consultation):
        rows.append({"obligation": obligation, "standard": obligation.standard})
    return rows


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    day = today()
    user = request.user
    can_manage = user.has_perm("consultations.manage_consultation", consultation)
    standards = timing.applicable(
        version=consultation.version, sector=consultation.lead.sector, level=consultation.level
    )
    records = [
        (s, required_record_state(s, consultation)[0])
        for s in standards
        if s.rule_kind == "required_record"
    ]
    context = {
        "consultation": consultation,
        "tags": list(consultation.tags.all()),
        "documents": list(consultation.documents.all()),
        "joint": list(consultation.joint_with.all()),
        "compliance": _compliance(consultation),
        "records": records,
        "standards": standards,
        "is_open": consultation.is_open_on(day),
        "groups_only_open": not consultation.is_open_on(day)
        and consultation.is_open_to_community_groups_on(day),
        "community_standards": timing.community_group_time_standards(standards),
        "format_request_url": access.format_request_url(
            organisation=consultation.lead,
            subject=consultation.title,
            path=consultation.get_absolute_url(),
        ),
        "can_manage": can_manage,
        "can_view_responses": user.has_perm("consultations.view_responses", consultation),
        "counts": selectors.response_counts(consultation),
        "events": list(consultation.events.select_related("by").order_by("at", "pk"))
        if can_manage
        else [],
        "today": day,
        "page_title": consultation.title,
    }
    return _page(request, "consultations/detail.html", context)


@require_safe
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if consultation.status != Status.FEEDBACK:
        raise Http404("No feedback published yet")
    return _page(
        request,
        "consultations/feedback.html",
        {
            "consultation": consultation,
            "counts": selectors.response_counts(consultation),
            "analysis": selectors.analysis_of(consultation),
            "published": list(selectors.published_responses(consultation)),
            "page_title": f"What you told us, what we decided – {consultation.title}",
        },
    )


@require_safe
def document_download(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    document = get_object_or_404(ConsultationDocument, pk=doc, consultation_id=pk)
    return document_response(document)


# --- Planning -----------------------------------------------------------------------------


def _plannable(user) -> tuple[list[Organisation], list[Compact]]:
    organisations = [
        o for o in _acting_organisations(user) if o.sector in (Sector.PUBLIC, Sector.VCS)
    ]
    return organisations, compacts_current()


@login_required
@require_safe
def plan_start(request: HttpRequest) -> HttpResponse:
    organisations, compacts = _plannable(request.user)
    if not organisations:
        return _forbidden(
            request,
            title="You cannot plan a consultation",
            reason="Consultations are planned by officers and administrators of a public body, "
            "or of a voluntary or community organisation consulting its own stakeholders.",
        )
    form = StartForm(
        request.GET if "lead" in request.GET or "compact" in request.GET else None,
        organisations=organisations,
        compacts=compacts,
    )
    if form.is_bound and form.is_valid():
        return redirect(
            "consultations:plan",
            org=form.cleaned_data["lead"],
            compact=form.cleaned_data["compact"],
        )
    return _page(
        request,
        "consultations/plan_start.html",
        {"form": form, "page_title": "Plan a consultation"},
        form=form,
    )


def _tags(kind: str, text: str) -> list[Tag]:
    return services.tags_from_text(kind, text or "")


@login_required
@require_http_methods(GET_POST)
def plan(request: HttpRequest, org: str, compact: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org)
    compact_obj = get_object_or_404(
        Compact.objects.select_related("current_version"),
        slug=compact,
        current_version__isnull=False,
    )
    if not request.user.has_perm("consultations.plan_consultation", organisation):
        return _forbidden(
            request,
            title=f"You cannot plan consultations for {organisation.name}",
            reason=f"Only officers and administrators of {organisation.name} can plan its "
            "consultations.",
        )
    day = today()
    standards = timing.applicable(
        version=compact_obj.current_version, sector=organisation.sector, level=Level.CONSULTING
    )
    short_standard, allowed = timing.short_exception(standards)
    feedback_standard = timing.needs_feedback_date(standards)
    overlapping: list[Consultation] = []
    extra, unit = timing.community_group_extra_default(standards)
    initial = {"community_group_extra": extra, "community_group_extra_unit": unit}
    form = PlanForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tags = {
            "topics": _tags(Tag.Kind.TOPIC, data["topics"]),
            "areas": _tags(Tag.Kind.AREA, data["areas"]),
            "audiences": _tags(Tag.Kind.AUDIENCE, data["audiences"]),
        }
        overlapping = list(
            services.overlapping(
                compact=compact_obj,
                tags=[t for group in tags.values() for t in group],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
            )
        )
        form = PlanForm(request.POST, overlapping=overlapping, initial=initial)
        form.is_valid()
        data = form.cleaned_data
        if overlapping and not data.get("overlap_seen"):
            form.data = form.data.copy()
            form.data["overlap_seen"] = "1"
            return _plan_page(
                request,
                form,
                organisation,
                compact_obj,
                standards,
                allowed,
                feedback_standard,
                short_standard,
                overlap=True,
            )
        try:
            glossary = services.glossary_from_text(data["glossary"])
            chosen = {str(c.pk): c for c in overlapping}
            consultation = services.consultation_plan(
                compact=compact_obj,
                lead=organisation,
                by=request.user,
                today=day,
                level=data["level"],
                title=data["title"],
                summary=data["summary"],
                open_to_change=data["open_to_change"],
                not_open_to_change=data["not_open_to_change"],
                who_affected=data["who_affected"],
                glossary=glossary,
                concerns_policies_and_plans=data["concerns_policies_and_plans"],
                response_methods=data["response_methods"],
                response_details=data["response_details"],
                accessible_information=data["accessible_information"],
                participation_support=data["participation_support"],
                anonymous_allowed=data["anonymous_allowed"],
                acknowledged=data["acknowledged"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                feedback_by=data["feedback_by"],
                short_reason=data["short_reason"],
                short_agreed_by=data["short_agreed_by"],
                joint_with=[chosen[pk] for pk in data.get("joint_with", []) if pk in chosen],
                community_group_extra=data["community_group_extra"],
                community_group_extra_unit=data["community_group_extra_unit"] or None,
                formats_offered=data["formats_offered"],
                venue_access=data["venue_access"],
                venue_access_notes=data["venue_access_notes"],
                **tags,
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            services.new_consultation_email(
                consultation=consultation,
                url=services.site_url(consultation.get_absolute_url()),
            )
            return redirect("consultations:planned", pk=consultation.pk)
    return _plan_page(
        request,
        form,
        organisation,
        compact_obj,
        standards,
        allowed,
        feedback_standard,
        short_standard,
    )


def _plan_page(
    request,
    form,
    organisation,
    compact,
    standards,
    allowed,
    feedback_standard,
    short_standard,
    overlap=False,
):
    return _page(
        request,
        "consultations/plan.html",
        {
            "form": form,
            "organisation": organisation,
            "compact": compact,
            "standards": standards,
            "short_standard": short_standard,
            "allowed": allowed,
            "feedback_standard": feedback_standard,
            "community_standards": timing.community_group_time_standards(standards),
            "overlap": overlap,
            "page_title": "Plan a consultation",
        },
        form=form,
        status=200 if overlap and not form.errors else None,
    )


@login_required
@require_safe
def planned(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if not request.user.has_perm("consultations.manage_consultation", consultation):
        return _cannot_manage(request, consultation)
    return _page(
        request,
        "consultations/planned.html",
        {
            "consultation": consultation,
            "compliance": _compliance(consultation),
            "page_title": f"Consultation planned – {consultation.title}",
        },
    )


MOVES = {
    "open": services.consultation_open,
    "close": services.consultation_close,
    "analysis": services.consultation_start_analysis,
}


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if not request.user.has_perm("consultations.manage_consultation", consultation):
        return _cannot_manage(request, consultation)
    action = MOVES.get(request.POST.get("to", ""))
    if action is None:
        raise Http404("No such move")
    try:
        action(consultation=consultation, by=request.user, today=today())
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "The consultation's status has changed.")
    return redirect("consultations:detail", pk=consultation.pk)


@login_required
@require_http_methods(GET_POST)
def document_new(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if not request.user.has_perm("consultations.manage_consultation", consultation):
        return _cannot_manage(request, consultation)
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                consultation=consultation,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                by=request.user,
                today=today(),
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            messages.success(request, "The document is added.")
            return redirect("consultations:detail", pk=consultation.pk)
    return _page(
        request,
        "consultations/document_form.html",
        {"form": form, "consultation": consultation, "page_title": "Add a document"},
        form=form,
    )


# --- Responding ---------------------------------------------------------------------------


@require_safe
def respond_choose(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    day = today()
    groups_only = not consultation.is_open_on(day) and consultation.is_open_to_community_groups_on(
        day
    )
    acting = _acting_organisations(request.user)
    return _page(
        request,
        "consultations/respond_choose.html",
        {
            "consultation": consultation,
            "is_open": consultation.is_open_to_community_groups_on(day)
            and consultation.takes_responses,
            "groups_only": groups_only,
            "acts": bool(_community_groups(acting) if groups_only else acting),
            "page_title": f"Respond – {consultation.title}",
        },
    )


KIND_TITLES = {
    ResponseKind.ORGANISATION: "Respond for an organisation",
    ResponseKind.JOINT: "Send a joint response",
    ResponseKind.INDIVIDUAL: "Respond as an individual",
    ResponseKind.ANONYMOUS: "Respond anonymously",
    ResponseKind.PETITION: "Send a petition",
}


def _response_fields(form: ResponseForm) -> dict:
    data = dict(form.cleaned_data)
    if "joint_organisations" in data:
        data["joint_organisations"] = list(data["joint_organisations"])
    return data


def _respond_page(request, consultation, form, *, response=None, code_field=False, status=None):
    return _page(
        request,
        "consultations/respond.html",
        {
            "consultation": consultation,
            "form": form,
            "kind": form.kind,
            "response": response,
            "code_field": code_field,
            "receipt_code": request.POST.get("code", "") if code_field else "",
            "page_title": KIND_TITLES[form.kind],
        },
        form=form,
        status=status,
    )


@never_cache
@require_http_methods(GET_POST)
def respond(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if kind not in ResponseKind.values:
        raise Http404("No such way to respond")
    if kind != ResponseKind.ANONYMOUS and not request.user.is_authenticated:
        return redirect(f"{reverse('core:login')}?next={request.path}")
    if kind == ResponseKind.ANONYMOUS and not consultation.anonymous_allowed:
        raise Http404("This consultation does not take anonymous responses")
    day = today()
    organisations = _acting_organisations(request.user)
    groups_only = not consultation.is_open_on(day)
    if groups_only:
        # Closed to everyone else: only community groups' extra time is left.
        organisations = _community_groups(organisations)
    by_organisation = kind in (ResponseKind.ORGANISATION, ResponseKind.JOINT)
    if not (consultation.is_open_to_community_groups_on(day) and consultation.takes_responses) or (
        groups_only and not (by_organisation and organisations)
    ):
        return _page(
            request,
            "consultations/not_open.html",
            {
                "consultation": consultation,
                "groups_only": groups_only and consultation.is_open_to_community_groups_on(day),
                "page_title": "Not open for responses",
            },
            status=200,
        )
    if by_organisation and not organisations:
        return _forbidden(
            request,
            title="You cannot respond for an organisation",
            reason="Only officers and administrators of an organisation can respond for it.",
        )
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "send"
        by = None if kind == ResponseKind.ANONYMOUS else request.user
        try:
            response, code = services.response_save(
                consultation=consultation,
                kind=kind,
                by=by,
                today=day,
                submit=submit,
                **_response_fields(form),
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            if code is not None:
                return _receipt_new(request, consultation, response, code)
            return _after_save(request, consultation, response, submit)
    return _respond_page(request, consultation, form)


def _after_save(request, consultation, response, submit) -> HttpResponse:
    if submit:
        services.acknowledgement_email(
            response=response,
            url=services.site_url(
                reverse("consultations:response_sent", args=[consultation.pk, response.pk])
            ),
        )
        return redirect("consultations:response_sent", pk=consultation.pk, rid=response.pk)
    messages.success(request, "Your draft is saved. You can change it until the closing date.")
    return redirect("consultations:response_edit", pk=consultation.pk, rid=response.pk)


def _receipt_new(request, consultation, response, code) -> HttpResponse:
    """The receipt code, shown once; it is not kept anywhere but here."""
    return _page(
        request,
        "consultations/receipt_new.html",
        {
            "consultation": consultation,
            "response": response,
            "code": code,
            "page_title": "Response sent" if response.submitted else "Draft saved",
        },
        status=200,
    )


def _own_response(request, pk, rid) -> Response:
    response = get_object_or_404(
        Response.objects.select_related("consultation__lead", "organisation"),
        pk=rid,
        consultation_id=pk,
    )
    if not services.response_may_edit(response, request.user):
        raise Http404("No such response of yours")
    return response


@login_required
@never_cache
@require_http_methods(GET_POST)
def response_edit(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    response = _own_response(request, pk, rid)
    consultation = response.consultation
    day = today()
    if not consultation.takes_response_from(response.organisation, day):
        return redirect("consultations:response_sent", pk=pk, rid=rid)
    organisations = _acting_organisations(request.user)
    if not consultation.is_open_on(day):
        organisations = _community_groups(organisations)
    initial = {
        name: getattr(response, name)
        for name in services.RESPONSE_FIELDS
        if getattr(response, name) is not None
    }
    initial["organisation"] = response.organisation_id
    initial["joint_organisations"] = list(response.joint_organisations.values_list("pk", flat=True))
    form = ResponseForm(
        request.POST if request.method == "POST" else None,
        kind=response.kind,
        organisations=organisations,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "send" or response.submitted
        try:
            response, _ = services.response_save(
                consultation=consultation,
                kind=response.kind,
                by=request.user,
                today=day,
                submit=submit,
                response=response,
                **_response_fields(form),
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            return _after_save(request, consultation, response, submit)
    return _respond_page(request, consultation, form, response=response)


@login_required
@require_safe
def response_sent(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    response = _own_response(request, pk, rid)
    return _page(
        request,
        "consultations/response_sent.html",
        {
            "consultation": response.consultation,
            "response": response,
            "can_change": response.consultation.takes_response_from(response.organisation, today()),
            "page_title": "Your response",
        },
    )


@login_required
@require_safe
def my_responses(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "consultations/my_responses.html",
        {
            "responses": list(selectors.my_responses(request.user)[:200]),
            "page_title": "Your consultation responses",
        },
    )


@never_cache
@require_http_methods(GET_POST)
def receipt(request: HttpRequest) -> HttpResponse:
    """Check an anonymous response by its receipt code, and change it while open.

    The code comes in the form body only; the page is never cached.
    """
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "page_title": "Check a response with its receipt code"}
    if request.method != "POST" or not form.is_valid():
        return _page(request, "consultations/receipt.html", context, form=form)
    response = services.response_by_receipt(form.cleaned_data["code"])
    if response is None:
        form.add_error("code", "No response has this receipt code. Check it and try again.")
        return _page(request, "consultations/receipt.html", context, form=form)
    consultation = response.consultation
    day = today()
    action = request.POST.get("action", "")
    if action in ("edit", "draft", "send") and consultation.is_open_on(day):
        edit = ResponseForm(
            request.POST if action != "edit" else None,
            kind=response.kind,
            initial={"answer": response.answer, "consent_to_publish": response.consent_to_publish},
        )
        if action != "edit" and edit.is_valid():
            try:
                response, _ = services.response_save(
                    consultation=consultation,
                    kind=response.kind,
                    by=None,
                    today=day,
                    submit=action == "send" or response.submitted,
                    response=response,
                    **_response_fields(edit),
                )
            except Refused as refused:
                edit.refuse(refused)
            else:
                return _receipt_status(request, response, day, changed=True)
        return _respond_page(request, consultation, edit, response=response, code_field=True)
    return _receipt_status(request, response, day)


def _receipt_status(request, response, day, changed=False) -> HttpResponse:
    return _page(
        request,
        "consultations/receipt_status.html",
        {
            "response": response,
            "consultation": response.consultation,
            "code": request.POST.get("code", ""),
            "can_change": response.consultation.is_open_on(day),
            "changed": changed,
            "page_title": "Your anonymous response",
        },
        status=200,
    )


# --- Running the analysis, the decision and the feedback -----------------------------------


def _cannot_see_responses(request) -> HttpResponse:
    return _forbidden(
        request,
        title="You cannot see these responses",
        reason="Only members of the organisation leading the consultation can see its "
        "responses before they are published.",
    )


@login_required
@require_safe
def responses(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if not request.user.has_perm("consultations.view_responses", consultation):
        return _cannot_see_responses(request)
    rows = selectors.responses_of(consultation)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    return _page(
        request,
        "consultations/responses.html",
        {
            "consultation": consultation,
            "page": selectors.page_of(rows, number, size=50),
            "can_manage": request.user.has_perm("consultations.manage_consultation", consultation),
            "page_title": f"Responses – {consultation.title}",
        },
    )


@login_required
@require_http_methods(GET_POST)
def response_detail(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if not request.user.has_perm("consultations.view_responses", consultation):
        return _cannot_see_responses(request)
    response = get_object_or_404(
        Response.objects.select_related("organisation").prefetch_related(
            "joint_organisations", "themes"
        ),
        pk=rid,
        consultation=consultation,
        state=Response.State.SUBMITTED,
    )
    can_manage = request.user.has_perm("consultations.manage_consultation", consultation)
    form = None
    if can_manage and response.consent_to_publish:
        form = PublishForm(
            request.POST if request.method == "POST" else None,
            initial={"text": response.published_text or response.answer},
        )
    if request.method == "POST":
        if form is None:
            return _cannot_manage(request, consultation)
        if request.POST.get("action") == "unpublish":
            services.response_unpublish(response=response, by=request.user)
            messages.success(request, "The response is no longer published.")
            return redirect("consultations:response", pk=pk, rid=rid)
        if form.is_valid():
            try:
                services.response_publish(
                    response=response,
                    text=form.cleaned_data["text"],
                    by=request.user,
                    today=today(),
                )
            except Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, "The response is published, as you redacted it.")
                return redirect("consultations:response", pk=pk, rid=rid)
    return _page(
        request,
        "consultations/response_detail.html",
        {
            "consultation": consultation,
            "response": response,
            "form": form,
            "can_manage": can_manage,
            "page_title": f"Response {response.pk} – {consultation.title}",
        },
        form=form,
    )


@login_required
@require_http_methods(GET_POST)
def analysis(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if not request.user.has_perm("consultations.view_responses", consultation):
        return _cannot_see_responses(request)
    can_manage = request.user.has_perm("consultations.manage_consultation", consultation)
    form = None
    if can_manage and consultation.status in (Status.CLOSED, Status.ANALYSIS):
        sent = list(
            Response.objects.filter(consultation=consultation, state=Response.State.SUBMITTED).only(
                "pk"
            )[:500]
        )
        form = ThemeForm(request.POST if request.method == "POST" else None, responses=sent)
        if request.method == "POST" and form.is_valid():
            try:
                services.theme_save(
                    consultation=consultation,
                    name=form.cleaned_data["name"],
                    summary=form.cleaned_data["summary"],
                    responses=form.chosen_responses(),
                    by=request.user,
                )
            except Refused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(request, "The theme is saved.")
                return redirect("consultations:analysis", pk=pk)
    elif request.method == "POST":
        return _cannot_manage(request, consultation)
    return _page(
        request,
        "consultations/analysis.html",
        {
            "consultation": consultation,
            "analysis": selectors.analysis_of(consultation),
            "form": form,
            "page_title": f"Analysis – {consultation.title}",
        },
        form=form,
    )


@login_required
@require_http_methods(GET_POST)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if not request.user.has_perm("consultations.manage_consultation", consultation):
        return _cannot_manage(request, consultation)
    if consultation.status != Status.ANALYSIS:
        return redirect("consultations:detail", pk=pk)
    form = DecideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_decide(
                consultation=consultation,
                by=request.user,
                today=today(),
                **form.cleaned_data,
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            messages.success(request, "The decision is recorded.")
            return redirect("consultations:detail", pk=pk)
    return _page(
        request,
        "consultations/decide.html",
        {"consultation": consultation, "form": form, "page_title": "Record the decision"},
        form=form,
    )


@login_required
@require_http_methods(GET_POST)
def publish_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_get(pk)
    if not request.user.has_perm("consultations.manage_consultation", consultation):
        return _cannot_manage(request, consultation)
    if consultation.status != Status.DECIDED:
        return redirect("consultations:detail", pk=pk)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_publish_feedback(
                consultation=consultation,
                what_you_told_us=form.cleaned_data["what_you_told_us"],
                by=request.user,
                today=today(),
            )
        except Refused as refused:
            form.add_error("what_you_told_us", refused.message)
        else:
            services.feedback_email(
                consultation=consultation,
                url=services.site_url(reverse("consultations:feedback", args=[pk])),
            )
            messages.success(request, "The feedback is published and respondents are told.")
            return redirect("consultations:feedback", pk=pk)
    return _page(
        request,
        "consultations/publish_feedback.html",
        {"consultation": consultation, "form": form, "page_title": "Publish the feedback"},
        form=form,
    )


# --- Following ----------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def follow(request: HttpRequest) -> HttpResponse:
    tags = list(Tag.objects.exclude(kind=Tag.Kind.AUDIENCE).order_by("kind", "name"))
    mine = [
        str(pk)
        for pk in Subscription.objects.filter(user=request.user).values_list("tag_id", flat=True)
    ]
    form = FollowForm(
        request.POST if request.method == "POST" else None,
        tags=tags,
        initial={"topic": mine, "area": mine},
    )
    if request.method == "POST" and form.is_valid():
        services.subscriptions_set(user=request.user, tags=Tag.objects.filter(pk__in=form.chosen()))
        messages.success(request, "Saved. We will e-mail you new consultations and feedback.")
        return redirect("consultations:follow")
    return _page(
        request,
        "consultations/follow.html",
        {"form": form, "has_tags": bool(tags), "page_title": "Follow topics and areas"},
        form=form,
    )
