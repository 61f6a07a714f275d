"""Disagreements and breaches: a case run through its compact's procedure.

The procedure is data (the compact definition's ``disagreement_procedure``, built by
``rulebook.StagedProcedure``); a Case stores where it stands (state, stage, who may see
it so far) in indexed fields, and every step is an append-only CaseEvent. A case is
confidential: only its parties' officers and the people the procedure involves see it
(see ``rules.py``). A case in a state the procedure marks ``public`` publishes its
public records (the finding and the brief statement of the disagreement).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.db import models
from django.urls import reverse

from localcompact.compacts.models import Compact, CompactVersion
from localcompact.core.uploads import UploadedDocument
from localcompact.organisations.models import Organisation
from localcompact.rulebook import StagedProcedure


class Side(models.TextChoices):
    RAISING = "raising", "Raised the disagreement"
    ANSWERING = "answering", "Disagreement raised with"


class CaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_public=True)

    def open(self):
        return self.filter(is_final=False)


class Case(models.Model):
    reference = models.CharField(max_length=40, unique=True)
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(max_length=200)

    state = models.CharField(max_length=80)
    stage = models.CharField(max_length=80)
    is_final = models.BooleanField(default=False)
    is_public = models.BooleanField(default=False)
    # Comma-wrapped tokens: the sides and role holders that see the case so far
    # (",side:raising,subgroup-chair,"), and the states it has been in.
    open_to = models.CharField(max_length=300, default=",")
    visited = models.TextField(default=",")
    revision = models.PositiveIntegerField(default=0, help_text="Bumped by every step")
    entered_on = models.DateField(help_text="When the case entered its current state")

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    opening = models.JSONField(default=dict, help_text="What raising it recorded")

    finding = models.CharField(max_length=80, blank=True)
    published_on = models.DateField(null=True, blank=True)
    public_records = models.JSONField(default=dict, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [
            models.Index(fields=["compact", "raised_on"]),
            models.Index(fields=["is_public", "published_on"]),
        ]

    def __str__(self) -> str:
        # Only the reference: the title is confidential, and the obligations pages show
        # an obligation's source to people who do not see the case.
        return f"Disagreement {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("disputes:case", kwargs={"reference": self.reference})

    @cached_property
    def procedure(self) -> StagedProcedure:
        return procedure_of(self.version)

    @property
    def definition(self) -> dict:
        return self.version.definition["disagreement_procedure"]

    @property
    def state_title(self) -> str:
        return self.procedure.state(self.state).title

    @property
    def stage_title(self) -> str:
        return self.procedure.stage_titles.get(self.stage, self.stage)

    @property
    def visited_states(self) -> list[str]:
        return [s for s in self.visited.split(",") if s]

    def obligations_declared(self):
        from .deadlines import case_declared

        return case_declared(self)


_PROCEDURES: dict[str, StagedProcedure] = {}


def procedure_of(version: CompactVersion) -> StagedProcedure:
    """The version's procedure, built once per process for each definition's content
    (its digest: the same content always builds the same procedure)."""
    procedure = _PROCEDURES.get(version.digest)
    if procedure is None:
        procedure = StagedProcedure.from_definition(version.definition["disagreement_procedure"])
        _PROCEDURES[version.digest] = procedure
    return procedure


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="dispute_cases"
    )
    side = models.CharField(max_length=10, choices=Side.choices)

    class Meta:
        ordering = ["-side", "organisation__name"]  # the raising side first
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="case_party_unique")
        ]
        indexes = [models.Index(fields=["organisation", "side"])]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_side_display()})"


class CaseEvent(models.Model):
    """One step of a case: opened, a move, or one party's part of a move every party
    makes. Append-only (never updated, never deleted)."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Raised"
        MOVE = "move", "Step taken"
        PART = "part", "One side's part"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    move = models.CharField(max_length=80, blank=True)
    from_state = models.CharField(max_length=80, blank=True)
    to_state = models.CharField(max_length=80, blank=True)
    # The revision of the case the step was made at: parts of one move at one state share it.
    at_revision = models.PositiveIntegerField()
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=80, blank=True)
    records = models.JSONField(default=dict, blank=True)
    # Empty: every role that sees the case reads its records; else only these roles.
    restricted_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "move", "at_revision", "organisation"],
                condition=models.Q(kind="part"),
                name="case_event_one_part_per_party",
            )
        ]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.move}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Case history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case history is append-only")

    @property
    def date(self) -> dt.date:
        return self.on


class CaseDocument(UploadedDocument):
    """A statement, bundle, agreement or report given with a step of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    event = models.ForeignKey(
        CaseEvent, null=True, on_delete=models.PROTECT, related_name="documents"
    )
    record = models.CharField(max_length=80, help_text="Which record of the step it is")
    restricted_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse(
            "disputes:document", kwargs={"reference": self.case.reference, "pk": self.pk}
        )
