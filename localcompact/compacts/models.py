"""A compact, its versions, and what each version says.

A compact definition (YAML) is loaded as a CompactVersion. Every version keeps its own
rows (parties, codes, undertakings, standards, glossary), so a record made under an
earlier version keeps pointing at the standard as it was then. The definition itself
is kept as JSON on the version, which is what `compact export` prints.
"""

from django.db import models
from django.urls import reverse

from localcompact.rulebook import (
    AllowedException,
    Clause,
    ExceptionKind,
    WorkingCalendar,
    build,
    calendar_for,
)


class Compact(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    current_version = models.ForeignKey(
        "CompactVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("compacts:detail", kwargs={"slug": self.slug})


class Nation(models.TextChoices):
    ENGLAND_AND_WALES = "england-and-wales", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class CompactVersion(models.Model):
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the definition as JSON")
    source_file = models.CharField(max_length=200)
    definition = models.JSONField()
    loaded_at = models.DateTimeField()
    # Adopted through the compact's own review on the platform (governance), not loaded
    # from a file: loading the files again never takes such a version out of use.
    adopted_here = models.BooleanField(default=False)

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=200, blank=True)
    area = models.CharField(max_length=200)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    summary = models.TextField()
    covers = models.TextField()
    vision = models.TextField(blank=True)

    class Meta:
        ordering = ["compact", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "number"], name="version_number_unique"),
            models.UniqueConstraint(fields=["compact", "digest"], name="version_digest_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.number})"

    @property
    def is_current(self) -> bool:
        return self.compact.current_version_id == self.pk

    @property
    def calendar(self) -> WorkingCalendar:
        """The working-day calendar the compact's limits are counted in (its nation's)."""
        return calendar_for(self.nation)


class SourceDocument(models.Model):
    """A source document a version cites (one of the seed files, for the shipped four)."""

    version = models.ForeignKey(CompactVersion, on_delete=models.CASCADE, related_name="documents")
    file = models.CharField(max_length=100)
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["file"]
        constraints = [
            models.UniqueConstraint(fields=["version", "file"], name="document_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.file})"


class Cited(models.Model):
    """Something the compact says, with the document and clause it says it in."""

    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="+")
    clause_ref = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position"]

    @property
    def clause(self) -> Clause:
        return Clause(document=self.source.file, ref=self.clause_ref)


class Sector(models.TextChoices):
    PUBLIC = "public", "Public sector"
    VCS = "vcs", "Voluntary and community sector"
    PRIVATE = "private", "Private sector"


class Party(models.Model):
    version = models.ForeignKey(CompactVersion, on_delete=models.CASCADE, related_name="parties")
    ident = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    sectors = models.JSONField(help_text="The sectors this party is made of")
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(fields=["version", "ident"], name="party_ident_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Code(Cited):
    """A code of practice, or a section of commitments, grouping undertakings."""

    version = models.ForeignKey(CompactVersion, on_delete=models.CASCADE, related_name="codes")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, default="code_of_practice")
    summary = models.TextField()

    class Meta(Cited.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "slug"], name="code_slug_unique")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "compacts:code", kwargs={"slug": self.version.compact.slug, "code": self.slug}
        )


class Statement(Cited):
    """A principle, value or outcome: of the compact, or of one of its codes."""

    class Kind(models.TextChoices):
        PRINCIPLE = "principle", "Principle"
        VALUE = "value", "Value"
        OUTCOME = "outcome", "Outcome"

    version = models.ForeignKey(CompactVersion, on_delete=models.CASCADE, related_name="statements")
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="principles"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ident = models.SlugField(max_length=80)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField()

    class Meta(Cited.Meta):
        pass

    def __str__(self) -> str:
        return self.title or self.text[:60]


class Undertaking(Cited):
    version = models.ForeignKey(
        CompactVersion, on_delete=models.CASCADE, related_name="undertakings"
    )
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="undertakings")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="undertakings")
    ident = models.SlugField(max_length=80)
    summary = models.TextField()

    class Meta(Cited.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "ident"], name="undertaking_ident_unique")
        ]

    def __str__(self) -> str:
        return self.summary[:80]


class Strictness(models.TextChoices):
    MUST = "must", "Must"
    SHOULD = "should", "Should"
    BEST_PRACTICE = "best_practice", "Best practice"


class Standard(Cited):
    """A measurable standard: a rule kind with parameters, checked by the rules package."""

    version = models.ForeignKey(CompactVersion, on_delete=models.CASCADE, related_name="standards")
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.CASCADE, related_name="standards"
    )
    ident = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    applies_to = models.SlugField(max_length=60, db_index=True)
    owed_by = models.CharField(max_length=80)
    owed_to = models.CharField(max_length=80)
    rule_kind = models.CharField(max_length=30)
    params = models.JSONField()
    strictness = models.CharField(max_length=20, choices=Strictness.choices)
    exception_kind = models.CharField(max_length=40, blank=True)
    exception_summary = models.TextField(blank=True)
    due_soon_working_days = models.PositiveSmallIntegerField(default=5)

    class Meta(Cited.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "ident"], name="standard_ident_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def allowed_exception(self) -> AllowedException | None:
        if not self.exception_kind:
            return None
        return AllowedException(
            kind=ExceptionKind(self.exception_kind), summary=self.exception_summary
        )

    def rule(self):
        """The rules-package object that checks this standard."""
        return build(
            self.rule_kind,
            self.params,
            clause=self.clause,
            exception=self.allowed_exception,
            due_soon_working_days=self.due_soon_working_days,
        )


class GlossaryTerm(models.Model):
    version = models.ForeignKey(CompactVersion, on_delete=models.CASCADE, related_name="glossary")
    term = models.CharField(max_length=200)
    definition = models.TextField()
    source = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    clause_ref = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["term"]
        indexes = [models.Index(fields=["version", "term"])]

    def __str__(self) -> str:
        return self.term
