"""Running a compact: its bodies and their members, the action plan, meetings and
elections, reviews and revisions, news and events, good-practice stories and concerns
raised directly between organisations.

A compact's bodies (steering group, dispute subgroup, working group), their seats and
quotas live in the compact's definition (`bodies`); here a `Composition` is one make-up
of a body (a draft being put together, the current one, or a past one) and a
`BodyMember` one person in one of its seats. Whether a composition meets the seat
quotas is decided by the rules package (`SeatQuotas`), never here.

Sources of obligations: `ActionPlan` (revised within the compact's limit), `Meeting`
(the next annual meeting within the limit; invitations with notice), `Review` (the
review date). Each implements `obligations_declared`; services call `obligations_sync`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from localcompact.compacts.models import Code, Compact, CompactVersion, Standard
from localcompact.organisations.models import Organisation


class Composition(models.Model):
    """One make-up of one of a compact's bodies, read against the definition of
    `version` (the version it was put together under)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being put together"
        CURRENT = "current", "Current"
        PAST = "past", "Past"

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="compositions")
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    body = models.SlugField(max_length=80, help_text="The body's id in the definition")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    takes_effect_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        "Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="compositions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["compact", "body", "-takes_effect_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "body"],
                condition=Q(status="current"),
                name="composition_one_current_per_body",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:composition", kwargs={"compact": self.compact.slug, "pk": self.pk}
        )

    @property
    def body_definition(self) -> dict:
        for body in self.version.definition.get("bodies", []):
            if body["id"] == self.body:
                return body
        return {"id": self.body, "name": self.body, "seats": []}


class BodyMember(models.Model):
    """A person in one seat of a composition, for an organisation (or independently)."""

    composition = models.ForeignKey(Composition, on_delete=models.CASCADE, related_name="members")
    seat = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="body_seats",
        help_text="Their account, if they have one: it is given the body's compact role",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="body_seats"
    )
    independent = models.BooleanField(
        default=False, help_text="Sits in their own right, not for their organisation"
    )
    how = models.CharField(max_length=200, blank=True, help_text="Elected, nominated by...")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["composition", "seat", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def sector(self) -> str:
        if self.independent:
            return "independent"
        return self.organisation.sector if self.organisation else ""


class ActionPlan(models.Model):
    """A compact's action plan for a period; agreeing it starts the clock for its revision."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="action_plans")
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    agreed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["compact", "-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="action_plan_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:plan", kwargs={"compact": self.compact.slug, "pk": self.pk})

    def obligations_declared(self):
        from .sources import action_plan_declared

        return action_plan_declared(self)


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    outcome = models.SlugField(max_length=80, blank=True, help_text="The outcome's id")
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The annual report counts each action as it stood at the end of its year
    # (reports.selectors.governance_section), read from this history.
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title


class ActionUpdate(models.Model):
    """A progress note on an action: append-only, public with the plan."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Progress updates are append-only")
        super().save(*args, **kwargs)


class Meeting(models.Model):
    """A meeting of the compact: the annual meeting, or one of a body's meetings."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Annual meeting"
        BODY = "body", "Meeting of a body"

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="meetings")
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    title = models.CharField(max_length=200)
    on = models.DateField()
    place = models.CharField(max_length=300, blank=True)
    invitations_sent_on = models.DateField(null=True, blank=True)
    agenda_published_on = models.DateField(null=True, blank=True)
    held = models.BooleanField(default=False)
    minutes = models.TextField(blank=True)
    minutes_published_on = models.DateField(null=True, blank=True)
    # Formats offered and venue access (consultations/access.py has the choices); the
    # host organisation answers requests for another format or language.
    host = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation hosting it, which answers requests for other formats",
    )
    formats_offered = models.JSONField(default=list, blank=True)
    venue_access = models.JSONField(default=list, blank=True)
    venue_access_notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["compact", "-on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", kwargs={"compact": self.compact.slug, "pk": self.pk})

    def format_labels(self) -> list[str]:
        from localcompact.consultations.access import format_labels

        return format_labels(self.formats_offered)

    def venue_labels(self) -> list[str]:
        from localcompact.consultations.access import venue_labels

        return venue_labels(self.venue_access)

    def obligations_declared(self):
        from .sources import meeting_declared

        return meeting_declared(self)


class MeetingInvitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="governance_meeting_invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} to {self.meeting}"


class AgendaItem(models.Model):
    """One item of a meeting's agenda; generated from the platform's records, then kept
    as it was when generated (the records move on, the agenda does not)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField()
    kind = models.SlugField(max_length=40)
    title = models.CharField(max_length=200)
    lines = models.JSONField(default=list, help_text="What the item reports, one line each")

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Election(models.Model):
    """An election to a body's elected seats at a meeting, filling a draft composition."""

    class Status(models.TextChoices):
        NOMINATIONS = "nominations", "Taking nominations"
        VOTING = "voting", "Voting open"
        CLOSED = "closed", "Results published"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="elections")
    composition = models.ForeignKey(Composition, on_delete=models.PROTECT, related_name="elections")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOMINATIONS)
    results_published_on = models.DateField(null=True, blank=True)
    flags = models.JSONField(default=list, help_text="What the meeting must settle")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Election to the {self.composition.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "governance:election", kwargs={"compact": self.meeting.compact.slug, "pk": self.pk}
        )


