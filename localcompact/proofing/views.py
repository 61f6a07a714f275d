"""Compact-proofing pages: an organisation's reports, the form to proof a draft, a report
and its uploaded file; attaching a report as evidence to a consultation or a
commissioning plan (two steps: choose, then confirm that the report becomes public) and
removing it again (confirm, knowing what stays public; the removal is a POST);
the compact mark of a passing report (SVG) and the public page that verifies a mark's
reference. Who may use each is in `rules.py`; a report someone may not see is "not
found" for them, so that its existence does not leak (a visitor who is not signed in is
asked to sign in first). Views read the clock once through `now()`."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from localcompact.compacts.models import Compact
from localcompact.core import logging as audit
from localcompact.core.refusals import forbidden
from localcompact.core.uploads import document_response
from localcompact.organisations.models import Membership, Organisation

from . import jargon, selectors, services
from .forms import AttachForm, ProofForm, VerifyForm
from .models import Level, ProofingEvidence, ProofingReport

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
    return forbidden(
        request, title=title, reason=reason, way_on=("proofing:index", "Go to compact-proofing")
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


class SignInFirst(Exception):
    """A visitor who is not signed in asked for something that is not public."""


def _report(request: HttpRequest, pk: int, perm: str = "proofing.view") -> ProofingReport:
    report = get_object_or_404(
        ProofingReport.objects.select_related(
            "organisation", "compact", "version", "created_by", "document"
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, report):
        if not request.user.is_authenticated:
            raise SignInFirst
        audit.log_permission_refused(request)
        raise Http404("No such report")
    return report


@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: public once attached as evidence, else for those `rules.py` names."""
    try:
        report = _report(request, pk)
    except SignInFirst:
        return redirect_to_login(request.get_full_path())
    sections = [
        (level, heading, report.findings_at(level))
        for level, heading in LEVEL_HEADINGS
        if report.findings_at(level)
    ]
    try:
        document = report.document
    except ProofingReport.document.RelatedObjectDoesNotExist:
        document = None
    signed_in = request.user.is_authenticated
    may_list = signed_in and request.user.has_perm("proofing.list", report.organisation)
    may_create = signed_in and request.user.has_perm("proofing.create", report.organisation)
    may_see_document = signed_in and request.user.has_perm("proofing.view_document", report)
    return render(
        request,
        "proofing/report.html",
        {
            "page_title": f"Compact-proofing report: {report.title}",
            "report": report,
            "sections": sections,
            "document": document if may_see_document else None,
            "may_create": may_create,
            "may_attach": may_create,  # proofing.attach: the same officers
            "may_list": may_list,
            "attached": selectors.attached_to(report),
            "jargon_source": jargon.source_note(),
            "crumbs": _crumbs(report.organisation if may_list else None) if signed_in else [],
        },
    )


@require_safe
@login_required
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, "proofing.view_document")
    try:
        document = report.document
    except ProofingReport.document.RelatedObjectDoesNotExist:
        raise Http404("This report was made from pasted text") from None
    return document_response(document)


