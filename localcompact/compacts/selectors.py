"""Reads for compacts. Every page's queries are fixed in number, whatever the data size."""

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from .models import Code, Compact, CompactVersion, Standard, Undertaking


def _count(model, **outer):
    rows = (
        model.objects.filter(**{key: OuterRef(value) for key, value in outer.items()})
        .order_by()
        .values(*outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def compacts_current() -> QuerySet[Compact]:
    """Loaded compacts with their current version and how much each says."""
    return (
        Compact.objects.filter(current_version__isnull=False)
        .select_related("current_version")
        .annotate(
            code_count=_count(Code, version="current_version"),
            standard_count=_count(Standard, version="current_version"),
            undertaking_count=_count(Undertaking, version="current_version"),
        )
        .order_by("name")
    )


def version_get(*, slug: str, number: int | None = None) -> CompactVersion:
    """The current version of a compact, or a given earlier one; 404 when there is none."""
    versions = CompactVersion.objects.select_related("compact").filter(compact__slug=slug)
    if number is None:
        versions = versions.filter(compact__current_version=F("pk"))
    else:
        versions = versions.filter(number=number)
    version = versions.first()
    if version is None:
        raise Http404("No such compact or version")
    return version


def codes_with_counts(version: CompactVersion) -> QuerySet[Code]:
    return (
        version.codes.select_related("source")
        .annotate(
            undertaking_count=_count(Undertaking, code="pk"),
            standard_count=_count(Standard, code="pk"),
        )
        .order_by("position")
    )