class Nomination(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nominations")
    seat = models.SlugField(max_length=80)
    candidate = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    votes = models.PositiveIntegerField(default=0, help_text="The ballot box: a count only")
    elected = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["election", "seat", "candidate"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "seat", "organisation", "candidate"],
                name="governance_nomination_unique",
            )
        ]

    def __str__(self) -> str:
        return self.candidate


class VoteCast(models.Model):
    """That an organisation has voted for a seat: who voted, never for whom. The choice
    only adds one to the candidates' counts, so nothing links a vote to a voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="votes_cast")
    seat = models.SlugField(max_length=80)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["election", "seat", "organisation"], name="one_vote_per_org_per_seat"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} voted for {self.seat}"


class Review(models.Model):
    """A scheduled review of the compact, due by its standard where it has one."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    standard = models.ForeignKey(
        Standard, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counts_from = models.DateField(help_text="The date the review period counts from")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    findings = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["compact", "-due_on"]

    def __str__(self) -> str:
        return f"Review of the {self.compact.name} due {self.due_on}"

    def obligations_declared(self):
        from .sources import review_declared

        return review_declared(self)


class Revision(models.Model):
    """A proposed change to a compact; once adopted, a new version of it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ADOPTED = "adopted", "Adopted"
        REJECTED = "rejected", "Not adopted"

    class Reason(models.TextChoices):
        DISPUTE_FINDING = "dispute_finding", "A disagreement found the compact unclear"
        REVIEW = "review", "A review of the compact"
        CIRCUMSTANCES = "circumstances", "Changing circumstances"
        OTHER = "other", "Another reason"

    class Target(models.TextChoices):
        STANDARD_SUMMARY = "standard_summary", "A standard's wording"
        STANDARD_PERIOD = "standard_period", "A standard's period (its number)"
        UNDERTAKING = "undertaking", "An undertaking's wording"
        OUTCOME = "outcome", "An outcome's wording"

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="revisions")
    based_on = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    reason_kind = models.CharField(max_length=20, choices=Reason.choices)
    reason = models.TextField()
    target = models.CharField(max_length=20, choices=Target.choices)
    target_id = models.SlugField(max_length=80)
    new_text = models.TextField(blank=True)
    new_count = models.PositiveIntegerField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    decided_on = models.DateField(null=True, blank=True)
    adopted_version = models.ForeignKey(
        CompactVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["compact", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:revision", kwargs={"compact": self.compact.slug, "pk": self.pk})


class GovernanceEvent(models.Model):
    """Append-only history of governance state changes: who, when, what."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="+")
    kind = models.SlugField(max_length=60)
    subject = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["compact", "at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Governance history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Governance history is append-only")


class Post(models.Model):
    """News, a joint event or a joint training session of the compact."""

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        EVENT = "event", "Joint event"
        TRAINING = "training", "Joint training"

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_on = models.DateField()
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    places = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["compact", "published_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:post", kwargs={"compact": self.compact.slug, "pk": self.pk})

    @property
    def is_event(self) -> bool:
        return self.kind != self.Kind.NEWS


class SignUp(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="governance_signup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.post}"


class Story(models.Model):
    """A short example of the compact working, or not, for the support team to publish."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for the support team"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Not published"

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="stories")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()
    worked = models.BooleanField(help_text="Did the compact work here?")
    code = models.ForeignKey(
        Code, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title


class Concern(models.Model):
    """A concern one organisation raises directly with another about an undertaking or
    standard, and the other's reply: the first step before any formal route. Seen only
    by the two organisations' members."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="concerns")
    raised_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    raised_with = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="concerns_received"
    )
    undertaking = models.ForeignKey(
        "compacts.Undertaking", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    standard = models.ForeignKey(
        Standard, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(max_length=200)
    text = models.TextField()
    suggestion = models.TextField(blank=True)
    raised_on = models.DateField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField(blank=True)
    replied_on = models.DateField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(raised_by_organisation=models.F("raised_with")),
                name="concern_between_two_organisations",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("governance:concern", kwargs={"compact": self.compact.slug, "pk": self.pk})


class Subscription(models.Model):
    """Someone who wants a compact's news and events: one digest a week at most."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="governance_subscriptions"
    )
    compact = models.ForeignKey(Compact, on_delete=models.CASCADE, related_name="+")
    created_on = models.DateField()
    last_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "compact"], name="governance_subscription_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.compact}"
