"""A compact-proofing report: a draft checked against one compact version, kept as it was.

A report is made once and never changed (checking an edited draft makes a new report),
so it needs no history table: who made it and when are on the row, and the audit log
records its making. The findings are stored as JSON, each one a dict:

    {"kind": "consultation-period", "level": "blocking" | "warning" | "info" | "ok",
     "title": "...", "detail": "...", "items": ["..."], "clause": "file ref" or ""}

A report passes when none of its findings is blocking; `passes` and `blocking` are
stored so lists filter and count without reading the JSON.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from localcompact.compacts.models import Compact, CompactVersion
from localcompact.core.uploads import UploadedDocument
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


class ProofingDocument(UploadedDocument):
    """The uploaded file a report was made from (a plain-text draft)."""

    report = models.OneToOneField(ProofingReport, on_delete=models.CASCADE, related_name="document")
