"""Obligations: every dated promise, tracked until it is kept, missed or excused.

A domain record (a consultation, a meeting, an activity recorded by hand...) declares
the obligations it gives rise to; `services.obligations_sync` creates, re-dates and
closes them. Statuses are stored and indexed; the daily sweep moves them forward by
date with guarded bulk updates. Every status change is kept in ObligationEvent,
which is append-only.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from localcompact.compacts.models import Code, Compact, Standard
from localcompact.organisations.models import Organisation


class Status(models.TextChoices):
    """The rules package's statuses, and one more: the source no longer asks for it."""

    NOT_YET_DUE = "not_yet_due", "Not yet due"
    DUE_SOON = "due_soon", "Due soon"
    MET = "met", "Met"
    MET_LATE = "met_late", "Met late"
    MISSED = "missed", "Missed"
    EXCUSED = "excused", "Excused"
    CANCELLED = "cancelled", "No longer owed"


OPEN_STATUSES = (Status.NOT_YET_DUE, Status.DUE_SOON)
CLOSED_STATUSES = (Status.MET, Status.MET_LATE, Status.EXCUSED, Status.CANCELLED)


class ObligationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def owed_by(self, organisation):
        return self.filter(owed_by=organisation)

    def owed_to(self, organisation):
        return self.filter(owed_to=organisation)

    def becoming_due_soon(self, today):
        """Not yet due, but inside the reminder window on `today`."""
        return self.filter(status=Status.NOT_YET_DUE, due_soon_from__lte=today, due_on__gte=today)

    def becoming_missed(self, today):
        """Still open the day after their due date."""
        return self.filter(status__in=OPEN_STATUSES, due_on__lt=today)


class Obligation(models.Model):
    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="obligations")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="obligations")
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.PROTECT, related_name="obligations"
    )

    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    key = models.CharField(
        max_length=100, default="", blank=True, help_text="Which of its source's obligations"
    )
    summary = models.CharField(max_length=300)

    owed_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations_owed",
    )
    owed_by_role = models.CharField(
        max_length=120, blank=True, help_text="A named role, e.g. the subgroup chair"
    )
    owed_to = models.ManyToManyField(Organisation, blank=True, related_name="obligations_owed_to")
    owed_to_label = models.CharField(
        max_length=120, blank=True, help_text="Who else it is owed to, e.g. respondents"
    )

    due_on = models.DateField()
    due_soon_from = models.DateField(help_text="When reminders start")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_YET_DUE)
    status_changed_on = models.DateField()

    met_on = models.DateField(null=True, blank=True)
    met_note = models.TextField(blank=True)

    exception_kind = models.CharField(max_length=40, blank=True)
    excuse_reason = models.TextField(blank=True)
    excuse_agreed_by = models.CharField(max_length=300, blank=True)
    excused_on = models.DateField(null=True, blank=True)
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_reason = models.CharField(max_length=300, blank=True)

    reminded_due_soon_on = models.DateField(null=True, blank=True)
    reminded_missed_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "key"], name="obligation_source_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(due_soon_from__lte=models.F("due_on")),
                name="obligation_reminders_start_before_due",
            ),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(excuse_reason=""),
                name="obligation_excused_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["status", "due_soon_from"]),
            models.Index(fields=["owed_by", "status", "due_on"]),
            models.Index(fields=["compact", "standard", "due_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.summary

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ObligationEvent(models.Model):
    """One change to an obligation: append-only (never updated, never deleted)."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        STATUS = "status", "Status changed"
        REDATED = "redated", "Due date changed"
        EXCUSED = "excused", "Excused"
        CANCELLED = "cancelled", "No longer owed"
        REMINDED = "reminded", "Reminder sent"

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField(help_text="The day it happened (the sweep's day for sweeps)")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["obligation", "at"])]

    def __str__(self) -> str:
        return f"{self.obligation_id}: {self.kind} {self.from_status}->{self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Obligation history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Obligation history is append-only")


class ActivityQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_on__isnull=True)


class Activity(models.Model):
    """Something done under a dated standard, recorded by hand.

    The first source of obligations: it lets a compact track any standard with a date
    (funding confirmed before a project starts, notice of a meeting, a reply within a
    limit) before, or alongside, the app that will record that kind of thing itself,
    and for work done off the platform. It declares one obligation, dated by the rule.
    """

    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owed_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="activities_owed"
    )
    owed_to = models.ManyToManyField(Organisation, blank=True, related_name="activities_owed_to")
    owed_to_label = models.CharField(max_length=120, blank=True)

    start_on = models.DateField(
        help_text="The date the standard counts from or to: the start, the event, or the trigger"
    )
    end_on = models.DateField(null=True, blank=True, help_text="For a minimum period: its end")
    agreed_due_on = models.DateField(
        null=True, blank=True, help_text="Where the compact leaves the date to be agreed"
    )
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="activity_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("obligations:activity", kwargs={"pk": self.pk})

    def obligations_declared(self):
        from .sources import activity_declared

        return activity_declared(self)


class Reminder(models.Model):
    """One digest e-mail to one person for one day and kind: at most one is ever sent.

    The sweep queues a reminder and its obligations in one transaction; sending claims
    it (queued -> sending, with `claimed_at`) with a guarded update, sends, then marks it
    sent. A worker killed between claiming and marking leaves it 'sending', and it is not
    sent again: once its lease has run out, the next sweep marks it 'lost', and later
    puts its obligations into the person's next digest (`carried_on` records the day).
    See `reminders.reminders_lost`.
    """

    class Kind(models.TextChoices):
        OWING = "owing", "What your organisation owes"
        OWED = "owed", "Missed obligations owed to your organisation"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending (not confirmed)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        LOST = "lost", "Lost (claimed, never confirmed sent)"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    on = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    obligations = models.ManyToManyField(Obligation, related_name="reminders")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    # for a lost digest: the day its obligations went into a later digest of the same
    # person and kind (or were found to need no reminder any more)
    carried_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "on", "kind"], name="reminder_one_per_person_day_kind"
            )
        ]
        indexes = [models.Index(fields=["state", "on"])]

    def __str__(self) -> str:
        return f"{self.kind} digest for {self.recipient} on {self.on} ({self.state})"


class CalendarFeed(models.Model):
    """A private iCalendar feed of an organisation's obligations.

    The URL carries a random token; only its SHA-256 is stored, so the token is shown
    once when made. Revoking it stops the feed at once.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed for {self.organisation}"


class ComplianceStamp(models.Model):
    """One row per compact that changes whenever one of its obligations is written in
    a way that can change its compliance figures: the key under which they are cached.

    Database triggers (migration 0002) keep it, in the same transaction as the write:
    any insert or delete of an obligation, and any update of its compact, standard,
    code, due date or status, adds one to its compact's `changes` and gives `stamp` a
    new random value. Triggers rather than code, so that every way of writing an
    obligation (the services, the sweep's bulk updates, the admin, the benches' bulk
    inserts, raw SQL) moves it; a write and its new stamp commit together, so a cached
    figure can never outlive the rows it was counted from. The stamp is random rather
    than the count, so that a count that goes back (a rolled-back test, a database
    restored from a backup) never finds figures cached under the same number for other
    rows. One row per compact, so that a response sent under one compact does not make
    the next visitor of another compact's figures wait for them to be counted again.
    """

    # The compact's id, not a foreign key: the delete trigger writes it while the
    # tables are being emptied (a test database's flush), when the compact may be gone.
    compact_id = models.BigIntegerField(primary_key=True)
    changes = models.BigIntegerField(default=0)
    stamp = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.compact_id}: {self.changes} changes ({self.stamp})"
