"""Reads that are more than a filter: the search, the added-up figures, the compact
checks of a policy, and the inclusive-city progress figures."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from localcompact.compacts.models import Compact, Standard
from localcompact.organisations.models import IncomeBand, Organisation, Signature
from localcompact.rulebook import RequiredRecord, Verdict

from .models import (
    EqualityPolicy,
    FormatRequest,
    ImpactAssessment,
    Opportunity,
    VolunteeringFigures,
)

SMALL_BANDS = (IncomeBand.UNDER_10K, IncomeBand.FROM_10K)


def opportunities_found(
    *, query: str = "", area: str = "", skill: str = "", time: str = "", with_expenses=False
) -> QuerySet[Opportunity]:
    found = Opportunity.objects.open().select_related("organisation")
    for word in query.split()[:8]:
        found = found.filter(
            Q(title__icontains=word)
            | Q(role__icontains=word)
            | Q(skills_developed__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    if area:
        found = found.filter(area__icontains=area)
    if skill:
        found = (
            found.filter(skills__contains=[skill])
            if _json_contains()
            else found.filter(skills__icontains=f'"{skill}"')
        )
    if time:
        found = found.filter(time_asked=time)
    if with_expenses:
        found = found.exclude(expenses_policy="")
    return found.order_by("-created_at", "-pk")


def _json_contains() -> bool:
    """JSON containment works on PostgreSQL; SQLite's JSON1 lacks it."""
    from django.db import connection

    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Check:
    compact: Compact
    standard: Standard
    verdict: Verdict
    signed: bool


def compact_checks(*, organisation: Organisation, applies_to: str, record: dict) -> list[Check]:
    """The record checked against every current standard that asks for it, by compact.

    `signed` says whether the organisation has signed that compact (so is bound by it).
    """
    standards = Standard.objects.filter(
        applies_to=applies_to,
        rule_kind="required_record",
        version__compact__current_version=F("version"),
    ).select_related("version__compact", "source")
    signed = set(
        Signature.objects.current()
        .filter(organisation=organisation)
        .values_list("compact_id", flat=True)
    )
    checks = []
    for standard in standards:
        rule = standard.rule()
        if isinstance(rule, RequiredRecord):
            checks.append(
                Check(
                    standard.version.compact,
                    standard,
                    rule.check(record),
                    standard.version.compact_id in signed,
                )
            )
    return checks


@dataclass(frozen=True)
class YearFigures:
    year: int
    organisations: int
    volunteers: int
    hours: int
    business_volunteers: int


def figures_by_year() -> list[YearFigures]:
    rows = (
        VolunteeringFigures.objects.values("year")
        .annotate(
            organisations=Count("organisation", distinct=True),
            volunteers=Sum("volunteers"),
            hours=Sum("hours"),
            business=Sum("business_volunteers"),
        )
        .order_by("-year")
    )
    return [
        YearFigures(r["year"], r["organisations"], r["volunteers"], r["hours"], r["business"])
        for r in rows
    ]


@dataclass(frozen=True)
class Progress:
    compact: Compact
    year: int
    signatories: int
    with_equality_policy: int
    reviews_overdue: int
    assessments: int
    assessing_bodies: int
    format_requests: int
    format_answered: int
    format_provided: int
    format_in_time: int
    small: int
    bme_led: int
    small_active: int
    bme_active: int
    active: int
    opportunities: int
    without_expenses: int

    def share(self, part: int, whole: int) -> str:
        return f"{round(100 * part / whole)}%" if whole else "–"


def progress_figures(*, compact: Compact, year: int, today: dt.date) -> Progress:
    """What the platform holds on inclusion for one compact's signatories in one year.

    Signatories: organisations whose signature was current at the end of the year (or
    today, for this year). Active: those that recorded anything here that year (an
    opportunity, volunteering figures, an equality policy, an impact assessment, or an
    answer to a format request). Each figure is one aggregate query.
    """
    end = min(dt.date(year, 12, 31), today)
    signatures = Signature.objects.filter(compact=compact, signed_on__lte=end).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end)
    )
    members = Organisation.objects.filter(pk__in=signatures.values("organisation_id"))
    counts = members.aggregate(
        total=Count("pk"),
        small=Count("pk", filter=Q(income_band__in=SMALL_BANDS)),
        bme=Count("pk", filter=Q(bme_led=True)),
    )
    policies = EqualityPolicy.objects.filter(organisation__in=members, adopted_on__lte=end)
    policy_counts = policies.aggregate(
        total=Count("pk"), overdue=Count("pk", filter=Q(review_on__lt=end))
    )
    assessments = ImpactAssessment.objects.filter(organisation__in=members, assessed_on__year=year)
    assessment_counts = assessments.aggregate(
        total=Count("pk"), bodies=Count("organisation", distinct=True)
    )
    # Those made to the signatories and those made to the compact's support team.
    requests = FormatRequest.objects.filter(
        Q(organisation__in=members) | Q(compact=compact), made_on__year=year
    )
    request_counts = requests.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=~Q(status=FormatRequest.Status.OPEN)),
        provided=Count("pk", filter=Q(status=FormatRequest.Status.PROVIDED)),
        in_time=Count(
            "pk",
            filter=Q(status=FormatRequest.Status.PROVIDED)
            & (Q(needed_by__isnull=True) | Q(answered_on__lte=F("needed_by"))),
        ),
    )
    opportunities = Opportunity.objects.filter(organisation__in=members, created_at__year=year)
    opportunity_counts = opportunities.aggregate(
        total=Count("pk"), without=Count("pk", filter=Q(expenses_policy=""))
    )
    active_ids = (
        Organisation.objects.filter(pk__in=members.values("pk"))
        .filter(
            Q(volunteering_opportunities__created_at__year=year)
            | Q(volunteering_figures__year=year)
            | Q(equality_policy__adopted_on__year=year)
            | Q(impact_assessments__assessed_on__year=year)
            | Q(format_requests__answered_on__year=year)
        )
        .values("pk")
    )
    active = Organisation.objects.filter(pk__in=active_ids).aggregate(
        total=Count("pk"),
        small=Count("pk", filter=Q(income_band__in=SMALL_BANDS)),
        bme=Count("pk", filter=Q(bme_led=True)),
    )
    return Progress(
        compact=compact,
        year=year,
        signatories=counts["total"],
        with_equality_policy=policy_counts["total"],
        reviews_overdue=policy_counts["overdue"],
        assessments=assessment_counts["total"],
        assessing_bodies=assessment_counts["bodies"],
        format_requests=request_counts["total"],
        format_answered=request_counts["answered"],
        format_provided=request_counts["provided"],
        format_in_time=request_counts["in_time"],
        small=counts["small"],
        bme_led=counts["bme"],
        small_active=active["small"],
        bme_active=active["bme"],
        active=active["total"],
        opportunities=opportunity_counts["total"],
        without_expenses=opportunity_counts["without"],
    )


def years_with_records(today: dt.date) -> list[int]:
    years = {today.year}
    years |= set(VolunteeringFigures.objects.values_list("year", flat=True).distinct())
    years |= set(
        ImpactAssessment.objects.annotate(y=ExtractYear("assessed_on"))
        .values_list("y", flat=True)
        .distinct()
    )
    return sorted(years, reverse=True)
