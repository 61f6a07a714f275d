"""Writes for volunteering, equality and format requests.

Each is atomic and writes an audit line; a write the rules refuse raises `Refused` with
the message the form shows. Expressing interest e-mails the host (its key contact for
the opportunity, and its officers and administrators) after the transaction commits;
making a format request e-mails whoever answers it (the organisation's officers and
administrators, or the compact's support team) and acknowledges it to its maker.
"""

import datetime as dt
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from localcompact.compacts.models import Compact
from localcompact.core.links import absolute
from localcompact.core.logging import audit_log
from localcompact.organisations.models import (
    ACTING_ROLES,
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Sector,
)

from .models import (
    EqualityPolicy,
    FormatRequest,
    Group,
    ImpactAssessment,
    Interest,
    Opportunity,
    VolunteeringFigures,
    VolunteeringPolicy,
)

OPPORTUNITY_FIELDS = [
    "title",
    "role",
    "skills",
    "skills_developed",
    "area",
    "time_asked",
    "time_detail",
    "accessibility",
    "expenses_policy",
    "training",
    "recognition",
    "contact_name",
    "contact_email",
]


class Refused(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _values(data: dict, names: Sequence[str]) -> dict:
    values = {}
    for name in names:
        value = data.get(name)
        values[name] = value.strip() if isinstance(value, str) else value
    return values


# --- Opportunities -----------------------------------------------------------------------


@transaction.atomic
def opportunity_create(
    *, organisation: Organisation, data: dict, by: AbstractBaseUser
) -> Opportunity:
    opportunity = Opportunity.objects.create(
        organisation=organisation, created_by=by, **_values(data, OPPORTUNITY_FIELDS)
    )
    audit_log("opportunity.created", opportunity=opportunity, organisation=organisation)
    return opportunity


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, data: dict, by: AbstractBaseUser
) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    for name, value in _values(data, OPPORTUNITY_FIELDS).items():
        setattr(opportunity, name, value)
    opportunity.save()
    audit_log("opportunity.changed", opportunity=opportunity)
    return opportunity


@transaction.atomic
def opportunity_set_status(
    *, opportunity: Opportunity, status: str, by: AbstractBaseUser
) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status == status:
        raise Refused(f"The opportunity is already {opportunity.get_status_display().lower()}")
    opportunity.status = status
    opportunity.save(update_fields=["status", "updated_at"])
    audit_log("opportunity.status", opportunity=opportunity, status=status)
    return opportunity


def _host_addresses(opportunity: Opportunity) -> list[str]:
    officers = opportunity.organisation.memberships.filter(
        role__in=ACTING_ROLES, user__is_active=True
    ).exclude(user__email="")
    addresses = [opportunity.contact_email, *officers.values_list("user__email", flat=True)]
    return sorted({a.lower() for a in addresses if a})


