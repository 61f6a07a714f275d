"""Disagreement pages. Everything about a case comes from its compact's procedure data:
no compact is named here.

A case is confidential: its page, steps, documents and every list or count show it only
to those who stand on it (`access`); to anyone else it does not exist (404). Published
findings are public.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from localcompact.compacts.models import Compact
from localcompact.core import logging as audit
from localcompact.core.uploads import document_response
from localcompact.organisations.models import ACTING_ROLES, Organisation
from localcompact.organisations.selectors import signatories_current
from localcompact.rulebook import MoveRefused

from . import selectors
from .access import cases_visible_to, standing
from .forms import RaiseForm, RecordsForm, subgroup_members
from .models import Case, CaseDocument, CaseEvent
from .services import Refused, case_move, case_raise, procedure_for, signatories_only

PER_PAGE = 20


def today() -> dt.date:
    """Today in the site's time zone; views read it once (tests replace it)."""
    return timezone.localdate()


def _context(**extra) -> dict:
    return {"nav_section": "disagreements", **extra}


def _page(request: HttpRequest, queryset):
    paginator = Paginator(queryset, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.query = query.urlencode()
    return page


def _visible_case(request: HttpRequest, reference: str) -> tuple[Case, object]:
    """The case and the person's standing on it, or 404 for anyone who may not see it."""
    case = get_object_or_404(Case.objects.select_related("compact", "version"), reference=reference)
    position = standing(request.user, case)
    if not position.sees:
        audit.log_permission_refused(request)
        raise Http404("No such case")
    return case, position


def compacts_with_procedures():
    compacts = Compact.objects.filter(current_version__isnull=False).select_related(
        "current_version"
    )
    return [c for c in compacts if "disagreement_procedure" in c.current_version.definition]


# Lists -----------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Your cases (signed in), with search; how to raise one; the published findings."""
    context = _context(page_title="Disagreements", compacts=compacts_with_procedures())
    if request.user.is_authenticated:
        cases = cases_visible_to(request.user).select_related("compact", "version")
        query = request.GET.get("q", "").strip()[:100]
        if query:
            cases = cases.filter(Q(reference__icontains=query) | Q(title__icontains=query))
        status = request.GET.get("status", "")
        if status == "open":
            cases = cases.filter(is_final=False)
        elif status == "closed":
            cases = cases.filter(is_final=True)
        context.update(
            page=_page(request, cases.order_by("-raised_on", "-pk")),
            query=query,
            status=status,
            may_raise=request.user.has_perm("disputes.raise"),
            may_see_figures=request.user.has_perm("disputes.view_figures"),
            role_deadlines=selectors.role_deadlines(request.user),
        )
    context["published"] = Case.objects.published().select_related("compact")[:5]
    return render(request, "disputes/index.html", context)


@require_safe
def findings(request: HttpRequest) -> HttpResponse:
    cases = (
        Case.objects.published()
        .select_related("compact", "version")
        .order_by("-published_on", "-pk")
    )
    compact_slug = request.GET.get("compact", "")
    if compact_slug:
        cases = cases.filter(compact__slug=compact_slug)
    page = _page(request, cases)
    for case in page.object_list:
        case.statement = selectors.public_statement(case)
    return render(
        request,
        "disputes/findings.html",
        _context(
            page_title="Published findings",
            page=page,
            compacts=compacts_with_procedures(),
            compact_slug=compact_slug,
        ),
    )


@require_safe
def finding(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.published().select_related("compact", "version"), reference=reference
    )
    parties = case.parties.select_related("organisation")
    return render(
        request,
        "disputes/finding.html",
        _context(
            page_title=f"Finding {case.reference}",
            case=case,
            parties=parties,
            statement=selectors.public_statement(case),
            advice=case.version.definition.get("advice", []),
        ),
    )


# Raising ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def raise_case(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("disputes.raise"):
        audit.log_permission_refused(request)
        return render(
            request,
            "disputes/cannot_raise.html",
            _context(page_title="You cannot raise a disagreement"),
            status=403,
        )
    compacts = compacts_with_procedures()
    slug = request.GET.get("compact") or request.POST.get("compact")
    compact = next((c for c in compacts if c.slug == slug), None)
    if compact is None:
        return render(
            request,
            "disputes/raise_choose.html",
            _context(page_title="Raise a disagreement", compacts=compacts, asked=bool(slug)),
            status=400 if slug else 200,
        )
    procedure = procedure_for(compact)
    definition = compact.current_version.definition["disagreement_procedure"]
    acting = Organisation.objects.filter(
        memberships__user=request.user, memberships__role__in=ACTING_ROLES
    ).order_by("name")
    eligible = (
        (
            signatories_current(compact=compact)
            if signatories_only(compact)
            else Organisation.objects
        )
        .exclude(pk__in=acting.values("pk"))
        .order_by("name")
        .distinct()
    )
    form = RaiseForm(
        request.POST if request.method == "POST" else None,  # an empty POST is still sent
        records=procedure.opening,
        acting=acting,
        eligible=eligible,
        excluded=definition.get("excluded", []),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = case_raise(
                compact=compact,
                organisation=form.cleaned_data["organisation"],
                others=form.cleaned_data["others"],
                about=form.cleaned_data["about"],
                title=form.cleaned_data["title"],
                opening=form.answers(),
                by=request.user,
                today=today(),
            )
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, f"Disagreement {case.reference} raised")
            return redirect(case)
    return render(
        request,
        "disputes/raise.html",
        _context(
            page_title="Raise a disagreement",
            compact=compact,
            procedure=definition,
            form=form,
            signatories_only=signatories_only(compact),
        ),
        status=400 if form.errors else 200,
    )


# A case ----------------------------------------------------------------------------------


@login_required
@require_safe
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case, position = _visible_case(request, reference)
    procedure = case.procedure
    parties = list(case.parties.select_related("organisation"))
    done_parts = set(
        case.events.filter(kind=CaseEvent.Kind.PART, at_revision=case.revision).values_list(
            "move", "organisation_id"
        )
    )
    steps = []
    if not case.is_final:
        for move in procedure.allowed_moves(case.state, position.roles):
            done = (
                move.each_party
                and position.organisation is not None
                and (move.id, position.organisation.pk) in done_parts
            )
            waiting = [
                p.organisation.name
                for p in parties
                if move.each_party and (move.id, p.organisation_id) not in done_parts
            ]
            steps.append({"move": move, "done": done, "waiting": waiting})
    obligations = list(selectors.obligations_of(case))
    return render(
        request,
        "disputes/case.html",
        _context(
            page_title=f"{case.reference}: {case.title}",
            case=case,
            procedure=procedure,
            position=position,
            parties=parties,
            steps=steps,
            due=[o for o in obligations if o.is_open],
            obligations=obligations,
            timeline=selectors.timeline(case, position),
            advice=case.version.definition.get("advice", []) if case.is_final else [],
            statement=selectors.public_statement(case) if case.is_public else [],
            role_titles=[procedure.roles[r] for r in sorted(position.roles)],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_step(request: HttpRequest, reference: str, move: str) -> HttpResponse:
    case, position = _visible_case(request, reference)
    procedure = case.procedure
    step = procedure.moves.get(move)
    if step is None:
        raise Http404("No such step")
    members = (
        subgroup_members(case.compact)
        if any(r.kind == "subgroup-members" for r in step.records)
        else None
    )
    posted = request.method == "POST"  # an empty POST is still a form sent, with errors
    form = RecordsForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        records=step.records,
        findings=procedure.findings,
        members=members,
        initial={"revision": case.revision},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_move(
                case=case,
                move=move,
                by=request.user,
                revision=form.cleaned_data.get("revision") or 0,
                today=today(),
                answers=form.answers(),
                documents=form.documents(),
            )
        except Refused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, f"Recorded: {step.title}")
            return redirect(case)
    elif request.method == "GET":
        try:
            procedure.move(case.state, move, position.roles)
        except MoveRefused as refused:  # say why on the form page
            form.cleaned_data = {}  # an unbound form has none, and add_error needs it
            form.add_error(None, refused.message)
    return render(
        request,
        "disputes/step.html",
        _context(
            page_title=f"{step.title} – {case.reference}",
            case=case,
            step=step,
            form=form,
            restricted=procedure.restricted_roles(case.state),
            role_titles=procedure.roles,
            standard=case.version.standards.filter(ident=step.standard).first()
            if step.standard
            else None,
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def document(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, position = _visible_case(request, reference)
    item = get_object_or_404(CaseDocument, case=case, pk=pk)
    if not position.reads(item.restricted_to):
        audit.log_permission_refused(request)
        raise Http404("No such document")
    return document_response(item)


# Figures ---------------------------------------------------------------------------------


@login_required
@require_safe
def figures(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("disputes.view_figures"):
        audit.log_permission_refused(request)
        return render(
            request,
            "disputes/cannot_see_figures.html",
            _context(page_title="You cannot see these figures"),
            status=403,
        )
    compacts = compacts_with_procedures()
    compact = next((c for c in compacts if c.slug == request.GET.get("compact")), None)
    compact = compact or (compacts[0] if compacts else None)
    day = today()
    try:
        year = int(request.GET.get("year", day.year))
    except ValueError:
        year = day.year
    result = selectors.figures(compact=compact, year=year) if compact else None
    return render(
        request,
        "disputes/figures.html",
        _context(
            page_title="Disagreements: annual figures",
            compacts=compacts,
            compact=compact,
            year=year,
            years=selectors.years_with_cases(compact, day) if compact else [day.year],
            figures=result,
        ),
    )
