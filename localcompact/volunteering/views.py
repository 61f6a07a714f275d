"""Volunteering and inclusion pages.

Public: the opportunities and their search, expressing interest, the added-up
volunteering figures, equality policies and impact assessments, the inclusive-city
progress report, and asking an organisation for another format or language.
An organisation's members: its hub (interests received, its figures, format requests);
its officers and administrators change things.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localcompact.compacts.models import Compact
from localcompact.core.links import absolute
from localcompact.core.refusals import forbidden
from localcompact.organisations.models import Organisation

from . import selectors
from .forms import (
    AnswerForm,
    AssessmentForm,
    EqualityPolicyForm,
    FiguresForm,
    FormatRequestForm,
    InterestForm,
    OpportunityForm,
    PolicyForm,
    SearchForm,
)
from .models import (
    EqualityPolicy,
    FormatRequest,
    ImpactAssessment,
    Opportunity,
    VolunteeringPolicy,
)
from .services import (
    Refused,
    assessment_record,
    equality_policy_save,
    figures_record,
    format_request_answer,
    format_request_make,
    interest_express,
    opportunity_create,
    opportunity_set_status,
    opportunity_update,
    volunteering_policy_save,
)

PER_PAGE = 20
SECTION = "volunteering"


def today() -> dt.date:
    """The clock: views read it once (tests replace it)."""
    return timezone.localdate()


def _posted(request):
    return request.POST if request.method == "POST" else None


def _forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    return forbidden(
        request,
        title=title,
        reason=reason,
        section=SECTION,
        way_on=("volunteering:index", "See volunteering opportunities"),
    )


def _may(request, perm: str, organisation: Organisation, what: str) -> HttpResponse | None:
    if request.user.has_perm(perm, organisation):
        return None
    if perm == "volunteering.assess" and request.user.has_perm("volunteering.manage", organisation):
        reason = "Equality impact assessments are recorded by public bodies."
    elif perm == "volunteering.view_private":
        reason = f"Only members of {organisation.name} can see this."
    else:
        reason = f"Only officers and administrators of {organisation.name} can {what}."
    return _forbidden(request, title=f"You cannot {what}", reason=reason)


def _form_page(request, template, context, form) -> HttpResponse:
    context = {"form": form, "nav_section": SECTION, **context}
    if form.errors:
        context["page_title"] = "Error: " + context["page_title"]
    return render(request, template, context, status=400 if form.errors else 200)


def _refused(form, refused: Refused) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, refused.message)


# --- Opportunities -----------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = selectors.opportunities_found(
        query=chosen.get("q", ""),
        area=chosen.get("area", ""),
        skill=chosen.get("skill", ""),
        time=chosen.get("time", ""),
        with_expenses=chosen.get("with_expenses", False),
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    organisations = []
    if request.user.is_authenticated:
        organisations = list(
            Organisation.objects.filter(memberships__user=request.user).order_by("name")
        )
    return render(
        request,
        "volunteering/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searched": any(chosen.values()),
            "organisations": organisations,
            "nav_section": SECTION,
            "page_title": ("Error: " if form.errors else "") + "Volunteering",
        },
        status=400 if form.errors else 200,
    )


def _opportunity(pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.select_related("organisation"), pk=pk)


def _seen(request: HttpRequest, pk: int) -> Opportunity:
    """The opportunity, if open or the person is one of its host's members (else 404)."""
    opportunity = _opportunity(pk)
    if opportunity.status != Opportunity.Status.OPEN and not request.user.has_perm(
        "volunteering.view_private", opportunity.organisation
    ):
        raise Http404("No such opportunity")
    return opportunity


@require_http_methods(["GET", "HEAD", "POST"])
def opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    """An opportunity, with the form to express interest (open ones)."""
    opportunity = _seen(request, pk)
    can_manage = request.user.has_perm("volunteering.manage", opportunity.organisation)
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.get_full_name(), "email": request.user.email}
    form = InterestForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            interest_express(
                opportunity=opportunity,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
                user=request.user,
                site_url=absolute(""),
            )
        except Refused as refused:
            _refused(form, refused)
        else:
            return redirect("volunteering:interest_sent", pk=opportunity.pk)
    return _form_page(
        request,
        "volunteering/opportunity.html",
        {
            "opportunity": opportunity,
            "can_manage": can_manage,
            "page_title": opportunity.title,
        },
        form,
    )


