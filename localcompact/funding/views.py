"""Funding and commissioning pages.

Public: the funding index with totals, funding by funder, by recipient and by
programme, commissioning plans, opportunities, awards' headline facts and the open data.
Private (see `rules.py`): applications, and an award's payments, monitoring, risks,
notices and changes. Actions are function views: a GET shows the form, a POST goes
through a service; a refusal is shown on the form with nothing typed lost.
"""

import datetime as dt
import json
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from localcompact.compacts.models import Compact
from localcompact.core import refusals
from localcompact.organisations.models import ACTING_ROLES, Membership, Organisation

from . import exports, forms, selectors, services
from .models import (
    STAGE_ORDER,
    Application,
    Award,
    CommissioningPlan,
    MonitoringReturn,
    Opportunity,
    Payment,
)
from .monitoring import BANDS_CLAUSE, MONITORING_BANDS, band_for, monitoring_flag

PER_PAGE = 25
SECTION = "funding"


def today() -> dt.date:
    """Today in the site's time zone; views read it once (tests replace it)."""
    return timezone.localdate()


def _page(request, template, context, status=200):
    context.setdefault("nav_section", SECTION)
    return render(request, template, context, status=status)


def forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    return refusals.forbidden(
        request,
        title=title,
        reason=reason,
        section=SECTION,
        way_on=("funding:index", "Go to funding and commissioning"),
    )


def _paginate(request, rows):
    paginator = Paginator(rows, PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


# --- Public pages ------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    open_now = (
        Opportunity.objects.filter(status=Opportunity.Status.OPEN)
        .select_related("funder")
        .order_by("closes_on", "pk")[:10]
    )
    plans = CommissioningPlan.objects.select_related("commissioner").order_by("-created_at")[:5]
    mine = []
    if request.user.is_authenticated:
        mine = list(Organisation.objects.filter(memberships__user=request.user).order_by("name"))
    return _page(
        request,
        "funding/index.html",
        {
            "page_title": "Funding and commissioning",
            "totals": selectors.totals(),
            "funders": list(selectors.funders()[:5]),
            "recipients": list(selectors.recipients()[:5]),
            "open_now": list(open_now),
            "plans": list(plans),
            "mine": mine,
        },
    )


@require_safe
def funders(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "funding/organisations.html",
        {
            "page_title": "Funding by funder",
            "heading": "Funding by funder",
            "page": _paginate(request, selectors.funders()),
            "detail": "funding:funder",
            "totals": selectors.totals(),
        },
    )


@require_safe
def recipients(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "funding/organisations.html",
        {
            "page_title": "Funding by recipient",
            "heading": "Funding by recipient",
            "page": _paginate(request, selectors.recipients()),
            "detail": "funding:recipient",
            "totals": selectors.totals(),
        },
    )


def _organisation_awards(request, slug, *, as_funder: bool):
    organisation = get_object_or_404(Organisation, slug=slug)
    rows = selectors.awards().filter(**{"funder" if as_funder else "recipient": organisation})
    if not rows.exists():
        raise Http404("No awards")
    totals = rows.aggregate(total=Sum("amount"), count=Count("pk"))
    return _page(
        request,
        "funding/organisation_awards.html",
        {
            "page_title": f"Funding {'from' if as_funder else 'to'} {organisation.name}",
            "organisation": organisation,
            "as_funder": as_funder,
            "page": _paginate(request, rows.order_by("-award_date", "-pk")),
            "totals": totals,
        },
    )


@require_safe
def funder(request: HttpRequest, slug: str) -> HttpResponse:
    return _organisation_awards(request, slug, as_funder=True)


@require_safe
def recipient(request: HttpRequest, slug: str) -> HttpResponse:
    return _organisation_awards(request, slug, as_funder=False)


@require_safe
def programmes(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "funding/programmes.html",
        {"page_title": "Funding by programme", "page": _paginate(request, selectors.programmes())},
    )


