"""A compact-proofing report: a draft checked against one compact version, kept as it was.

A report is made once and never changed (checking an edited draft makes a new report),
so it needs no history table: who made it and when are on the row, and the audit log
records its making. The findings are stored as JSON, each one a dict:

    {"kind": "consultation-period", "level": "blocking" | "warning" | "info" | "ok",
     "title": "...", "detail": "...", "items": ["..."], "clause": "file ref" or ""}

A report passes when none of its findings is blocking; `passes` and `blocking` are
stored so lists filter and count without reading the JSON. A report that passes gets a
`reference` (random, so that references cannot be guessed from one another): it is
printed on the compact mark and anyone holding it can check the mark on the public
verification page. A failing report has no reference and no mark.

Evidence: an officer of the organisation may attach a report to one of its
consultations or commissioning plans (`ProofingEvidence`). Consultations and plans are
public, so attaching makes the report public: `published_at` is set, once, and the
report page is then open to anyone (the uploaded file stays with the organisation's
members; its text is on the page).

The same officers may remove a report as evidence (`services.evidence_remove`); the
evidence rows keep a history (django-simple-history: who attached or removed, and when).
A report that is still evidence elsewhere stays public, and so does one that passes: its
compact mark's public page links to the report, and documents carrying the mark send
their readers there. A failing report (no mark) that is no longer evidence for anything
is private again: nothing public rests on it any more.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from localcompact.compacts.models import Compact, CompactVersion
from localcompact.consultations.models import Consultation
from localcompact.core.uploads import UploadedDocument
from localcompact.funding.models import CommissioningPlan
from localcompact.organisations.models import Organisation
from localcompact.rulebook import long_date


class DraftKind(models.TextChoices):
    CONSULTATION = "consultation", "A consultation document"
    FUNDING_PLAN = "funding_plan", "A funding plan or funding programme"
    OTHER = "other", "Another policy, plan or publication"


class Level(models.TextChoices):
    BLOCKING = "blocking", "Must be fixed"
    WARNING = "warning", "Worth changing"
    INFO = "info", "For information"
    OK = "ok", "Meets the compact"


class ProofingReportQuerySet(models.QuerySet):
    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def listed(self):
        return self.select_related("compact", "created_by").order_by("-created_at", "-pk")

    def public(self):
        return self.filter(published_at__isnull=False)


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_reference() -> str:
    """A mark's reference, such as "CP-7KQ4-M2XH-9RTB": 60 random bits."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    return f"CP-{body[:4]}-{body[4:8]}-{body[8:]}"


class ProofingReport(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proofing_reports"
    )
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DraftKind.choices)
    title = models.CharField("Name of the draft", max_length=200)
    text = models.TextField()
    findings = models.JSONField(default=list)
    measures = models.JSONField(default=dict)
    passes = models.BooleanField(default=False)
    blocking = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    reference = models.CharField(
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="Printed on the compact mark of a report that passes",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was first attached as public evidence"
    )

    objects = ProofingReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proofing:report", kwargs={"pk": self.pk})

    @property
    def mark(self) -> str:
        """The compact mark a draft that passes may carry."""
        if not self.passes:
            return ""
        on = timezone.localtime(self.created_at).date()
        return f"Compact-proofed against the {self.version.name}, {long_date(on)}"

    def findings_at(self, level: str) -> list[dict]:
        return [f for f in self.findings if f.get("level") == level]

    @property
    def is_public(self) -> bool:
        return self.published_at is not None

    @property
    def checked_on(self):
        return timezone.localtime(self.created_at).date()

    @property
    def compact_label(self) -> str:
        """The compact's short name on the mark ("Leicester Compact")."""
        if self.version.short_name:
            return f"{self.version.short_name} Compact"
        return self.compact.name

    @property
    def mark_alt_text(self) -> str:
        """What the mark says, for a screen reader (and for the alt text of a copy)."""
        if not self.passes:
            return ""
        return (
            f"Compact-proofed against the {self.compact_label}: checked on "
            f"{long_date(self.checked_on)}, reference {self.reference}"
        )


class ProofingEvidence(models.Model):
    """A report attached to a consultation or a commissioning plan of the same
    organisation, as evidence that its documents were compact-proofed."""

    report = models.ForeignKey(ProofingReport, on_delete=models.CASCADE, related_name="evidence")
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    plan = models.ForeignKey(
        CommissioningPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["attached_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(consultation__isnull=False, plan__isnull=True)
                    | models.Q(consultation__isnull=True, plan__isnull=False)
                ),
                name="proofing_evidence_one_target",
            ),
            models.UniqueConstraint(
                fields=["report", "consultation"], name="proofing_evidence_once_per_consultation"
            ),
            models.UniqueConstraint(
                fields=["report", "plan"], name="proofing_evidence_once_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} for {self.target}"

    @property
    def target(self):
        return self.consultation if self.consultation_id else self.plan

    @property
    def target_label(self) -> str:
        return "consultation" if self.consultation_id else "commissioning plan"


class ProofingDocument(UploadedDocument):
    """The uploaded file a report was made from (a plain-text draft)."""

    report = models.OneToOneField(ProofingReport, on_delete=models.CASCADE, related_name="document")
