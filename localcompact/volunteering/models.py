"""Volunteering, inclusion and equality: the codes that are not about one transaction.

- Opportunities any signatory offers, searchable by area, skills and time; people
  express interest and the host is told. The codes make volunteering cost-neutral
  (City Together volunteering code, joint undertaking 3; Redcar volunteering code,
  key principles), so an opportunity without an expenses policy is flagged.
- Each organisation's volunteering policy (recruitment, development, retention, a key
  contact: City Together volunteering code, joint undertakings 4 and 5) and its yearly
  figures (Redcar volunteering code asks for better data), shown publicly only added up.
- Each organisation's equality and diversity policy or statement with its review date
  (Redcar equality and diversity code, VCS undertaking 2; City Together inclusive city
  code, joint undertaking 1).
- Equality impact assessments recorded by public bodies, with the groups considered
  (Redcar equality and diversity code, key principle 3, and public sector undertaking 2).
- Requests for another format or language, recorded and answered. No compact in the
  platform sets a time limit for answering one, so they give no obligation.

The inclusive-city progress report (City Together inclusive city code, joint undertaking
8) is computed from these records per year: see `selectors.progress_figures`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localcompact.compacts.models import Compact
from localcompact.organisations.models import Organisation


class Skill(models.TextChoices):
    ADMIN = "admin", "Office and administration"
    CARE = "care", "Care and befriending"
    DIGITAL = "digital", "Digital and IT"
    EVENTS = "events", "Events and fundraising"
    ENVIRONMENT = "environment", "Environment and outdoors"
    FINANCE = "finance", "Finance and governance"
    TEACHING = "teaching", "Teaching and mentoring"
    YOUTH = "youth", "Work with young people"
    DRIVING = "driving", "Driving and transport"
    LANGUAGES = "languages", "Languages and interpreting"


class TimeAsked(models.TextChoices):
    ONE_OFF = "one_off", "A one-off"
    MONTHLY = "monthly", "A few hours a month"
    WEEKLY = "weekly", "A few hours a week"
    FLEXIBLE = "flexible", "Flexible, when you can"


class OpportunityQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Opportunity.Status.OPEN)


class Opportunity(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="volunteering_opportunities"
    )
    title = models.CharField(max_length=200)
    role = models.TextField(help_text="What the volunteer does")
    skills = models.JSONField(default=list, blank=True, help_text="Skill values")
    skills_developed = models.TextField(blank=True)
    area = models.CharField(max_length=200)
    time_asked = models.CharField(max_length=20, choices=TimeAsked.choices)
    time_detail = models.CharField(max_length=200, blank=True)
    accessibility = models.TextField(help_text="Access, and support for disabled volunteers")
    expenses_policy = models.TextField(
        blank=True, help_text="Which out-of-pocket expenses are repaid, and how"
    )
    training = models.TextField(blank=True)
    recognition = models.TextField(blank=True)
    contact_name = models.CharField(max_length=200, help_text="The key contact for volunteers")
    contact_email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["status", "time_asked"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteering:opportunity", kwargs={"pk": self.pk})

    @property
    def has_expenses_policy(self) -> bool:
        return bool(self.expenses_policy.strip())

    @property
    def skill_labels(self) -> list[str]:
        labels = dict(Skill.choices)
        return [labels[s] for s in self.skills if s in labels]


class Interest(models.Model):
    """Someone's interest in an opportunity; seen only by the host's members."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    message = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    notified = models.PositiveIntegerField(default=0, help_text="How many hosts were e-mailed")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Interest in {self.opportunity_id}"


class VolunteeringPolicy(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="volunteering_policy"
    )
    recruitment = models.TextField(blank=True)
    development = models.TextField(blank=True)
    retention = models.TextField(blank=True)
    key_contact = models.CharField(max_length=200, blank=True)
    expenses = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "volunteering policies"

    def __str__(self) -> str:
        return f"Volunteering policy of {self.organisation}"

    def as_record(self) -> dict:
        """The policy as the rules package's required-record check reads it."""
        return {
            "recruitment-policy": self.recruitment,
            "development-policy": self.development,
            "retention-policy": self.retention,
            "key-contact-for-volunteers": self.key_contact,
        }


