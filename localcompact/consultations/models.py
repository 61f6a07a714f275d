"""Consultations: planned, open, closed, analysed, decided and fed back, each held to the
standards of the compact it runs under.

A consultation's status is stored (never implied by dates) and moves only through the
services, each move writing a ConsultationEvent (append-only). A consultation declares
its obligations (`obligations_declared`), and so does each submitted response (the
acknowledgement a compact asks for, or a respondent's own deadline).

An anonymous response keeps no identity at all: no user, no organisation, no e-mail, no
address, no time of day (only the date). The respondent holds a receipt code, of which
only a SHA-256 digest is stored.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localcompact.compacts.models import Compact, CompactVersion
from localcompact.core.uploads import UploadedDocument
from localcompact.organisations.models import Organisation


class Level(models.TextChoices):
    """Levels of participation (Herefordshire code, 003_d44882093ddd00d6.txt 8.3)."""

    INFORMING = "informing", "Informing: a decision already taken"
    CONSULTING = "consulting", "Consulting: views asked for before deciding"
    PARTNERSHIP = "partnership", "Partnership: deciding and acting together"


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    ANALYSIS = "analysis", "Being analysed"
    DECIDED = "decided", "Decided"
    FEEDBACK = "feedback", "Feedback published"


# The moves the lifecycle allows, in order.
NEXT_STATUS = {
    Status.PLANNED: Status.OPEN,
    Status.OPEN: Status.CLOSED,
    Status.CLOSED: Status.ANALYSIS,
    Status.ANALYSIS: Status.DECIDED,
    Status.DECIDED: Status.FEEDBACK,
}
PUBLIC_PLAN_STATUSES = (Status.PLANNED, Status.OPEN)


class Method(models.TextChoices):
    """Ways to respond (Herefordshire 10.2.2; Redcar consultation code, key principle 4)."""

    ONLINE = "online", "Online, on this site"
    EMAIL = "email", "By e-mail"
    POST = "post", "By post"
    MEETINGS = "meetings", "At public meetings"
    FOCUS_GROUPS = "focus_groups", "In focus groups"
    FORMATS = "formats", "Other formats and languages on request"


class ExtraUnit(models.TextChoices):
    """How the extra time for community groups is counted."""

    DAYS = "days", "Days"
    WORKING_DAYS = "working_days", "Working days"


class Tag(models.Model):
    """A topic, an area or an audience; consultations are tagged, people follow them."""

    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic"
        AREA = "area", "Area"
        AUDIENCE = "audience", "Audience"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "slug"], name="tag_kind_slug")]

    def __str__(self) -> str:
        return self.name


class ConsultationQuerySet(models.QuerySet):
    def on_plan(self):
        """Planned and open: the forward plan and the calendar."""
        return self.filter(status__in=PUBLIC_PLAN_STATUSES)

    def open_on(self, day):
        return self.filter(status=Status.OPEN, opens_on__lte=day, closes_on__gte=day)


class Consultation(models.Model):
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="consultations")
    version = models.ForeignKey(
        CompactVersion,
        on_delete=models.PROTECT,
        related_name="consultations",
        help_text="The version of the compact it was planned under, which judges it",
    )
    lead = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consultations")
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.CONSULTING)

    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="In plain English")
    open_to_change = models.TextField()
    not_open_to_change = models.TextField(blank=True)
    who_affected = models.TextField()
    tags = models.ManyToManyField(Tag, blank=True, related_name="consultations")
    glossary = models.JSONField(default=list, blank=True, help_text="[{term, meaning}]")
    concerns_policies_and_plans = models.BooleanField(default=True)
    response_methods = models.JSONField(default=list)
    response_details = models.TextField(
        blank=True, help_text="Addresses, meeting dates and how to ask for other formats"
    )
    accessible_information = models.TextField(blank=True)
    participation_support = models.TextField(blank=True)
    anonymous_allowed = models.BooleanField(default=True)
    acknowledged = models.BooleanField(
        default=True, help_text="Whether responses will be acknowledged (said at the start)"
    )

    announced_on = models.DateField(help_text="When it went on the forward plan")
    opens_on = models.DateField()
    closes_on = models.DateField()
    feedback_by = models.DateField(null=True, blank=True)

    # Longer for community groups (002_41c5fa4d4a1baeb0.txt, Community groups and
    # neighbourhoods code, key principle 2): a response from a community group is accepted
    # until `community_groups_close_on`, stored when planned (empty when no extra time).
    community_group_extra = models.PositiveSmallIntegerField(
        "Extra time for community groups", default=0
    )
    community_group_extra_unit = models.CharField(
        max_length=12, choices=ExtraUnit.choices, default=ExtraUnit.DAYS
    )
    community_groups_close_on = models.DateField(null=True, blank=True)

    # Formats offered and the access of the venue of its meetings and events (see access.py).
    formats_offered = models.JSONField(default=list, blank=True)
    venue_access = models.JSONField(default=list, blank=True)
    venue_access_notes = models.TextField(blank=True)

    # A shorter period than the compact's minimum, under the exception its standard allows.
    short_period_kind = models.CharField(max_length=40, blank=True)
    short_period_reason = models.TextField(blank=True)
    short_period_agreed_by = models.CharField(max_length=300, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    status_changed_on = models.DateField()

    decision = models.TextField(blank=True)
    reasons_for_decision = models.TextField(blank=True)
    effect_of_consultation = models.TextField(blank=True)
    petitions_considered = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    what_you_told_us = models.TextField(blank=True)
    feedback_published_on = models.DateField(null=True, blank=True)
    respondents_notified_on = models.DateField(null=True, blank=True)

    joint_with = models.ManyToManyField("self", blank=True, symmetrical=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("opens_on")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(feedback_by__isnull=True) | Q(feedback_by__gte=models.F("closes_on")),
                name="consultation_feedback_after_closing",
            ),
            models.CheckConstraint(
                condition=Q(community_groups_close_on__isnull=True)
                | Q(community_groups_close_on__gt=models.F("closes_on")),
                name="consultation_community_groups_close_after_closing",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "opens_on"]),
            models.Index(fields=["compact", "status", "opens_on"]),
            models.Index(fields=["lead", "status"]),
            models.Index(fields=["closes_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"pk": self.pk})

    @property
    def takes_responses(self) -> bool:
        return self.level != Level.INFORMING

    def is_open_on(self, day) -> bool:
        return self.status == Status.OPEN and self.opens_on <= day <= self.closes_on

    @property
    def gives_community_groups_longer(self) -> bool:
        return self.community_groups_close_on is not None

    def is_open_to_community_groups_on(self, day) -> bool:
        """Community groups may still respond: it is open, or it has closed to everyone
        else and its extra time for community groups has not run out."""
        if self.is_open_on(day):
            return True
        return (
            self.community_groups_close_on is not None
            and self.status in (Status.OPEN, Status.CLOSED)
            and self.opens_on <= day <= self.community_groups_close_on
        )

    def takes_response_from(self, organisation, day) -> bool:
        """Whether a response for `organisation` (None: not for an organisation) is
        accepted on `day`."""
        if organisation is not None and organisation.is_community_group:
            return self.is_open_to_community_groups_on(day)
        return self.is_open_on(day)

    def closes_on_for(self, organisation) -> dt.date:
        if organisation is not None and organisation.is_community_group:
            return self.community_groups_close_on or self.closes_on
        return self.closes_on

    @property
    def community_group_extra_text(self) -> str:
        unit = "working day" if self.community_group_extra_unit == ExtraUnit.WORKING_DAYS else "day"
        count = self.community_group_extra
        return f"{count} {unit}{'' if count == 1 else 's'}"

    def format_labels(self) -> list[str]:
        from .access import format_labels

        return format_labels(self.formats_offered)

    def venue_labels(self) -> list[str]:
        from .access import venue_labels

        return venue_labels(self.venue_access)

    @property
    def next_status(self) -> str | None:
        return NEXT_STATUS.get(Status(self.status))

    def method_labels(self) -> list[str]:
        labels = dict(Method.choices)
        return [labels.get(m, m) for m in self.response_methods]

    def obligations_declared(self):
        from .obligations import consultation_declared

        return consultation_declared(self)


class ConsultationEvent(models.Model):
    """One move or change of a consultation: append-only."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Consultation history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Consultation history is append-only")


