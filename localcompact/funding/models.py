"""Funding and commissioning: plans, opportunities, applications, awards and what follows.

The codes this app makes checkable (summarised, with their clauses, in the compact
definitions and in `sources.py`):

- a commissioning plan goes round the cycle analyse, plan, do, review, with the
  voluntary and community sector (VCS) involved at every stage (003, commissioning
  appendix 2 and 4; 000, commissioning code, public sector undertaking 1);
- an opportunity states its criteria and how decisions are made before it opens
  (004, Annex B e), its outputs, outcomes and money (000, commissioning 2), whether a
  social clause applies (002, funding code, public sector undertaking 8) and whether
  overheads are eligible (full cost recovery: 000, commissioning 4; 002, public sector
  undertaking 5; 004, Annex B n);
- applicants hear the outcome, the unsuccessful with reasons (000, commissioning 5);
- an award has its amount confirmed ahead of the start (004, Annex B q), payments on
  time and in advance (002, undertaking 6; 004, Annex B j), proportionate monitoring
  (000, commissioning 7), a risk register (002, undertaking 3), notice of its end
  (002, undertaking 7; 000, commissioning 5) and of a provider winding a service down
  (000, third sector undertaking 6).

Statuses are stored; every state change is kept in `FundingEvent` (append-only).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localcompact.compacts.models import CompactVersion
from localcompact.organisations.models import Organisation


class Stage(models.TextChoices):
    """The commissioning cycle (003, commissioning appendix 2)."""

    ANALYSE = "analyse", "Analyse"
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    REVIEW = "review", "Review"


STAGE_ORDER = [Stage.ANALYSE, Stage.PLAN, Stage.DO, Stage.REVIEW]


class CommissioningPlan(models.Model):
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    commissioner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="commissioning_plans"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.ANALYSE)
    completed_on = models.DateField(null=True, blank=True, help_text="Review finished")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["commissioner", "stage"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:plan", kwargs={"pk": self.pk})

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))


class Involvement(models.Model):
    """How the VCS took part in one stage: a needs-analysis meeting, a consultation..."""

    class Kind(models.TextChoices):
        NEEDS_ANALYSIS = "needs_analysis", "Needs analysis meeting"
        PRIORITIES = "priorities", "Consultation on priorities"
        SERVICE_DESIGN = "service_design", "Service design"
        PROCUREMENT = "procurement", "Market engagement or procurement briefing"
        REVIEW = "review", "Review of the service's effectiveness"
        OTHER = "other", "Other involvement"

    plan = models.ForeignKey(
        CommissioningPlan, on_delete=models.CASCADE, related_name="involvements"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_on = models.DateField()
    description = models.TextField()
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    consultation = models.CharField(
        max_length=300,
        blank=True,
        help_text="A link to, or the reference of, the consultation it was part of",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.held_on})"


class FundingKind(models.TextChoices):
    GRANT = "grant", "Grant programme"
    CONTRACT = "contract", "Contract"
    SERVICE_AGREEMENT = "service_agreement", "Service agreement"


class Opportunity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Being prepared"
        OPEN = "open", "Open for applications"
        CLOSED = "closed", "Closed, being decided"
        DECIDED = "decided", "Decided"

    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="opportunities")
    plan = models.ForeignKey(
        CommissioningPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    kind = models.CharField(max_length=20, choices=FundingKind.choices)
    code = models.SlugField(max_length=60, unique=True, help_text="The programme's short code")
    title = models.CharField(max_length=200)
    description = models.TextField()
    criteria = models.TextField(blank=True)
    decision_method = models.TextField(blank=True, help_text="How decisions will be made")
    criteria_decided_on = models.DateField(null=True, blank=True)
    outputs = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    amount_available = models.DecimalField(max_digits=12, decimal_places=2)
    social_clause = models.BooleanField(default=False)
    social_clause_details = models.TextField(blank=True)
    overheads_eligible = models.BooleanField(default=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    decisions_by = models.DateField(help_text="The agreed date applicants hear the outcome")
    service_starts_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="opportunity_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(amount_available__gte=0), name="opportunity_amount_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:opportunity", kwargs={"code": self.code})

    @property
    def flags(self) -> list[str]:
        """What falls short of the compacts, shown on the page."""
        flags = []
        if not self.overheads_eligible:
            flags.append(
                "Overheads are not eligible: the compacts ask for full cost recovery, "
                "including a fair share of overheads."
            )
        if not self.criteria or not self.decision_method:
            flags.append("The criteria and how decisions will be made are not yet stated.")
        return flags


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SUCCESSFUL = "successful", "Successful"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
        WITHDRAWN = "withdrawn", "Withdrawn"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="funding_applications"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField()
    direct_costs = models.DecimalField(max_digits=12, decimal_places=2)
    overheads = models.DecimalField(
        max_digits=12, decimal_places=2, help_text="The share of overheads (full cost recovery)"
    )
    overheads_basis = models.CharField(max_length=300, blank=True)
    eligibility_confirmed = models.BooleanField(default=False)
    submitted_on = models.DateField()
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    decided_on = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True, help_text="Reasons for the outcome")
    notified_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["submitted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "applicant"],
                condition=~Q(status="withdrawn"),
                name="application_one_per_applicant",
            ),
            models.CheckConstraint(
                condition=Q(direct_costs__gte=0) & Q(overheads__gte=0),
                name="application_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="unsuccessful") | ~Q(reasons=""),
                name="application_unsuccessful_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("funding:application", kwargs={"pk": self.pk})

    @property
    def total(self) -> Decimal:
        return self.direct_costs + self.overheads

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.SUCCESSFUL, self.Status.UNSUCCESSFUL)

    def obligations_declared(self):
        from .sources import application_declared

        return application_declared(self)


class Award(models.Model):
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="award"
    )
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="awards_made")
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="awards_received"
    )
    kind = models.CharField(max_length=20, choices=FundingKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    overheads = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="Of the amount, for overheads"
    )
    award_date = models.DateField(help_text="When it was decided")
    agreed_on = models.DateField(help_text="When the funding agreement was made")
    starts_on = models.DateField()
    ends_on = models.DateField()
    length_reason = models.TextField(
        blank=True, help_text="Why this length suits the objective (longer-term funding)"
    )
    confirmed_on = models.DateField(
        null=True, blank=True, help_text="When the amount was confirmed"
    )
    # Monitoring, in proportion to the amount.
    monitoring_requirements = models.TextField(blank=True)
    returns_per_year = models.PositiveSmallIntegerField(default=1)
    proportionality_statement = models.TextField(blank=True)
    outcome_measures = models.TextField(blank=True)
    monitoring_recorded_on = models.DateField(null=True, blank=True)
    # The recipient's side.
    terms_accepted_on = models.DateField(null=True, blank=True)
    end_plan = models.TextField(blank=True, help_text="The recipient's plan for funding ending")
    # The end of funding: notice from the funder.
    end_notice_due_on = models.DateField(
        null=True, blank=True, help_text="The agreed date by which notice of the end is given"
    )
    end_notice_given_on = models.DateField(null=True, blank=True)
    end_notice_text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-award_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="award_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0)
                & Q(overheads__gte=0)
                & Q(overheads__lte=models.F("amount")),
                name="award_amounts_make_sense",
            ),
        ]
        indexes = [
            models.Index(fields=["funder", "award_date"]),
            models.Index(fields=["recipient", "award_date"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:award", kwargs={"pk": self.pk})

    @property
    def months(self) -> int:
        from dateutil.relativedelta import relativedelta

        delta = relativedelta(self.ends_on, self.starts_on)
        return delta.years * 12 + delta.months + (1 if delta.days else 0)

    @property
    def identifier(self) -> str:
        return f"award-{self.pk}"

    def obligations_declared(self):
        from .sources import award_declared

        return award_declared(self)


class Payment(models.Model):
    """One instalment of an award's payment schedule."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments")
    due_on = models.DateField(help_text="When the agreement says it is paid")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    expenditure_starts_on = models.DateField(
        help_text="When the spending this payment covers begins"
    )
    paid_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"£{self.amount} due {self.due_on}"

    def get_absolute_url(self) -> str:
        return reverse("funding:award", kwargs={"pk": self.award_id}) + "#payments"

    def obligations_declared(self):
        from .sources import payment_declared

        return payment_declared(self)


