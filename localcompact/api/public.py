"""Public reads: compacts, standards, compliance figures, the register."""

import datetime as dt

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router

from localcompact.compacts.models import Compact
from localcompact.compacts.selectors import compacts_current, version_get
from localcompact.core.links import absolute
from localcompact.obligations.selectors import compliance_figures
from localcompact.organisations.models import Organisation, Sector, Signature
from localcompact.organisations.register import (
    RegisterQuery,
    download_row,
    register_organisations,
    with_pledges,
)

from .errors import period_check
from .paging import paged
from .schemas import (
    CompactDetailOut,
    CompactOut,
    ComplianceOut,
    Date,
    Error,
    OrganisationOut,
    OrganisationPage,
    StandardOut,
    Text,
)

# Public: no token is needed, and one sent is not looked at (nor is it refused).
router = Router(tags=["Public"])
ERRORS = {404: Error, 422: Error, 429: Error}


def _compact(request, compact) -> dict:
    version = compact.current_version
    return {
        "slug": compact.slug,
        "name": version.name,
        "area": version.area,
        "nation": version.nation,
        "version": version.number,
        "summary": version.summary,
        "codes": compact.code_count,
        "standards": compact.standard_count,
        "undertakings": compact.undertaking_count,
        "url": absolute(compact.get_absolute_url()),
    }


@router.get("/compacts", response={200: list[CompactOut], **ERRORS}, summary="The compacts")
def compacts(request):
    return [_compact(request, compact) for compact in compacts_current()]


@router.get("/compacts/{slug}", response={200: CompactDetailOut, **ERRORS}, summary="One compact")
def compact(request, slug: str):
    found = compacts_current().filter(slug=slug).first()
    if found is None:
        raise Http404(f"There is no compact '{slug}'")
    version = found.current_version
    return {
        **_compact(request, found),
        "covers": version.covers,
        "code_list": [
            {
                "slug": code.slug,
                "title": code.title,
                "kind": code.kind,
                "summary": code.summary,
                "document": code.source.file,
                "clause": code.clause_ref,
            }
            for code in version.codes.select_related("source").order_by("position")
        ],
    }


@router.get(
    "/compacts/{slug}/standards",
    response={200: list[StandardOut], **ERRORS},
    summary="A compact's standards, with their rules",
)
def standards(request, slug: str):
    version = version_get(slug=slug)
    return [
        {
            "ident": s.ident,
            "title": s.title,
            "summary": s.summary,
            "code": s.code.slug if s.code else None,
            "applies_to": s.applies_to,
            "owed_by": s.owed_by,
            "owed_to": s.owed_to,
            "rule_kind": s.rule_kind,
            "params": s.params,
            "strictness": s.strictness,
            "exception_kind": s.exception_kind,
            "exception_summary": s.exception_summary,
            "document": s.source.file,
            "clause": s.clause_ref,
        }
        for s in version.standards.select_related("code", "source").order_by("position")
    ]


@router.get(
    "/compacts/{slug}/compliance",
    response={200: ComplianceOut, **ERRORS},
    summary="How a compact's standards were kept in a period",
    description="Obligations due in the period (by default, the last twelve months), per "
    "standard: met on time, met late, missed, excused, still open. The same figures as "
    "the compact's compliance page.",
)
def compliance(request, slug: str, date_from: Date | None = None, date_to: Date | None = None):
    version = version_get(slug=slug)
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or date_to - dt.timedelta(days=365)
    period_check(date_from, date_to)
    groups = compliance_figures(version=version, date_from=date_from, date_to=date_to)
    return {
        "compact": slug,
        "date_from": date_from,
        "date_to": date_to,
        "standards": [
            {
                "standard": row.ident,
                "title": row.title,
                "code": row.code_slug,
                "document": row.document,
                "clause": row.clause_ref,
                "met": row.met,
                "met_late": row.met_late,
                "missed": row.missed,
                "excused": row.excused,
                "open": row.open,
            }
            for group in groups
            for row in group.rows
        ],
    }


def _organisation(request, organisation) -> dict:
    url = absolute(organisation.get_absolute_url())
    return {"slug": organisation.slug, **download_row(organisation, url=url)}


@router.get(
    "/organisations",
    response={200: OrganisationPage, **ERRORS},
    summary="The register of organisations",
    description="Every organisation on the register, by name. `q` searches names and "
    "identifiers; `compact` keeps those that have signed that compact (and not "
    "withdrawn); `signed_from` and `signed_to` keep those with a standing signature "
    "made in that period.",
)
def organisations(
    request,
    q: Text = "",
    compact: Text = "",
    sector: Sector | None = None,
    signed_from: Date | None = None,
    signed_to: Date | None = None,
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(50, ge=1, le=200),
):
    chosen = None
    if compact:
        chosen = Compact.objects.filter(slug=compact, current_version__isnull=False).first()
        if chosen is None:
            raise Http404(f"There is no compact '{compact}'")
    query = RegisterQuery(
        q=q.strip(), compact=chosen, status="signed" if chosen else "", sector=sector or ""
    )
    found = register_organisations(query)
    if signed_from or signed_to:
        signed = Signature.objects.current()
        if chosen:
            signed = signed.filter(compact=chosen)
        if signed_from:
            signed = signed.filter(signed_on__gte=signed_from)
        if signed_to:
            signed = signed.filter(signed_on__lte=signed_to)
        found = found.filter(Q(pk__in=signed.values("organisation_id")))
    return paged(request, found, page=page, page_size=page_size, item=_organisation)


@router.get(
    "/organisations/{slug}",
    response={200: OrganisationOut, **ERRORS},
    summary="One organisation on the register",
)
def organisation(request, slug: str):
    found = get_object_or_404(with_pledges(Organisation.objects.all()), slug=slug)
    return _organisation(request, found)