@require_safe
def interest_sent(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _seen(request, pk)
    return render(
        request,
        "volunteering/interest_sent.html",
        {"opportunity": opportunity, "nav_section": SECTION, "page_title": "Interest sent"},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opportunity_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if refused := _may(request, "volunteering.manage", organisation, "offer volunteering for it"):
        return refused
    form = OpportunityForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        opportunity = opportunity_create(
            organisation=organisation, data=form.cleaned_data, by=request.user
        )
        messages.success(request, "The opportunity is published.")
        return redirect("volunteering:opportunity", pk=opportunity.pk)
    return _form_page(
        request,
        "volunteering/opportunity_form.html",
        {"organisation": organisation, "page_title": "Offer a volunteering opportunity"},
        form,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(pk)
    organisation = opportunity.organisation
    if refused := _may(request, "volunteering.manage", organisation, "change this opportunity"):
        return refused
    initial = {name: getattr(opportunity, name) for name in OpportunityForm.base_fields}
    form = OpportunityForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        opportunity_update(opportunity=opportunity, data=form.cleaned_data, by=request.user)
        messages.success(request, "Your changes are saved.")
        return redirect("volunteering:opportunity", pk=opportunity.pk)
    return _form_page(
        request,
        "volunteering/opportunity_form.html",
        {
            "organisation": organisation,
            "opportunity": opportunity,
            "page_title": f"Change – {opportunity.title}",
        },
        form,
    )


@login_required
@require_POST
def opportunity_status(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(pk)
    if refused := _may(
        request, "volunteering.manage", opportunity.organisation, "change this opportunity"
    ):
        return refused
    status = request.POST.get("status")
    if status not in Opportunity.Status.values:
        return redirect("volunteering:opportunity", pk=opportunity.pk)
    try:
        opportunity_set_status(opportunity=opportunity, status=status, by=request.user)
    except Refused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(
            request,
            "The opportunity is closed."
            if status == "closed"
            else "The opportunity is open again.",
        )
    return redirect("volunteering:opportunity", pk=opportunity.pk)


# --- An organisation's hub ---------------------------------------------------------------


@login_required
@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if refused := _may(
        request, "volunteering.view_private", organisation, f"see {organisation.name}'s pages"
    ):
        return refused
    policy = VolunteeringPolicy.objects.filter(organisation=organisation).first()
    equality = EqualityPolicy.objects.filter(organisation=organisation).first()
    return render(
        request,
        "volunteering/organisation.html",
        {
            "organisation": organisation,
            "opportunities": _with_interest_counts(organisation),
            "interests": Paginator(_interests_of(organisation), PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "policy": policy,
            "policy_checks": selectors.compact_checks(
                organisation=organisation,
                applies_to="volunteering-arrangements",
                record=policy.as_record() if policy else {},
            ),
            "figures": list(organisation.volunteering_figures.all()),
            "equality": equality,
            "equality_checks": selectors.compact_checks(
                organisation=organisation,
                applies_to="equality-policy",
                record=equality.as_record() if equality else {},
            ),
            "assessments": list(organisation.impact_assessments.all()[:10]),
            "requests": list(organisation.format_requests.all()[:50]),
            "can_manage": request.user.has_perm("volunteering.manage", organisation),
            "can_assess": request.user.has_perm("volunteering.assess", organisation),
            "today": today(),
            "nav_section": SECTION,
            "page_title": f"Volunteering and inclusion – {organisation.name}",
        },
    )


def _with_interest_counts(organisation):
    from django.db.models import Count

    return list(organisation.volunteering_opportunities.annotate(interest_count=Count("interests")))


def _interests_of(organisation):
    from .models import Interest

    return Interest.objects.filter(opportunity__organisation=organisation).select_related(
        "opportunity"
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if refused := _may(request, "volunteering.manage", organisation, "record its policy"):
        return refused
    policy = VolunteeringPolicy.objects.filter(organisation=organisation).first()
    initial = {n: getattr(policy, n) for n in PolicyForm.base_fields} if policy else {}
    form = PolicyForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        volunteering_policy_save(organisation=organisation, data=form.cleaned_data, by=request.user)
        messages.success(request, "The volunteering policy is saved.")
        return redirect("volunteering:organisation", slug=organisation.slug)
    return _form_page(
        request,
        "volunteering/form.html",
        {
            "organisation": organisation,
            "heading": "Volunteering policy",
            "intro": "How you recruit, develop and keep volunteers, and who their key contact "
            "is. City Together's volunteering code asks every organisation that hosts "
            "volunteers for these.",
            "button": "Save the policy",
            "page_title": f"Volunteering policy – {organisation.name}",
        },
        form,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def figures_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if refused := _may(request, "volunteering.manage", organisation, "record its figures"):
        return refused
    day = today()
    form = FiguresForm(_posted(request), initial={"year": day.year - 1, "business_volunteers": 0})
    if request.method == "POST" and form.is_valid():
        try:
            figures_record(
                organisation=organisation, by=request.user, today=day, **form.cleaned_data
            )
        except Refused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The figures are saved.")
            return redirect("volunteering:organisation", slug=organisation.slug)
    return _form_page(
        request,
        "volunteering/form.html",
        {
            "organisation": organisation,
            "heading": "Volunteering figures for a year",
            "intro": "Recording a year again replaces its figures. Only totals across "
            "organisations are published; your own figures are seen by your members.",
            "button": "Save the figures",
            "page_title": f"Volunteering figures – {organisation.name}",
        },
        form,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def equality_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if refused := _may(request, "volunteering.manage", organisation, "record its equality policy"):
        return refused
    policy = EqualityPolicy.objects.filter(organisation=organisation).first()
    initial = {n: getattr(policy, n) for n in EqualityPolicyForm.base_fields} if policy else {}
    form = EqualityPolicyForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            equality_policy_save(organisation=organisation, data=form.cleaned_data, by=request.user)
        except Refused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The equality and diversity policy is saved.")
            return redirect("volunteering:organisation", slug=organisation.slug)
    return _form_page(
        request,
        "volunteering/form.html",
        {
            "organisation": organisation,
            "heading": "Equality and diversity policy or statement",
            "intro": "Redcar & Cleveland's equality and diversity code asks voluntary and "
            "community organisations for a policy, or a statement where that suits their size; "
            "public bodies review theirs in the light of impact assessments.",
            "button": "Save",
            "page_title": f"Equality and diversity – {organisation.name}",
        },
        form,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if refused := _may(request, "volunteering.assess", organisation, "record impact assessments"):
        return refused
    form = AssessmentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_record(
                organisation=organisation, data=form.cleaned_data, by=request.user, today=today()
            )
        except Refused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The impact assessment is recorded.")
            return redirect("volunteering:assessment", pk=assessment.pk)
    return _form_page(
        request,
        "volunteering/form.html",
        {
            "organisation": organisation,
            "heading": "Record an equality impact assessment",
            "intro": "For a policy, plan, consultation or service change: which groups were "
            "considered, what was found and what will be done. It is published.",
            "button": "Record the assessment",
            "page_title": f"Impact assessment – {organisation.name}",
        },
        form,
    )


# --- Public equality pages ---------------------------------------------------------------


@require_safe
def assessments(request: HttpRequest) -> HttpResponse:
    found = ImpactAssessment.objects.select_related("organisation")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteering/assessments.html",
        {"page": page, "nav_section": SECTION, "page_title": "Equality impact assessments"},
    )


@require_safe
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ImpactAssessment.objects.select_related("organisation"), pk=pk)
    return render(
        request,
        "volunteering/assessment.html",
        {"assessment": item, "nav_section": SECTION, "page_title": item.title},
    )


@require_safe
def equality(request: HttpRequest) -> HttpResponse:
    policies = EqualityPolicy.objects.select_related("organisation").order_by("organisation__name")
    page = Paginator(policies, PER_PAGE * 2).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteering/equality.html",
        {
            "page": page,
            "today": today(),
            "nav_section": SECTION,
            "page_title": "Equality and diversity policies",
        },
    )


@require_safe
def figures(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "volunteering/figures.html",
        {
            "years": selectors.figures_by_year(),
            "nav_section": SECTION,
            "page_title": "Volunteering in figures",
        },
    )


@require_safe
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    compact = get_object_or_404(Compact, slug=slug)
    day = today()
    try:
        year = int(request.GET.get("year", day.year))
    except ValueError:
        year = day.year
    if not 2000 <= year <= day.year:
        raise Http404("No report for that year")
    return render(
        request,
        "volunteering/progress.html",
        {
            "progress": selectors.progress_figures(compact=compact, year=year, today=day),
            "years": [y for y in selectors.years_with_records(day) if y >= 2000],
            "compacts": Compact.objects.order_by("name"),
            "nav_section": SECTION,
            "page_title": f"Inclusive city progress {year} – {compact.name}",
        },
    )


# --- Format and language requests --------------------------------------------------------


def _format_request_form(request, *, organisation=None, compact=None) -> HttpResponse:
    addressee = FormatRequest(organisation=organisation, compact=compact).addressee
    initial = {
        "subject": request.GET.get("subject", "")[:300],
        "subject_url": request.GET.get("from", "")[:500],
    }
    if request.user.is_authenticated:
        initial.update(name=request.user.get_full_name(), email=request.user.email)
    form = FormatRequestForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = format_request_make(
                organisation=organisation,
                compact=compact,
                data=form.cleaned_data,
                user=request.user,
                today=today(),
            )
        except Refused as refused:
            _refused(form, refused)
        else:
            return redirect("volunteering:format_request", reference=made.reference)
    return _form_page(
        request,
        "volunteering/format_request_form.html",
        {
            "organisation": organisation,
            "compact": compact,
            "addressee": addressee,
            "page_title": f"Ask {addressee} for another format or language",
        },
        form,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def format_request_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone may ask an organisation for something in another format or language."""
    return _format_request_form(request, organisation=get_object_or_404(Organisation, slug=slug))


@require_http_methods(["GET", "HEAD", "POST"])
def format_request_new_compact(request: HttpRequest, compact: str) -> HttpResponse:
    """Anyone may ask a compact's support team, where no organisation speaks for what
    they ask about (a compact meeting without a host)."""
    return _format_request_form(request, compact=get_object_or_404(Compact, slug=compact))


@require_safe
def format_request(request: HttpRequest, reference: str) -> HttpResponse:
    """The request as its maker sees it: the private link is the key."""
    made = get_object_or_404(
        FormatRequest.objects.select_related("organisation", "compact"), reference=reference
    )
    return render(
        request,
        "volunteering/format_request.html",
        {
            "request_made": made,
            "link": absolute(reverse("volunteering:format_request", args=[reference])),
            "nav_section": SECTION,
            "page_title": "Your request for another format",
        },
    )


def _answer(request, made: FormatRequest, *, done: str, context: dict) -> HttpResponse:
    form = AnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            format_request_answer(request=made, by=request.user, today=today(), **form.cleaned_data)
        except Refused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The request is answered.")
            return redirect(done)
    return _form_page(
        request,
        "volunteering/format_request_answer.html",
        {
            "request_made": made,
            "page_title": "Answer a request for another format",
            **context,
        },
        form,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def format_request_answer_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    made = get_object_or_404(
        FormatRequest.objects.select_related("organisation"), pk=pk, organisation=organisation
    )
    if refused := _may(request, "volunteering.manage", organisation, "answer this request"):
        return refused
    return _answer(
        request,
        made,
        done=reverse("volunteering:organisation", args=[organisation.slug]),
        context={"organisation": organisation},
    )


def _may_answer_for(request, compact: Compact, what: str) -> HttpResponse | None:
    if request.user.has_perm("volunteering.answer_compact_requests", compact):
        return None
    return _forbidden(
        request,
        title=f"You cannot {what}",
        reason=f"Only the support team of {compact.name} and staff can {what}.",
    )


@login_required
@require_safe
def compact_format_requests(request: HttpRequest, compact: str) -> HttpResponse:
    """The requests made to a compact's support team, newest first, for it to answer."""
    compact = get_object_or_404(Compact, slug=compact)
    if refused := _may_answer_for(request, compact, "see the requests made to the support team"):
        return refused
    return render(
        request,
        "volunteering/compact_format_requests.html",
        {
            "compact": compact,
            "page": Paginator(compact.format_requests.all(), PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "nav_section": SECTION,
            "page_title": f"Requests for other formats – support team of {compact.name}",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def compact_format_request_answer(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = get_object_or_404(Compact, slug=compact)
    made = get_object_or_404(
        FormatRequest.objects.select_related("compact"), pk=pk, compact=compact
    )
    if refused := _may_answer_for(request, compact, "answer this request"):
        return refused
    return _answer(
        request,
        made,
        done=reverse("volunteering:compact_format_requests", args=[compact.slug]),
        context={"compact": compact},
    )