class ConsultationDocument(UploadedDocument):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["pk"]


class Theme(models.Model):
    """A theme the lead body finds in the responses, with its summary."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="theme_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ResponseKind(models.TextChoices):
    ORGANISATION = "organisation", "On behalf of an organisation"
    JOINT = "joint", "A joint response from several organisations"
    INDIVIDUAL = "individual", "As an individual"
    ANONYMOUS = "anonymous", "Anonymously"
    PETITION = "petition", "A petition"


class Response(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Sent"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    kind = models.CharField(max_length=12, choices=ResponseKind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)

    # Identity: all empty for an anonymous response (a database constraint says so).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_responses",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation_responses",
    )
    joint_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="joint_consultation_responses"
    )
    respondent_name = models.CharField(max_length=200, blank=True)
    represents = models.TextField(blank=True)
    views_gathered = models.TextField(blank=True)
    petition_signatures = models.PositiveIntegerField(null=True, blank=True)
    petition_organiser = models.CharField(max_length=200, blank=True)

    answer = models.TextField(blank=True)
    receipt_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    # Dates only: an anonymous response must not be traceable by its time of day.
    started_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    acknowledged_on = models.DateField(null=True, blank=True)

    consent_to_publish = models.BooleanField(default=False)
    published_text = models.TextField(blank=True, help_text="As redacted by the lead body")
    published_on = models.DateField(null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="responses")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="anonymous")
                | (
                    Q(user__isnull=True)
                    & Q(organisation__isnull=True)
                    & Q(respondent_name="")
                    & Q(petition_organiser="")
                ),
                name="response_anonymous_has_no_identity",
            ),
            models.CheckConstraint(
                condition=Q(kind="anonymous") | Q(receipt_hash__isnull=True),
                name="response_receipt_only_anonymous",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(consent_to_publish=True),
                name="response_published_with_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "state"]),
            models.Index(fields=["user", "state"]),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.consultation_id}"

    @property
    def is_anonymous(self) -> bool:
        return self.kind == ResponseKind.ANONYMOUS

    @property
    def submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    def obligations_declared(self):
        from .obligations import response_declared

        return response_declared(self)


class Subscription(models.Model):
    """A person follows topics or areas and is e-mailed new consultations and feedback."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_follows"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="subscription_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.tag}"