class VolunteeringFigures(models.Model):
    """One organisation's volunteering in one year; public only when added up."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="volunteering_figures"
    )
    year = models.PositiveSmallIntegerField()
    volunteers = models.PositiveIntegerField()
    hours = models.PositiveIntegerField()
    business_volunteers = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = "volunteering figures"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="figures_one_per_year"),
            models.CheckConstraint(
                condition=Q(business_volunteers__lte=models.F("volunteers")),
                name="figures_business_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"


class EqualityPolicy(models.Model):
    class Kind(models.TextChoices):
        POLICY = "policy", "A policy"
        STATEMENT = "statement", "A statement (suits a small organisation)"

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="equality_policy"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    summary = models.TextField(help_text="What it commits the organisation to")
    monitoring = models.TextField(
        blank=True, help_text="How it checks its services reach everyone without discrimination"
    )
    adopted_on = models.DateField()
    review_on = models.DateField()
    url = models.URLField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "equality policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gt=models.F("adopted_on")),
                name="equality_review_after_adoption",
            )
        ]

    def __str__(self) -> str:
        return f"Equality policy of {self.organisation}"

    def as_record(self) -> dict:
        return {
            "policy-or-statement": self.summary,
            "adopted-on": self.adopted_on,
            "inclusion-policy": self.summary,
            "non-discrimination-monitoring": self.monitoring,
        }


class Group(models.TextChoices):
    """The groups an impact assessment considers: the Redcar equality and diversity
    code's list (002, equality and diversity code, key principle 3), in our words."""

    ISOLATION = "isolation", "Rural and social isolation"
    CARERS = "carers", "Service users and carers"
    DISABILITY = "disability", "Disabled people"
    GENDER_SEXUALITY = "gender_sexuality", "Gender and sexuality"
    RELIGION = "religion", "Religion, faith and belief"
    YOUNG = "young", "Young people"
    OLDER = "older", "Older people"
    BME = "bme", "Black and minority ethnic communities"
    ASYLUM = "asylum", "Asylum seekers and refugees"
    TRAVELLERS = "travellers", "Gypsies and travellers"
    EXCLUDED = "excluded", "People socially or financially excluded"


class ImpactAssessment(models.Model):
    """An equality impact assessment a public body made of a policy, plan or consultation.

    What it assesses is linked by its address: consultations and plans live in other
    apps, so the link is generic (a title and a web address) rather than a key.
    """

    class Subject(models.TextChoices):
        POLICY = "policy", "A policy or plan"
        CONSULTATION = "consultation", "A consultation"
        SERVICE = "service", "A service change"
        OTHER = "other", "Something else"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="impact_assessments"
    )
    title = models.CharField(max_length=200)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    subject_url = models.URLField(blank=True)
    assessed_on = models.DateField()
    groups = models.JSONField(default=list, help_text="Group values considered")
    findings = models.TextField()
    actions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["assessed_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteering:assessment", kwargs={"pk": self.pk})

    @property
    def group_labels(self) -> list[str]:
        labels = dict(Group.choices)
        return [labels[g] for g in self.groups if g in labels]

    @property
    def groups_not_considered(self) -> list[str]:
        return [label for value, label in Group.choices if value not in self.groups]


class Format(models.TextChoices):
    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio"
    BSL = "bsl", "British Sign Language"
    PAPER = "paper", "Printed copy by post"
    LANGUAGE = "language", "Another language"
    VENUE = "venue", "Access to a venue or meeting"
    OTHER = "other", "Something else"


class FormatRequest(models.Model):
    """A request to an organisation for information in another format or language, or,
    where no organisation speaks for it (a compact meeting without a host), to a
    compact's support team: exactly one of the two.

    Seen by the person who made it (by its reference, or signed in) and the
    organisation's members, or the compact's support team and staff. No compact here
    sets a time limit for answering, so it gives no obligation; the progress report
    counts how many were answered by the date asked for.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        PROVIDED = "provided", "Provided"
        DECLINED = "declined", "Could not be provided"

    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="format_requests",
    )
    compact = models.ForeignKey(
        Compact,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="format_requests",
        help_text="Made to the compact's support team, where no organisation is named",
    )
    subject = models.CharField(max_length=300, help_text="The document, notice or meeting")
    subject_url = models.CharField(max_length=500, blank=True)
    format = models.CharField(max_length=20, choices=Format.choices)
    language = models.CharField(max_length=100, blank=True)
    details = models.TextField(blank=True)
    needed_by = models.DateField(null=True, blank=True)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(max_length=32, unique=True)
    made_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["compact", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, compact__isnull=True)
                | Q(organisation__isnull=True, compact__isnull=False),
                name="format_request_to_an_organisation_or_a_compact",
            )
        ]

    def __str__(self) -> str:
        return f"Format request {self.pk}"

    @property
    def addressee(self) -> str:
        """Who it was made to, by name (load `organisation` and `compact` with it)."""
        if self.organisation_id:
            return self.organisation.name
        return f"the support team of {self.compact.name}"

    @property
    def format_label(self) -> str:
        label = self.get_format_display()
        return f"{label}: {self.language}" if self.language else label