@require_safe
def plans(request: HttpRequest) -> HttpResponse:
    rows = CommissioningPlan.objects.select_related("commissioner", "version__compact")
    return _page(
        request,
        "funding/plans.html",
        {"page_title": "Commissioning plans", "page": _paginate(request, rows)},
    )


@require_safe
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.plan_get(pk)
    involvements = list(record.involvements.all())
    stages = [
        {
            "stage": stage,
            "involvements": [i for i in involvements if i.stage == stage],
            "state": "done"
            if record.completed_on or STAGE_ORDER.index(stage) < record.stage_index
            else ("current" if stage == record.stage else "to come"),
        }
        for stage in STAGE_ORDER
    ]
    can_act = request.user.has_perm("funding.act_for_funder", record)
    return _page(
        request,
        "funding/plan.html",
        {
            "page_title": record.title,
            "plan": record,
            "stages": stages,
            "can_act": can_act,
            "events": list(record.events.all()),
            # a draft is shown only to those who may see it (as on its own page)
            "opportunities": [
                o
                for o in record.opportunities.all()
                if can_act or o.status != Opportunity.Status.DRAFT
            ],
        },
    )


@require_safe
def opportunity(request: HttpRequest, code: str) -> HttpResponse:
    record = selectors.opportunity_get(code)
    can_act = request.user.has_perm("funding.act_for_funder", record)
    if record.status == Opportunity.Status.DRAFT and not can_act:
        raise Http404("Not published")
    applications = list(selectors.applications_of(record)) if can_act else []
    own = []
    if request.user.is_authenticated:
        own = list(
            record.applications.filter(applicant__memberships__user=request.user).select_related(
                "applicant"
            )
        )
    awards = list(record.awards.select_related("recipient"))
    return _page(
        request,
        "funding/opportunity.html",
        {
            "page_title": record.title,
            "opportunity": record,
            "can_act": can_act,
            "applications": applications,
            "own_applications": own,
            "awards": awards,
            "awarded": selectors.sum_of(awards),
            "may_apply": record.status == Opportunity.Status.OPEN,
        },
    )


@require_safe
def award(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.award_get(pk)
    private = request.user.has_perm("funding.view_award_private", record)
    context = {
        "page_title": record.title,
        "award": record,
        "private": private,
        "annexes": selectors.annex_undertakings(record),
        "band": band_for(record.amount),
    }
    if private:
        context.update(selectors.award_private(record))
        context.update(
            funder_acts=request.user.has_perm("funding.act_for_funder", record),
            recipient_acts=request.user.has_perm("funding.act_for_recipient", record),
            monitoring_flag=monitoring_flag(record.amount, record.returns_per_year)
            if record.monitoring_recorded_on
            else "",
        )
    return _page(request, "funding/award.html", context)


@require_safe
def data(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "funding/data.html",
        {
            "page_title": "Funding open data",
            "compacts": list(Compact.objects.order_by("name")),
            "bands": MONITORING_BANDS,
            "bands_clause": BANDS_CLAUSE,
        },
    )


def _compact_filter(request) -> str | None:
    slug = request.GET.get("compact") or None
    if slug and not Compact.objects.filter(slug=slug).exists():
        raise Http404("No such compact")
    return slug


def _licensed(response: HttpResponse) -> HttpResponse:
    """Name the data's licence in a `Link` header (RFC 8288's "license" relation): the
    only place the 360Giving CSV has for it, and the same on the JSON packages."""
    response["Link"] = f'<{exports.LICENSE_URL}>; rel="license"'
    return response


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _licensed(response)


@require_safe
def data_360_json(request: HttpRequest) -> HttpResponse:
    package = exports.threesixty_package(compact=_compact_filter(request), today=today())
    return _download(
        json.dumps(package, indent=2, ensure_ascii=False),
        "application/json",
        "grants-360giving.json",
    )


@require_safe
def data_360_csv(request: HttpRequest) -> HttpResponse:
    content = exports.threesixty_csv(compact=_compact_filter(request), today=today())
    return _download(content, "text/csv; charset=utf-8", "grants-360giving.csv")


@require_safe
def data_ocds(request: HttpRequest) -> HttpResponse:
    package = exports.ocds_package(compact=_compact_filter(request), today=today())
    return _licensed(JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False}))