def _send_interest(interest: Interest, addresses: list[str], site_url: str) -> None:
    context = {"interest": interest, "opportunity": interest.opportunity, "site_url": site_url}
    subject = " ".join(render_to_string("volunteering/email/interest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("volunteering/email/interest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
        reply_to=[interest.email],
    )
    message.attach_alternative(
        render_to_string("volunteering/email/interest.html", context), "text/html"
    )
    message.send()


@transaction.atomic
def interest_express(
    *,
    opportunity: Opportunity,
    name: str,
    email: str,
    message: str,
    user: AbstractBaseUser | None,
    site_url: str,
) -> Interest:
    """Record interest in an open opportunity and tell the host by e-mail."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != Opportunity.Status.OPEN:
        raise Refused("This opportunity is closed; it is not taking new volunteers")
    addresses = _host_addresses(opportunity)
    interest = Interest.objects.create(
        opportunity=opportunity,
        name=name.strip(),
        email=email.strip(),
        message=message.strip(),
        user=user if user is not None and user.is_authenticated else None,
        notified=len(addresses),
    )
    transaction.on_commit(lambda: _send_interest(interest, addresses, site_url))
    audit_log("interest.expressed", opportunity=opportunity, interest=interest)
    return interest


# --- Policies and figures -----------------------------------------------------------------


@transaction.atomic
def volunteering_policy_save(
    *, organisation: Organisation, data: dict, by: AbstractBaseUser
) -> VolunteeringPolicy:
    values = _values(data, ["recruitment", "development", "retention", "key_contact", "expenses"])
    policy, _ = VolunteeringPolicy.objects.select_for_update().update_or_create(
        organisation=organisation, defaults={**values, "updated_by": by}
    )
    audit_log("volunteering_policy.saved", organisation=organisation)
    return policy


@transaction.atomic
def figures_record(
    *,
    organisation: Organisation,
    year: int,
    volunteers: int,
    hours: int,
    business_volunteers: int,
    by: AbstractBaseUser,
    today: dt.date,
) -> VolunteeringFigures:
    if year > today.year:
        raise Refused("Figures can only be recorded for this year or earlier years", "year")
    if business_volunteers > volunteers:
        raise Refused(
            "Business volunteers are counted among all volunteers, so cannot be more",
            "business_volunteers",
        )
    figures, _ = VolunteeringFigures.objects.select_for_update().update_or_create(
        organisation=organisation,
        year=year,
        defaults={
            "volunteers": volunteers,
            "hours": hours,
            "business_volunteers": business_volunteers,
            "recorded_by": by,
        },
    )
    audit_log("volunteering_figures.recorded", organisation=organisation, year=year)
    return figures


# --- Equality ----------------------------------------------------------------------------


@transaction.atomic
def equality_policy_save(
    *, organisation: Organisation, data: dict, by: AbstractBaseUser
) -> EqualityPolicy:
    values = _values(data, ["kind", "summary", "monitoring", "adopted_on", "review_on", "url"])
    if values["review_on"] <= values["adopted_on"]:
        raise Refused("The review date must be after the date it was adopted", "review_on")
    policy, _ = EqualityPolicy.objects.select_for_update().update_or_create(
        organisation=organisation, defaults={**values, "updated_by": by}
    )
    audit_log("equality_policy.saved", organisation=organisation)
    return policy


@transaction.atomic
def assessment_record(
    *, organisation: Organisation, data: dict, by: AbstractBaseUser, today: dt.date
) -> ImpactAssessment:
    """An equality impact assessment; public bodies record them (Redcar 002)."""
    if organisation.sector != Sector.PUBLIC:
        raise Refused("Equality impact assessments are recorded by public bodies")
    values = _values(
        data, ["title", "subject", "subject_url", "assessed_on", "groups", "findings", "actions"]
    )
    if values["assessed_on"] > today:
        raise Refused("The date of the assessment cannot be in the future", "assessed_on")
    unknown = set(values["groups"]) - set(Group.values)
    if unknown or not values["groups"]:
        raise Refused("Choose the groups the assessment considered", "groups")
    assessment = ImpactAssessment.objects.create(
        organisation=organisation, recorded_by=by, **values
    )
    audit_log("impact_assessment.recorded", assessment=assessment, organisation=organisation)
    return assessment


# --- Format and language requests --------------------------------------------------------


def _within_platform(url: str) -> bool:
    """A path on this site: not another site's address, nor "//host" or "/\\host",
    which browsers take for one."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())


@transaction.atomic
def format_request_make(
    *,
    organisation: Organisation | None = None,
    compact: Compact | None = None,
    data: dict,
    user: AbstractBaseUser | None,
    today: dt.date,
) -> FormatRequest:
    """A request to `organisation`, or to `compact`'s support team where no organisation
    speaks for what is asked about (a meeting without a host): one of the two."""
    if (organisation is None) == (compact is None):
        raise ValueError("A format request goes to an organisation or to a compact")
    values = _values(
        data,
        ["subject", "subject_url", "format", "language", "details", "needed_by", "name", "email"],
    )
    if values["format"] == "language" and not values["language"]:
        raise Refused("Say which language", "language")
    if values["needed_by"] is not None and values["needed_by"] < today:
        raise Refused("The date you need it by cannot be in the past", "needed_by")
    if values["subject_url"] and not _within_platform(values["subject_url"]):
        values["subject_url"] = ""  # only links within the platform are kept
    request = FormatRequest.objects.create(
        organisation=organisation,
        compact=compact,
        user=user if user is not None and user.is_authenticated else None,
        reference=secrets.token_urlsafe(12),
        made_on=today,
        **values,
    )
    audit_log(
        "format_request.made", format_request=request, organisation=organisation, compact=compact
    )
    transaction.on_commit(lambda: _send_format_request(request))
    return request


def _answerers(request: FormatRequest) -> list[str]:
    """The addresses of those who answer `request`: the organisation's officers and
    administrators, or the compact's current support team."""
    if request.organisation_id:
        people = Membership.objects.filter(
            organisation_id=request.organisation_id, role__in=ACTING_ROLES
        )
    else:
        people = CompactRole.objects.current().filter(
            compact_id=request.compact_id, kind=CompactRoleKind.SUPPORT_TEAM
        )
    addresses = people.filter(user__is_active=True).exclude(user__email="")
    return sorted({a.lower() for a in addresses.values_list("user__email", flat=True)})


def _mail(template: str, *, to: Sequence[str], context: dict) -> None:
    """The subject, text and HTML of `volunteering/email/<template>`, to each address
    separately (no one sees another's address)."""
    name = f"volunteering/email/{template}"
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    context = {**context, "subject": subject}
    text = render_to_string(f"{name}.txt", context)
    html = render_to_string(f"{name}.html", context)
    for address in to:
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]
        )
        message.attach_alternative(html, "text/html")
        message.send()


def _send_format_request(request: FormatRequest) -> None:
    """After the request is committed: tell those who answer it where to, and give its
    maker their private link. The maker's address is not in the first message: the
    answer page shows it to those allowed to see it."""
    if request.organisation_id:
        page = reverse(
            "volunteering:format_request_answer", args=[request.organisation.slug, request.pk]
        )
    else:
        page = reverse(
            "volunteering:compact_format_request_answer", args=[request.compact.slug, request.pk]
        )
    context = {"request_made": request, "site_name": settings.SITE_NAME}
    _mail("format_request", to=_answerers(request), context={**context, "url": absolute(page)})
    if request.email:
        link = absolute(reverse("volunteering:format_request", args=[request.reference]))
        _mail("format_request_made", to=[request.email], context={**context, "url": link})


@transaction.atomic
def format_request_answer(
    *, request: FormatRequest, status: str, answer: str, by: AbstractBaseUser, today: dt.date
) -> FormatRequest:
    request = FormatRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != FormatRequest.Status.OPEN:
        raise Refused("This request has already been answered")
    if status not in (FormatRequest.Status.PROVIDED, FormatRequest.Status.DECLINED):
        raise Refused("Choose whether it was provided", "status")
    if not answer.strip():
        raise Refused("Say what was provided, or why it could not be", "answer")
    request.status, request.answer = status, answer.strip()
    request.answered_on, request.answered_by = today, by
    request.save(update_fields=["status", "answer", "answered_on", "answered_by"])
    audit_log("format_request.answered", format_request=request, status=status)
    return request