class MonitoringReturn(models.Model):
    class Assessment(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        CONCERN = "concern", "A performance concern"
        EXCELLENT = "excellent", "Excellent performance, recognised"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="returns")
    period = models.CharField(max_length=100, help_text="The period it covers")
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    assessment = models.CharField(max_length=10, choices=Assessment.choices, blank=True)
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Return for {self.period}"


class Risk(models.Model):
    """A risk discussed up front and placed with the party best able to manage it."""

    class Holder(models.TextChoices):
        FUNDER = "funder", "The funder"
        RECIPIENT = "recipient", "The recipient"
        SHARED = "shared", "Shared"

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    held_by = models.CharField(max_length=10, choices=Holder.choices)
    mitigation = models.TextField(blank=True)
    recorded_on = models.DateField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:60]


class WindDownNotice(models.Model):
    """A provider's notice that it will wind a funded service down."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="wind_downs")
    service_ends_on = models.DateField()
    given_on = models.DateField(null=True, blank=True, help_text="When notice was given")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["service_ends_on", "pk"]

    def __str__(self) -> str:
        return f"Service ends {self.service_ends_on}"

    def get_absolute_url(self) -> str:
        return reverse("funding:award", kwargs={"pk": self.award_id}) + "#ending"

    def obligations_declared(self):
        from .sources import wind_down_declared

        return wind_down_declared(self)


class FundingChange(models.Model):
    """A change to funding arrangements, and the consultation on it."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="changes")
    summary = models.TextField()
    consultation = models.CharField(
        max_length=300, blank=True, help_text="A link to, or the reference of, the consultation"
    )
    consulted_from = models.DateField(null=True, blank=True)
    takes_effect_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["takes_effect_on", "pk"]

    def __str__(self) -> str:
        return self.summary[:60]


EVENT_LABELS = {
    "plan.created": "Plan started",
    "plan.involvement": "Sector involvement recorded",
    "plan.advanced": "Plan moved on",
    "opportunity.created": "Opportunity set up",
    "opportunity.opened": "Opened for applications",
    "opportunity.closed": "Closed to applications",
    "application.submitted": "Application submitted",
    "application.decided": "Application decided",
    "application.notified": "Applicant told the outcome",
    "award.created": "Award recorded",
    "award.confirmed": "Amount confirmed",
    "award.monitoring": "Monitoring set",
    "award.end_notice": "Notice of the end of funding",
    "award.recipient_terms": "Recipient's terms and plan for the end",
    "payment.scheduled": "Payment scheduled",
    "payment.paid": "Payment made",
    "return.expected": "Monitoring return expected",
    "return.received": "Monitoring return received",
    "return.reviewed": "Monitoring return reviewed",
    "risk.recorded": "Risk recorded",
    "wind_down.given": "Notice of winding the service down",
    "change.recorded": "Change to the arrangements recorded",
}


class FundingEvent(models.Model):
    """One change of state of a plan, opportunity, application or award: append-only."""

    plan = models.ForeignKey(
        CommissioningPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    award = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=40)
    note = models.TextField(blank=True)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Funding history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Funding history is append-only")

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.kind, self.kind)