# --- An organisation's funding -----------------------------------------------------------


@login_required
@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's funding work: for its members."""
    org = get_object_or_404(Organisation, slug=slug)
    if not Membership.objects.filter(user=request.user, organisation=org).exists():
        return forbidden(
            request,
            title=f"You cannot see {org.name}'s funding work",
            reason=f"Only members of {org.name} can see its applications and funding work.",
        )
    acts = request.user.has_perm("funding.fund_as", org)
    return _page(
        request,
        "funding/organisation.html",
        {
            "page_title": f"Funding – {org.name}",
            "organisation": org,
            "acts": acts,
            "plans": list(org.commissioning_plans.order_by("-created_at")[:50]),
            "opportunities": list(org.opportunities.order_by("-opens_on")[:50]),
            "applications": list(
                org.funding_applications.select_related("opportunity").order_by("-submitted_on")[
                    :50
                ]
            ),
            "made": list(org.awards_made.select_related("recipient", "opportunity")[:50]),
            "received": list(org.awards_received.select_related("funder", "opportunity")[:50]),
        },
    )


# --- Actions -----------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    *,
    form_class,
    title: str,
    caption: str,
    button: str,
    save: Callable[[dict], object],
    back: str,
    intro: str = "",
    form_kwargs: dict | None = None,
    initial: dict | None = None,
    success: str = "Saved.",
    next_url: Callable[[object], str] | None = None,
    aside: list | None = None,
) -> HttpResponse:
    """Show the form; on a valid POST run `save` (a service call) and redirect."""
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=initial,
        **(form_kwargs or {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data, form)
        except services.Refused as refused:
            field = refused.field if refused.field in form.fields else None
            form.add_error(field, refused.message)
        else:
            messages.success(request, success)
            return redirect(next_url(result) if next_url else back)
    return _page(
        request,
        "funding/form.html",
        {
            "page_title": f"{'Error: ' if form.errors else ''}{title}",
            "title": title,
            "caption": caption,
            "intro": intro,
            "form": form,
            "button": button,
            "back": back,
            "aside": aside or [],
        },
        status=400 if form.errors else 200,
    )


def _refuse_funder(request, record, name: str) -> HttpResponse:
    funder = getattr(record, "funder", None) or getattr(record, "commissioner", None)
    return forbidden(
        request,
        title=f"You cannot change {name}",
        reason=f"Only officers and administrators of {funder.name} can do this.",
    )


def _refuse_organisation(request, org: Organisation) -> HttpResponse:
    return forbidden(
        request,
        title=f"You cannot act for {org.name}",
        reason=f"Only officers and administrators of {org.name} can record its funding work.",
    )


POST_OR_GET = require_http_methods(["GET", "HEAD", "POST"])


@login_required
@POST_OR_GET
def plan_new(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("funding.fund_as", org):
        return _refuse_organisation(request, org)

    def save(data, form):
        return services.plan_create(
            version=data["compact"].current_version,
            commissioner=org,
            title=data["title"],
            summary=data["summary"],
            by=request.user,
            today=today(),
        )

    return _form_page(
        request,
        form_class=forms.PlanForm,
        title="Start a commissioning plan",
        caption=org.name,
        intro="A plan goes through four stages: analyse, plan, do and review. Record how the "
        "voluntary and community sector takes part in each before moving on.",
        button="Start the plan",
        save=save,
        back=reverse("funding:organisation", args=[org.slug]),
        success="Commissioning plan started, at the analyse stage.",
        next_url=lambda p: p.get_absolute_url(),
    )


@login_required
@POST_OR_GET
def plan_involvement(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.plan_get(pk)
    if not request.user.has_perm("funding.act_for_funder", record):
        return _refuse_funder(request, record, "this plan")
    if record.completed_on:
        return redirect(record)

    def save(data, form):
        return services.involvement_record(
            plan=record,
            kind=data["kind"],
            held_on=data["held_on"],
            description=data["description"],
            organisations=data["organisations"],
            consultation=data["consultation"],
            by=request.user,
            today=today(),
        )

    return _form_page(
        request,
        form_class=forms.InvolvementForm,
        title=f"Record sector involvement: {record.get_stage_display().lower()} stage",
        caption=record.title,
        button="Record it",
        save=save,
        back=record.get_absolute_url(),
        success="Involvement recorded.",
    )


@login_required
@POST_OR_GET
def plan_advance(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.plan_get(pk)
    if not request.user.has_perm("funding.act_for_funder", record):
        return _refuse_funder(request, record, "this plan")
    if record.completed_on:
        return redirect(record)
    last = record.stage_index == len(STAGE_ORDER) - 1
    return _form_page(
        request,
        form_class=forms.NoteForm,
        title="Finish the review" if last else "Move to the next stage",
        caption=record.title,
        intro=f"The plan is at the {record.get_stage_display().lower()} stage.",
        button="Finish the review" if last else "Move on",
        save=lambda data, form: services.plan_advance(
            plan=record, note=data["note"], by=request.user, today=today()
        ),
        back=record.get_absolute_url(),
        success="The plan has moved on.",
    )


@login_required
@POST_OR_GET
def opportunity_new(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("funding.fund_as", org):
        return _refuse_organisation(request, org)
    plan_pk = request.GET.get("plan") or request.POST.get("plan")
    plan_obj = (
        CommissioningPlan.objects.filter(pk=plan_pk, commissioner=org).first()
        if (plan_pk and plan_pk.isdigit())
        else None
    )

    def save(data, form):
        if Opportunity.objects.filter(code=data["code"]).exists():
            raise services.Refused("That short code is taken: choose another", "code")
        fields = {k: v for k, v in data.items() if k != "compact"}
        return services.opportunity_create(
            version=data["compact"].current_version,
            funder=org,
            plan=plan_obj,
            by=request.user,
            today=today(),
            **fields,
        )

    return _form_page(
        request,
        form_class=forms.OpportunityForm,
        title="Set up a funding opportunity",
        caption=org.name + (f", for {plan_obj.title}" if plan_obj else ""),
        intro="Decide the criteria and how decisions will be made before it opens; they are "
        "published with it. It opens for applications only when they are stated.",
        button="Save the opportunity",
        save=save,
        back=reverse("funding:organisation", args=[org.slug]),
        success="Opportunity saved. Open it for applications when it is ready.",
        next_url=lambda o: o.get_absolute_url(),
    )


def _opportunity_move(request, code: str, *, move, title: str, button: str, success: str):
    record = selectors.opportunity_get(code)
    if not request.user.has_perm("funding.act_for_funder", record):
        if record.status == Opportunity.Status.DRAFT:
            raise Http404("Not published")  # a draft's existence is not shown
        return _refuse_funder(request, record, "this opportunity")
    return _form_page(
        request,
        form_class=forms.NoteForm,
        title=title,
        caption=record.title,
        button=button,
        save=lambda data, form: move(opportunity=record, by=request.user, today=today()),
        back=record.get_absolute_url(),
        success=success,
    )


@login_required
@POST_OR_GET
def opportunity_open(request: HttpRequest, code: str) -> HttpResponse:
    return _opportunity_move(
        request,
        code,
        move=services.opportunity_open,
        title="Open for applications",
        button="Open it",
        success="It is open for applications.",
    )


@login_required
@POST_OR_GET
def opportunity_close(request: HttpRequest, code: str) -> HttpResponse:
    return _opportunity_move(
        request,
        code,
        move=services.opportunity_close,
        title="Close to applications",
        button="Close it",
        success="It is closed to applications.",
    )


@login_required
@POST_OR_GET
def apply(request: HttpRequest, code: str) -> HttpResponse:
    record = selectors.opportunity_get(code)
    if record.status != Opportunity.Status.OPEN:
        raise Http404("Not open")
    applicants = [
        m.organisation
        for m in Membership.objects.filter(user=request.user, role__in=ACTING_ROLES)
        .exclude(organisation=record.funder)
        .select_related("organisation")
        .order_by("organisation__name")
    ]
    if not applicants:
        return forbidden(
            request,
            title="You cannot apply",
            reason="Only officers and administrators of an organisation can apply for it.",
        )

    def save(data, form):
        return services.application_submit(
            opportunity=record,
            applicant=form.applicant(),
            title=data["title"],
            summary=data["summary"],
            direct_costs=data["direct_costs"],
            overheads=data["overheads"],
            overheads_basis=data["overheads_basis"],
            eligibility_confirmed=data["eligibility_confirmed"],
            by=request.user,
            today=today(),
        )

    return _form_page(
        request,
        form_class=forms.ApplicationForm,
        form_kwargs={"applicants": applicants},
        title="Apply",
        caption=record.title,
        intro="Show the full cost of the work: its direct costs and a fair share of your "
        "organisation's overheads.",
        button="Send the application",
        save=save,
        back=record.get_absolute_url(),
        success="Application sent.",
        next_url=lambda a: a.get_absolute_url(),
    )


@login_required
@require_safe
def application(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.application_get(pk)
    if not request.user.has_perm("funding.view_application", record):
        return forbidden(
            request,
            title="You cannot see this application",
            reason="Only members of the applicant and of the funder, and the compact's "
            "support team, can see an application.",
        )
    from localcompact.obligations.selectors import obligations_of_source

    award_obj = Award.objects.filter(application=record).first()
    return _page(
        request,
        "funding/application.html",
        {
            "page_title": record.title,
            "application": record,
            "can_decide": request.user.has_perm("funding.act_for_funder", record),
            "can_withdraw": record.status == Application.Status.SUBMITTED
            and request.user.has_perm("funding.act_for_applicant", record),
            "obligations": list(obligations_of_source(record)),
            "award": award_obj,
        },
    )


@login_required
@POST_OR_GET
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.application_get(pk)
    if not request.user.has_perm("funding.act_for_funder", record):
        return _refuse_funder(request, record.opportunity, "this application")
    return _form_page(
        request,
        form_class=forms.DecisionForm,
        title="Record the decision",
        caption=f"{record.applicant.name}: {record.title}",
        intro="Every applicant hears the outcome; an unsuccessful one is told why.",
        button="Record the decision",
        save=lambda data, form: services.application_decide(
            application=record,
            successful=data["outcome"] == "successful",
            reasons=data["reasons"],
            decided_on=data["decided_on"],
            notified_on=data["notified_on"],
            by=request.user,
            today=today(),
        ),
        back=record.get_absolute_url(),
        success="Decision recorded.",
    )


@login_required
@POST_OR_GET
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.application_get(pk)
    if not request.user.has_perm("funding.act_for_applicant", record):
        return forbidden(
            request,
            title="You cannot withdraw this application",
            reason="Only officers and administrators of the organisation that applied can "
            "withdraw its application.",
        )
    return _form_page(
        request,
        form_class=forms.WithdrawForm,
        title="Withdraw this application",
        caption=f"{record.applicant.name}: {record.title}",
        intro=(
            f"{record.opportunity.funder.name} will no longer decide on it. It stays on "
            "record as withdrawn, and you can apply again while the opportunity is open."
        ),
        button="Withdraw the application",
        save=lambda data, form: services.application_withdraw(
            application=record, reason=data["reason"], by=request.user, today=today()
        ),
        back=record.get_absolute_url(),
        success="The application is withdrawn.",
    )


@login_required
@POST_OR_GET
def application_notified(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.application_get(pk)
    if not request.user.has_perm("funding.act_for_funder", record):
        return _refuse_funder(request, record.opportunity, "this application")
    return _form_page(
        request,
        form_class=forms.NotifiedForm,
        title="Record when the applicant was told",
        caption=f"{record.applicant.name}: {record.title}",
        button="Save",
        save=lambda data, form: services.application_notify(
            application=record, notified_on=data["notified_on"], by=request.user, today=today()
        ),
        back=record.get_absolute_url(),
    )


def _award_fields(data) -> dict:
    names = [
        "kind",
        "title",
        "description",
        "amount",
        "overheads",
        "award_date",
        "agreed_on",
        "starts_on",
        "ends_on",
        "length_reason",
    ]
    return {name: data[name] for name in names}


@login_required
@POST_OR_GET
def award_new(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("funding.fund_as", org):
        return _refuse_organisation(request, org)
    application_obj = None
    app_pk = request.GET.get("application") or request.POST.get("application")
    if app_pk and str(app_pk).isdigit():
        application_obj = get_object_or_404(
            Application.objects.select_related("opportunity__version__compact", "applicant"),
            pk=app_pk,
            opportunity__funder=org,
        )
    initial = {}
    if application_obj is not None:
        opp = application_obj.opportunity
        initial = {
            "compact": opp.version.compact.slug,
            "recipient": application_obj.applicant.pk,
            "kind": opp.kind,
            "title": application_obj.title,
            "description": application_obj.summary,
            "amount": application_obj.total,
            "overheads": application_obj.overheads,
            "starts_on": opp.service_starts_on,
            "award_date": application_obj.decided_on,
        }

    def save(data, form):
        return services.award_create(
            funder=org,
            recipient=data["recipient"],
            version=application_obj.opportunity.version
            if application_obj
            else data["compact"].current_version,
            application=application_obj,
            by=request.user,
            today=today(),
            **_award_fields(data),
        )

    return _form_page(
        request,
        form_class=forms.AwardForm,
        initial=initial,
        title="Record an award",
        caption=org.name
        + (f", for {application_obj.applicant.name}'s application" if application_obj else ""),
        button="Record the award",
        save=save,
        back=reverse("funding:organisation", args=[org.slug]),
        success="Award recorded. Add its payment schedule, monitoring and risks.",
        next_url=lambda a: a.get_absolute_url(),
    )


def _award_refusal(request, record: Award, side: str) -> HttpResponse | None:
    """The refusal page, or None when the person may act for that side of the award."""
    perm = "funding.act_for_funder" if side == "funder" else "funding.act_for_recipient"
    if request.user.has_perm(perm, record):
        return None
    org = record.funder if side == "funder" else record.recipient
    return forbidden(
        request,
        title="You cannot change this award",
        reason=f"Only officers and administrators of {org.name} can do this.",
    )


def _award_action(
    request, pk, *, side: str, form_class, title, button, save, intro="", initial=None
):
    record = selectors.award_get(pk)
    if refused := _award_refusal(request, record, side):
        return refused
    return _form_page(
        request,
        form_class=form_class,
        title=title,
        caption=record.title,
        intro=intro,
        button=button,
        initial=initial,
        save=lambda data, form: save(record, data),
        back=record.get_absolute_url(),
    )


@login_required
@POST_OR_GET
def award_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.ConfirmForm,
        title="Record when the amount was confirmed",
        button="Save",
        save=lambda award, data: services.award_confirm(
            award=award, confirmed_on=data["confirmed_on"], by=request.user, today=today()
        ),
    )


@login_required
@POST_OR_GET
def award_monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.award_get(pk)
    band = band_for(record.amount)
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.MonitoringForm,
        title="Set the monitoring",
        intro=f"This award is in the {band.name.lower()} band: {band.summary}.",
        initial={
            "monitoring_requirements": record.monitoring_requirements,
            "returns_per_year": record.returns_per_year,
            "proportionality_statement": record.proportionality_statement,
            "outcome_measures": record.outcome_measures,
        },
        button="Save the monitoring",
        save=lambda award, data: services.award_monitoring_set(
            award=award, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.PaymentForm,
        title="Add a payment to the schedule",
        intro="Where the compact asks for it, pay before the spending it covers begins.",
        button="Add the payment",
        save=lambda award, data: services.payment_schedule(
            award=award, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def payment_paid(request: HttpRequest, pk: int, payment: int) -> HttpResponse:
    if refused := _award_refusal(request, selectors.award_get(pk), "funder"):
        return refused  # before the lookup: a payment's existence is the parties' business
    item = get_object_or_404(Payment, pk=payment, award_id=pk)
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.PaidForm,
        title=f"Record payment of £{item.amount:,.2f} as paid",
        button="Save",
        save=lambda award, data: services.payment_record_paid(
            payment=item, paid_on=data["paid_on"], by=request.user, today=today()
        ),
    )


@login_required
@POST_OR_GET
def return_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.ReturnExpectForm,
        title="Add a monitoring return",
        button="Add it",
        save=lambda award, data: services.return_expect(
            award=award, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def return_received(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    if refused := _award_refusal(request, selectors.award_get(pk), "funder"):
        return refused  # before the lookup: whether a return exists is private
    row = get_object_or_404(MonitoringReturn, pk=item, award_id=pk)
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.ReturnReceiveForm,
        title=f"Record the return for {row.period} as received",
        button="Save",
        save=lambda award, data: services.return_receive(
            item=row, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def return_review(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    if refused := _award_refusal(request, selectors.award_get(pk), "funder"):
        return refused  # before the lookup: whether a return exists is private
    row = get_object_or_404(MonitoringReturn, pk=item, award_id=pk)
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.ReturnReviewForm,
        title=f"Review the return for {row.period}",
        intro="Record a performance concern to be tackled, or excellent work to recognise.",
        button="Save the review",
        save=lambda award, data: services.return_review(
            item=row, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def risk_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.RiskForm,
        title="Add a risk",
        intro="Discuss risks up front and place each with the party best able to manage it.",
        button="Add the risk",
        save=lambda award, data: services.risk_record(
            award=award, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def end_notice(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.award_get(pk)
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.EndNoticeForm,
        title="Notice of the end of funding",
        initial={
            "due_on": record.end_notice_due_on,
            "given_on": record.end_notice_given_on,
            "text": record.end_notice_text,
        },
        button="Save",
        save=lambda award, data: services.award_end_notice(
            award=award, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def change_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_action(
        request,
        pk,
        side="funder",
        form_class=forms.ChangeForm,
        title="Record a change to the funding arrangements",
        intro="Consult the sector in good time on significant changes, and link the "
        "consultation here.",
        button="Record the change",
        save=lambda award, data: services.change_record(
            award=award, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def recipient_terms(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.award_get(pk)
    return _award_action(
        request,
        pk,
        side="recipient",
        form_class=forms.RecipientTermsForm,
        title="Terms of delivery and plan for the end",
        initial={"terms_accepted_on": record.terms_accepted_on, "end_plan": record.end_plan},
        button="Save",
        save=lambda award, data: services.award_recipient_terms(
            award=award, by=request.user, today=today(), **data
        ),
    )


@login_required
@POST_OR_GET
def wind_down(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_action(
        request,
        pk,
        side="recipient",
        form_class=forms.WindDownForm,
        title="Give notice of winding the service down",
        intro="Where the compact asks for it, the funder hears of it some months ahead.",
        button="Give notice",
        save=lambda award, data: services.wind_down_give(
            award=award, by=request.user, today=today(), **data
        ),
    )
