"""Reads for the funding pages: totals, lists and one record with what its page shows.

Every list is one or two queries whatever its length (joins and prefetches), so pages
issue a constant number of queries.
"""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, Sum
from django.shortcuts import get_object_or_404

from localcompact.compacts.models import Undertaking
from localcompact.obligations.models import Obligation
from localcompact.obligations.selectors import ROW_RELATED
from localcompact.organisations.models import Organisation

from .models import (
    Application,
    Award,
    CommissioningPlan,
    Involvement,
    Opportunity,
    Payment,
    WindDownNotice,
)


def awards():
    return Award.objects.select_related("funder", "recipient", "opportunity")


def totals() -> dict:
    return Award.objects.aggregate(total=Sum("amount"), count=Count("pk"))


def funders():
    """Organisations that have made awards, with their totals, largest first."""
    return (
        Organisation.objects.filter(awards_made__isnull=False)
        .annotate(total=Sum("awards_made__amount"), count=Count("awards_made"))
        .order_by("-total", "name")
    )


def recipients():
    return (
        Organisation.objects.filter(awards_received__isnull=False)
        .annotate(total=Sum("awards_received__amount"), count=Count("awards_received"))
        .order_by("-total", "name")
    )


def programmes():
    """Opportunities that are open or past, with the amount awarded under each."""
    return (
        Opportunity.objects.exclude(status=Opportunity.Status.DRAFT)
        .select_related("funder")
        .annotate(
            awarded=Sum("awards__amount"),
            award_count=Count("awards", distinct=True),
        )
        .order_by("-opens_on", "-pk")
    )


def sum_of(items, name="amount") -> Decimal:
    return sum((getattr(i, name) for i in items), Decimal(0))


def plan_get(pk: int) -> CommissioningPlan:
    return get_object_or_404(
        CommissioningPlan.objects.select_related(
            "commissioner", "version__compact"
        ).prefetch_related(
            Prefetch(
                "involvements",
                queryset=Involvement.objects.prefetch_related("organisations"),
            ),
            "events__by",
            "opportunities",
        ),
        pk=pk,
    )


def opportunity_get(code: str) -> Opportunity:
    return get_object_or_404(
        Opportunity.objects.select_related("funder", "plan", "version__compact"), code=code
    )


def applications_of(opportunity: Opportunity):
    return opportunity.applications.select_related("applicant").order_by("submitted_on", "pk")


def application_get(pk: int) -> Application:
    return get_object_or_404(
        Application.objects.select_related(
            "applicant",
            "opportunity__funder",
            "opportunity__version__compact",
        ),
        pk=pk,
    )


def award_get(pk: int) -> Award:
    return get_object_or_404(
        Award.objects.select_related(
            "funder", "recipient", "opportunity", "application", "version__compact"
        ),
        pk=pk,
    )


def award_private(award: Award) -> dict:
    """What the parties see: payments, monitoring, risks, notices, changes, history,
    and the obligations of the award and of its payments and notices."""
    payments = list(award.payments.all())
    wind_downs = list(award.wind_downs.all())
    types = ContentType.objects.get_for_models(Award, Payment, WindDownNotice)
    obligations = list(
        Obligation.objects.filter(
            Q(source_type=types[Award], source_id=award.pk)
            | Q(source_type=types[Payment], source_id__in=[p.pk for p in payments])
            | Q(source_type=types[WindDownNotice], source_id__in=[w.pk for w in wind_downs])
        )
        .select_related(*ROW_RELATED)
        .prefetch_related("owed_to")
        .order_by("due_on", "pk")
    )
    by_payment: dict[int, list[Obligation]] = {}
    for obligation in obligations:
        if obligation.source_type_id == types[Payment].pk:
            by_payment.setdefault(obligation.source_id, []).append(obligation)
    for payment in payments:
        payment.obligation_list = by_payment.get(payment.pk, [])
    return {
        "payments": payments,
        "scheduled": sum_of(payments),
        "paid": sum_of([p for p in payments if p.paid_on]),
        "returns": list(award.returns.all()),
        "risks": list(award.risks.all()),
        "wind_downs": wind_downs,
        "changes": list(award.changes.all()),
        "events": list(award.events.select_related("by")),
        "obligations": obligations,
    }


def annex_undertakings(award: Award) -> dict[str, list[Undertaking]]:
    """The undertakings of the version's annexes, by side: what the funder and the
    recipient each commit to when in a funding relationship (Leicester annexes A, B)."""
    rows = (
        Undertaking.objects.filter(version=award.version, code__kind="annex")
        .select_related("party", "code", "source")
        .order_by("code__position", "position")
    )
    sides: dict[str, list[Undertaking]] = {"funder": [], "recipient": []}
    for row in rows:
        side = "recipient" if set(row.party.sectors) == {"vcs"} else "funder"
        sides[side].append(row)
    return sides
