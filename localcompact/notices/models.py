"""Informing notices: a public body tells partners of a decision it has already taken.

Informing is the first of the Herefordshire code's three levels of participation (003,
section 8): no response is asked for, but people must hear in time to act. A notice
says what was decided, what those affected must do and by when, the formats it comes
in, and explains its jargon. Its compact's standard for informing (looked up by
`applies_to: informing-notice` in the version the notice was made under, so nothing
here hard-codes a number) gives it one obligation: publish it at least the standard's
notice period before the date action is required.

A notice can be restricted (003, 9.2.5): embargoed until a moment, or confidential.
A restricted notice is seen only by members of the issuing body and of the
organisations it names, until an embargo lifts; its title is never used where others
could read it (obligation summaries, `str()`).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localcompact.compacts.models import Compact, CompactVersion, Standard
from localcompact.core.uploads import UploadedDocument
from localcompact.organisations.models import Organisation

# The rule every notice's standard is found by, in the compact definitions.
APPLIES_TO = "informing-notice"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Restriction(models.TextChoices):
    PUBLIC = "public", "Public"
    EMBARGOED = "embargoed", "Embargoed until a date and time"
    CONFIDENTIAL = "confidential", "Confidential"


class Format(models.TextChoices):
    """Formats a notice can be had in (Herefordshire 003, 9.2.3)."""

    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio"
    BSL = "bsl", "British Sign Language video"
    PAPER = "paper", "Printed copy by post"
    TRANSLATION = "translation", "Other languages"


class NoticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def public_at(self, now: dt.datetime):
        """Published or withdrawn (once published), and not restricted at `now`."""
        return self.filter(public_q(now))

    def visible_to(self, user, now: dt.datetime):
        """What `user` may see at `now`: every query of notices goes through this.

        Anyone: published notices that are not restricted (or whose embargo has
        lifted). Members of the issuing body: all of its notices, drafts included.
        Members of an organisation a restricted notice names: that notice, once it
        is published. Staff and the support team get nothing more.
        """
        if not user.is_authenticated:
            return self.public_at(now)
        organisations = Organisation.objects.filter(memberships__user=user).values("pk")
        visible = (
            public_q(now)
            | Q(issued_by__in=organisations)
            | (seen_q() & Q(shared_with__in=organisations))
        )
        # shared_with is many-valued: keep the rows distinct without DISTINCT.
        return self.filter(pk__in=self.model.objects.filter(visible).values("pk"))


SEEN_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)


def seen_q() -> Q:
    """Published, or withdrawn after it was published (a withdrawn draft never was)."""
    return Q(status__in=SEEN_STATUSES, published_on__isnull=False)


def public_q(now: dt.datetime) -> Q:
    return seen_q() & (
        Q(restriction=Restriction.PUBLIC)
        | Q(restriction=Restriction.EMBARGOED, embargo_until__lte=now)
    )


class Notice(models.Model):
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="notices")
    version = models.ForeignKey(
        CompactVersion,
        on_delete=models.PROTECT,
        related_name="notices",
        help_text="The compact's version when the notice was made: its standard applies",
    )
    issued_by = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="notices")

    title = models.CharField(max_length=200)
    decision = models.TextField(help_text="What was decided, in plain English")
    decided_on = models.DateField(help_text="When the decision was taken")
    decided_by = models.CharField(max_length=200, blank=True, help_text="Who took it")
    action_required = models.TextField(help_text="What those affected must do")
    action_by = models.DateField(help_text="The date by which they must act")
    affected = models.TextField(blank=True, help_text="Who is affected")
    area = models.CharField(max_length=200, blank=True)
    more_information_url = models.URLField(blank=True)
    contact = models.CharField(max_length=200, help_text="Who to ask, and how")

    formats = models.JSONField(default=list, blank=True, help_text="Format values")
    formats_note = models.TextField(blank=True)

    restriction = models.CharField(
        max_length=20, choices=Restriction.choices, default=Restriction.PUBLIC
    )
    embargo_until = models.DateTimeField(null=True, blank=True)
    handling = models.TextField(
        blank=True, help_text="Whether, when and to whom it may be passed on"
    )
    shared_with = models.ManyToManyField(
        Organisation, blank=True, related_name="notices_shared", help_text="Named organisations"
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_late_reason = models.TextField(blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(restriction="embargoed") | Q(embargo_until__isnull=False),
                name="notice_embargo_has_end",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_on__isnull=False) | Q(status="withdrawn"),
                name="notice_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(action_by__gte=models.F("decided_on")),
                name="notice_action_after_decision",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "restriction", "published_at"]),
            models.Index(fields=["issued_by", "status"]),
            models.Index(fields=["action_by"]),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"N-{self.pk:05d}"

    @property
    def is_restricted(self) -> bool:
        """Ever restricted: the title stays out of places others read."""
        return self.restriction != Restriction.PUBLIC

    @property
    def label(self) -> str:
        """The title, or only the reference for a restricted notice."""
        if self.is_restricted:
            return f"Restricted notice {self.reference}"
        return self.title

    def restricted_at(self, now: dt.datetime) -> bool:
        if self.restriction == Restriction.CONFIDENTIAL:
            return True
        return self.restriction == Restriction.EMBARGOED and (
            self.embargo_until is None or self.embargo_until > now
        )

    @property
    def format_labels(self) -> list[str]:
        labels = dict(Format.choices)
        return [labels[value] for value in self.formats if value in labels]

    def standard(self) -> Standard | None:
        """The compact's informing standard in the notice's version, if it has one."""
        return (
            Standard.objects.select_related("version", "source")
            .filter(version=self.version, applies_to=APPLIES_TO)
            .first()
        )

    def obligations_declared(self):
        from .sources import notice_declared

        return notice_declared(self)


class Term(models.Model):
    """A term the notice uses, explained in plain English (Herefordshire 003, 9.2.4)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=100)
    explanation = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.term


class NoticeDocument(UploadedDocument):
    """A document attached to a notice: downloaded only by those who may see the notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["uploaded_at", "pk"]


class NoticeEvent(models.Model):
    """One change to a notice: append-only (never updated, never deleted)."""

    class Kind(models.TextChoices):
        CREATED = "created", "Drafted"
        EDITED = "edited", "Changed"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DOCUMENT_ADDED = "document_added", "Document added"
        DOCUMENT_REMOVED = "document_removed", "Document removed"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed = models.JSONField(default=list, blank=True, help_text="Names of changed fields")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Notice history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Notice history is append-only")
