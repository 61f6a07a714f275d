"""Compact-proofing pages: an organisation's reports, the form to proof a draft, a report
and its uploaded file. Who may use each is in `rules.py`; a report someone may not see is
"not found" for them, so that its existence does not leak. Views read the clock once
through `now()`."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from localcompact.compacts.models import Compact
from localcompact.core import logging as audit
from localcompact.core.uploads import document_response
from localcompact.organisations.models import Membership, Organisation

from . import jargon, services
from .forms import ProofForm
from .models import Level, ProofingReport

PER_PAGE = 20
LEVEL_HEADINGS = [
    (Level.BLOCKING, "Must be fixed before the draft can be compact-proofed"),
    (Level.WARNING, "Worth changing"),
    (Level.INFO, "For information"),
    (Level.OK, "What meets the compact"),
]


def now() -> dt.datetime:
    return timezone.now()


def _forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    audit.log_permission_refused(request)
    return render(
        request,
        "proofing/forbidden.html",
        {"page_title": title, "title": title, "reason": reason},
        status=403,
    )


def _crumbs(organisation: Organisation | None = None) -> list[tuple[str, str]]:
    crumbs = [("Compact-proofing", reverse("proofing:index"))]
    if organisation is not None:
        crumbs.append((organisation.name, reverse("proofing:list", args=[organisation.slug])))
    return crumbs


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The organisations the signed-in person belongs to, to proof a draft for or to see
    their reports."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(
        request,
        "proofing/index.html",
        {"page_title": "Compact-proofing", "memberships": memberships},
    )


@require_safe
@login_required
def report_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("proofing.list", organisation):
        return _forbidden(
            request,
            title=f"Only members of {organisation.name} can see its reports",
            reason="Compact-proofing reports are about drafts, which are not public.",
        )
    queryset = ProofingReport.objects.for_organisation(organisation).listed()
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "proofing/list.html",
        {
            "page_title": f"Compact-proofing reports: {organisation.name}",
            "organisation": organisation,
            "page": page,
            "may_create": request.user.has_perm("proofing.create", organisation),
            "crumbs": _crumbs(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("proofing.create", organisation):
        return _forbidden(
            request,
            title=f"Only officers of {organisation.name} can proof drafts for it",
            reason="An organisation's officers and administrators check its drafts against "
            "the compact. Ask an administrator if you need to be an officer.",
        )
    compacts = list(
        Compact.objects.filter(current_version__isnull=False)
        .select_related("current_version")
        .order_by("name")
    )
    form = ProofForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        compacts=compacts,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                organisation=organisation,
                compact=data["compact"],
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                uploaded=data["document"] or None,
                by=request.user,
                now=now(),
            )
        except services.Refused as refused:
            form.refuse(refused)
        else:
            messages.success(request, "The draft has been checked")
            return redirect(report)
    title = "Check a draft against the compact"
    return render(
        request,
        "proofing/new.html",
        {
            "page_title": f"Error: {title}" if form.errors else title,
            "title": title,
            "organisation": organisation,
            "form": form,
            "crumbs": _crumbs(organisation),
        },
        status=400 if form.errors else 200,
    )


def _report(request: HttpRequest, pk: int) -> ProofingReport:
    report = get_object_or_404(
        ProofingReport.objects.select_related(
            "organisation", "compact", "version", "created_by", "document"
        ),
        pk=pk,
    )
    if not request.user.has_perm("proofing.view", report):
        audit.log_permission_refused(request)
        raise Http404("No such report")
    return report


@require_safe
@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    sections = [
        (level, heading, report.findings_at(level))
        for level, heading in LEVEL_HEADINGS
        if report.findings_at(level)
    ]
    try:
        document = report.document
    except ProofingReport.document.RelatedObjectDoesNotExist:
        document = None
    may_list = request.user.has_perm("proofing.list", report.organisation)
    return render(
        request,
        "proofing/report.html",
        {
            "page_title": f"Compact-proofing report: {report.title}",
            "report": report,
            "sections": sections,
            "document": document,
            "may_create": request.user.has_perm("proofing.create", report.organisation),
            "may_list": may_list,
            "jargon_source": jargon.source_note(),
            "crumbs": _crumbs(report.organisation if may_list else None),
        },
    )


@require_safe
@login_required
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        document = report.document
    except ProofingReport.document.RelatedObjectDoesNotExist:
        raise Http404("This report was made from pasted text") from None
    return document_response(document)