def _attach_context(report, form, consultations, plans) -> dict:
    title = "Attach the report as evidence"
    return {
        "page_title": f"Error: {title}" if form.errors else title,
        "title": title,
        "report": report,
        "form": form,
        "consultations": consultations,
        "plans": plans,
        "crumbs": _crumbs(report.organisation)
        + [(report.title, reverse("proofing:report", args=[report.pk]))],
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a report to a consultation or plan: choose it, then confirm, knowing the
    report becomes public. Without `confirm` a valid choice shows the confirmation."""
    report = _report(request, pk)
    if not request.user.has_perm("proofing.attach", report):
        return _forbidden(
            request,
            title=f"Only officers of {report.organisation.name} can attach its reports",
            reason="An organisation's officers and administrators attach its compact-proofing "
            "reports to its consultations and commissioning plans.",
        )
    consultations, plans = selectors.attach_targets(report)
    form = AttachForm(
        request.POST if request.method == "POST" else None,
        consultations=consultations,
        plans=plans,
    )
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "proofing/attach_confirm.html",
                {
                    **_attach_context(report, form, consultations, plans),
                    "target": target,
                    "what_label": "consultation"
                    if form.cleaned_data["what"] == "consultation"
                    else "commissioning plan",
                    "title": "Attach the report and make it public",
                    "page_title": "Attach the report and make it public",
                },
            )
        try:
            services.report_attach(
                report=report,
                consultation=target if form.cleaned_data["what"] == "consultation" else None,
                plan=target if form.cleaned_data["what"] == "plan" else None,
                by=request.user,
                now=now(),
            )
        except services.Refused as refused:
            form.refuse(refused)
        else:
            messages.success(
                request, f"The report is attached to \u201c{target.title}\u201d and is now public"
            )
            return redirect(report)
    return render(
        request,
        "proofing/attach.html",
        _attach_context(report, form, consultations, plans),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def evidence_remove(request: HttpRequest, pk: int, evidence: int) -> HttpResponse:
    """Remove a report as evidence for a consultation or plan: the page says what stays
    public and what does not; the removal itself is a POST from it."""
    report = _report(request, pk)
    if not request.user.has_perm("proofing.attach", report):
        return _forbidden(
            request,
            title=f"Only officers of {report.organisation.name} can remove its evidence",
            reason="An organisation's officers and administrators attach its compact-proofing "
            "reports to its consultations and commissioning plans, and remove them.",
        )
    row = get_object_or_404(
        ProofingEvidence.objects.select_related("consultation", "plan"), pk=evidence, report=report
    )
    if request.method == "POST":
        try:
            report = services.evidence_remove(evidence=row, by=request.user, now=now())
        except services.Refused:
            raise Http404("The report is no longer evidence for this") from None
        still = "It is still public" if report.is_public else "It is no longer public"
        messages.success(
            request,
            f"The report is no longer evidence for \u201c{row.target.title}\u201d. {still}.",
        )
        return redirect(report)
    others = ProofingEvidence.objects.filter(report=report).exclude(pk=row.pk).count()
    title = "Remove this evidence"
    return render(
        request,
        "proofing/evidence_remove.html",
        {
            "page_title": f"{title}: {report.title}",
            "title": title,
            "report": report,
            "evidence": row,
            "others": others,
            "stays_public": services.stays_public(report, other_evidence=others),
            "crumbs": _crumbs(report.organisation)
            + [(report.title, reverse("proofing:report", args=[report.pk]))],
        },
    )


@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    """Check a compact mark: type the reference printed on it."""
    form = VerifyForm(request.GET if "reference" in request.GET else None)
    status = 200
    if form.is_bound:
        if not form.is_valid():
            status = 400
        else:
            report = selectors.report_by_reference(form.cleaned_data["reference"])
            if report is not None:
                return redirect("proofing:verified", reference=report.reference)
            form.add_error(
                "reference",
                "No compact mark has this reference: check it against the mark, letter by letter",
            )
            status = 404
    title = "Check a compact mark"
    return render(
        request,
        "proofing/verify.html",
        {"page_title": f"Error: {title}" if form.errors else title, "title": title, "form": form},
        status=status,
    )


@require_safe
def verified(request: HttpRequest, reference: str) -> HttpResponse:
    """What a genuine mark stands for: the organisation, the draft, the compact, when."""
    report = selectors.report_by_reference(reference)
    if report is None:
        raise Http404("No compact mark has this reference")
    return render(
        request,
        "proofing/verified.html",
        {
            "page_title": f"Compact mark {report.reference}",
            "report": report,
            "crumbs": [("Check a compact mark", reverse("proofing:verify"))],
        },
    )


@require_safe
def mark(request: HttpRequest, reference: str) -> HttpResponse:
    """The compact mark of a passing report, as an SVG image (download or show it)."""
    report = selectors.report_by_reference(reference)
    if report is None:
        raise Http404("No compact mark has this reference")
    response = render(
        request,
        "proofing/mark.svg",
        {
            "report": report,
            "verify_url": request.build_absolute_uri(
                reverse("proofing:verified", args=[report.reference])
            ),
            "check_at": request.build_absolute_uri(reverse("proofing:verify")),
        },
        content_type="image/svg+xml; charset=utf-8",
    )
    if "download" in request.GET:
        response["Content-Disposition"] = (
            f'attachment; filename="compact-mark-{report.reference}.svg"'
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600"
    return response
