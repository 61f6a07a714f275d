"""Partnership groups and their meetings: the third level of participation (deciding and
acting together, Herefordshire code 003, section 11), and the confidentiality and
freedom-of-information promises that go with it (003, section 12).

A group lives under a compact; its terms of reference gate its decision-making
meetings. Records that a standard of the compact applies to (a group, a year's meeting
calendar, a meeting, a request to act, a freedom-of-information request) declare their
obligations through `obligations_declared`, built in `sources.py` from the compact's
own standards; the services call `obligations_sync` after every change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localcompact.compacts.models import Compact
from localcompact.core.uploads import UploadedDocument
from localcompact.organisations.models import Organisation


class GroupKind(models.TextChoices):
    BOARD = "board", "Partnership board"
    WORKING_GROUP = "working_group", "Working group"
    FORUM = "forum", "Forum"


class Authority(models.TextChoices):
    DECIDES = "decides", "Makes decisions"
    ADVISES = "advises", "Gives advice"
    COMMENTS = "comments", "Comments"


class DecisionMethod(models.TextChoices):
    CONSENSUS = "consensus", "Consensus"
    MAJORITY = "majority", "Majority vote"


class Finality(models.TextChoices):
    FINAL = "final", "Final"
    CAN_BE_OVERTURNED = "can_be_overturned", "Can be overturned elsewhere"


class PartnershipGroupQuerySet(models.QuerySet):
    def current(self):
        return self.filter(closed_on__isnull=True)


class PartnershipGroup(models.Model):
    """A board, working group or forum, convened by one organisation under a compact."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="groups")
    convener = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="convened_groups",
        help_text="The organisation that runs the group; its officers manage it",
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    set_up_on = models.DateField()

    # Terms of reference (003, 11.2.4); blank until stated.
    aims_and_tasks = models.TextField(blank=True)
    authority = models.CharField(max_length=20, choices=Authority.choices, blank=True)
    decision_method = models.CharField(max_length=20, choices=DecisionMethod.choices, blank=True)
    finality = models.CharField(max_length=20, choices=Finality.choices, blank=True)
    overturned_where = models.CharField(
        max_length=300, blank=True, help_text="Where its decisions can be overturned, if they can"
    )
    quorum = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Voting members present needed to decide"
    )
    representation_sought = models.TextField(
        blank=True, help_text="Whose interests the group needs represented (003, Representing 3.3)"
    )
    electronic_means = models.CharField(
        max_length=200, blank=True, help_text="E-mail, video calls...: how it may decide remotely"
    )
    terms_complete_on = models.DateField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(null=True, blank=True)

    objects = PartnershipGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["compact", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum__isnull=True) | Q(quorum__gte=1), name="group_quorum_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:group", kwargs={"slug": self.slug})

    @property
    def terms_complete(self) -> bool:
        return self.terms_complete_on is not None

    def obligations_declared(self):
        from .sources import group_declared

        return group_declared(self)


class Role(models.TextChoices):
    DECISION_MAKING = "decision_making", "Decision-making"
    ADVISORY = "advisory", "Advisory"


class Represents(models.TextChoices):
    OWN_ORGANISATION = "own_organisation", "Their own organisation"
    WIDER_CONSTITUENCY = "wider_constituency", "A wider constituency"


class GroupMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)

    def voting(self):
        return self.filter(voting=True)


class GroupMember(models.Model):
    """A person sitting on a group for an organisation, with a role and a vote or not."""

    group = models.ForeignKey(PartnershipGroup, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="group_seats"
    )
    name = models.CharField(max_length=200, help_text="The person's name")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_seats",
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    voting = models.BooleanField()
    represents = models.CharField(max_length=30, choices=Represents.choices)
    constituency = models.CharField(
        max_length=300, blank=True, help_text="The wider constituency represented, if any"
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    access_confirmed_on = models.DateField(
        null=True, blank=True, help_text="Confirmed access to the group's electronic means"
    )
    access_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(represents="wider_constituency") | ~Q(constituency=""),
                name="group_member_constituency_named",
            ),
            models.CheckConstraint(
                condition=~Q(role="advisory") | Q(voting=False),
                name="group_member_advisers_do_not_vote",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    @property
    def represents_text(self) -> str:
        if self.represents == Represents.WIDER_CONSTITUENCY:
            return self.constituency
        return self.organisation.name


class RegisteredInterest(models.Model):
    """An entry in a member's register of interests (003, 11.2.6)."""

    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="interests")
    description = models.CharField(max_length=500)
    registered_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-registered_on", "pk"]

    def __str__(self) -> str:
        return self.description


class Nomination(models.Model):
    """A group asks an infrastructure body to nominate a representative of a wider
    constituency (003, 11.2.2 and Representing 3.4-3.5)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Asked for"
        NOMINATED = "nominated", "Nominated"
        WITHDRAWN = "withdrawn", "Withdrawn"

    group = models.ForeignKey(
        PartnershipGroup, on_delete=models.CASCADE, related_name="nominations"
    )
    infrastructure_body = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="nominations_asked"
    )
    constituency = models.CharField(max_length=300)
    role_description = models.TextField()
    requested_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    nominee_name = models.CharField(max_length=200, blank=True)
    nominated_on = models.DateField(null=True, blank=True)
    term_starts_on = models.DateField(null=True, blank=True)
    term_ends_on = models.DateField(null=True, blank=True)
    member = models.OneToOneField(
        GroupMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="nomination"
    )

    class Meta:
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_ends_on__isnull=True)
                | Q(term_starts_on__isnull=True)
                | Q(term_ends_on__gt=models.F("term_starts_on")),
                name="nomination_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"Nomination for {self.constituency} on {self.group}"


class YearKind(models.TextChoices):
    CALENDAR = "calendar", "Calendar year"
    FINANCIAL = "financial", "Financial year"


class MeetingCalendar(models.Model):
    """A group's meeting dates for one calendar or financial year (003, 11.2.3)."""

    group = models.ForeignKey(PartnershipGroup, on_delete=models.CASCADE, related_name="calendars")
    year_kind = models.CharField(max_length=20, choices=YearKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["group", "starts_on"], name="calendar_one_per_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="calendar_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.label}"

    def get_absolute_url(self) -> str:
        return self.group.get_absolute_url() + f"#calendar-{self.pk}"

    @property
    def label(self) -> str:
        if self.year_kind == YearKind.FINANCIAL:
            return f"financial year {self.starts_on.year}–{str(self.ends_on.year)[-2:]}"
        return f"calendar year {self.starts_on.year}"

    def obligations_declared(self):
        from .sources import calendar_declared

        return calendar_declared(self)


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, today):
        return self.filter(starts_at__date__gte=today, cancelled_on__isnull=True)


class Meeting(models.Model):
    group = models.ForeignKey(PartnershipGroup, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    decision_making = models.BooleanField(
        default=True, help_text="Decisions may be taken (needs complete terms of reference)"
    )
    notice_given_on = models.DateField(null=True, blank=True)
    short_notice_reason = models.TextField(blank=True)
    attendance_recorded = models.BooleanField(default=False)
    held = models.BooleanField(default=False)
    cancelled_on = models.DateField(null=True, blank=True)

    class Minutes(models.TextChoices):
        NONE = "none", "Not yet written"
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    minutes = models.TextField(blank=True)
    minutes_status = models.CharField(max_length=10, choices=Minutes.choices, default=Minutes.NONE)
    minutes_approved_on = models.DateField(null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["group", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title}, {self.starts_at:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:meeting", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def date(self):
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_status == self.Minutes.APPROVED

    def obligations_declared(self):
        from .sources import meeting_declared

        return meeting_declared(self)


class Sensitivity(models.TextChoices):
    NONE = "", "Not restricted"
    COMMERCIAL = "commercial", "Commercially sensitive"
    EMBARGOED = "embargoed", "Embargoed"
    CONFIDENTIAL = "confidential", "Confidential"


class Restricted(models.Model):
    """Something marked commercially sensitive, confidential or embargoed (003, 12.3-12.4).

    Only the group's participants see a restricted item (`visible_to` in selectors); an
    embargo lifts on its date, after which the item is seen as any other.
    """

    sensitivity = models.CharField(
        max_length=20, choices=Sensitivity.choices, default=Sensitivity.NONE, blank=True
    )
    embargo_until = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def restricted_on(self, day) -> bool:
        if self.sensitivity == Sensitivity.EMBARGOED:
            return self.embargo_until is None or day < self.embargo_until
        return bool(self.sensitivity)


class AgendaItem(Restricted):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Paper(Restricted):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="papers"
    )
    title = models.CharField(max_length=300)
    sent_on = models.DateField(null=True, blank=True)
    tabled = models.BooleanField(default=False)
    tabled_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tabled=False) | Q(sent_on__isnull=True), name="paper_tabled_not_sent"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PaperDocument(UploadedDocument):
    """A paper's file. Whoever may read the paper may download it: a restricted paper's
    file only the group's participants, as long as the restriction lasts."""

    paper = models.OneToOneField(Paper, on_delete=models.CASCADE, related_name="document")


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["member__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.get_status_display()}"


class Participation(models.TextChoices):
    LEFT_ROOM = "left_room", "Left the room"
    NO_PART = "no_part", "Stayed but took no part"
    TOOK_PART = "took_part", "Took part"


class Declaration(models.Model):
    """An interest declared on one agenda item, and how the member took part in it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="declarations")
    interest = models.CharField(max_length=500)
    participation = models.CharField(max_length=20, choices=Participation.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item__number", "pk"]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.interest}"


class Means(models.TextChoices):
    MEETING = "meeting", "At a meeting"
    EMAIL = "email", "By e-mail"
    VIDEO = "video", "By video conference"


ELECTRONIC_MEANS = (Means.EMAIL, Means.VIDEO)


class Decision(models.Model):
    group = models.ForeignKey(PartnershipGroup, on_delete=models.PROTECT, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.TextField()
    means = models.CharField(max_length=20, choices=Means.choices, default=Means.MEETING)
    method = models.CharField(max_length=20, choices=DecisionMethod.choices)
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="consensus")
                | (Q(votes_for__isnull=False) & Q(votes_against__isnull=False)),
                name="decision_vote_has_counts",
            ),
            models.CheckConstraint(
                condition=~Q(means="meeting") | Q(meeting__isnull=False),
                name="decision_at_meeting_names_it",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def carried(self) -> bool | None:
        if self.method != DecisionMethod.MAJORITY:
            return None
        return (self.votes_for or 0) > (self.votes_against or 0)


class Objection(models.Model):
    """An objection to a decision, minuted with how the difference will be represented
    outside the meeting (003, 11.2.8)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="objections")
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="objections")
    objection = models.TextField()
    how_represented = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Objection by {self.member.name}"


class GroupEvent(models.Model):
    """The group's history: append-only (never updated, never deleted)."""

    group = models.ForeignKey(PartnershipGroup, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=60)
    text = models.CharField(max_length=500)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["group", "at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Group history is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Group history is append-only")


# Acting (003, 11.3) ----------------------------------------------------------------------


class RequestToAct(models.Model):
    """A notice or request from one partner to another to act by a date (003, 11.3.1)."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="requests_to_act")
    group = models.ForeignKey(
        PartnershipGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests_to_act",
    )
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="requests_to_act_sent"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="requests_to_act_received"
    )
    title = models.CharField(max_length=200)
    details = models.TextField()
    received_on = models.DateField()
    action_due_on = models.DateField()
    emergency = models.BooleanField(default=False)
    emergency_reason = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action_due_on__gte=models.F("received_on")),
                name="request_due_after_received",
            ),
            models.CheckConstraint(
                condition=Q(emergency=False) | ~Q(emergency_reason=""),
                name="request_emergency_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:request", kwargs={"pk": self.pk})

    def obligations_declared(self):
        from .sources import request_declared

        return request_declared(self)


class WithheldReport(models.Model):
    """A partner's report that another withheld information it needed, putting it at
    risk (003, 11.3.3): a matter for the compact's steering group and support team."""

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="withheld_reports")
    group = models.ForeignKey(
        PartnershipGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="withheld_reports_made"
    )
    about = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="withheld_reports_about"
    )
    information = models.TextField(help_text="What was withheld")
    risk = models.TextField(help_text="The risk it caused")
    reported_on = models.DateField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    considered_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    considered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-reported_on", "-pk"]
        indexes = [models.Index(fields=["compact", "considered_on"])]

    def __str__(self) -> str:
        return f"Information withheld by {self.about}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:withheld", kwargs={"pk": self.pk})


# Confidentiality and freedom of information (003, 12) -----------------------------------


class Consent(models.Model):
    """Consent to pass on information about an organisation to someone else (003, 12.1)."""

    class Status(models.TextChoices):
        ASKED = "asked", "Asked for"
        GIVEN = "given", "Given"
        REFUSED = "refused", "Refused"
        LEGAL_REQUIREMENT = "legal", "Passed on as the law requires"

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consents_asked"
    )
    about = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consents_given")
    information = models.TextField()
    recipient = models.CharField(max_length=300, help_text="Who it would be passed to")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASKED)
    legal_basis = models.CharField(max_length=300, blank=True)
    asked_on = models.DateField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-asked_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="legal") | ~Q(legal_basis=""), name="consent_legal_basis"
            )
        ]

    def __str__(self) -> str:
        return f"Consent of {self.about} for {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:consent", kwargs={"pk": self.pk})


class FoiRequest(models.Model):
    """A freedom-of-information request to a public body that concerns a VCS
    organisation's material; the organisation may comment before disclosure (003, 12.3
    second)."""

    class Outcome(models.TextChoices):
        DISCLOSED = "disclosed", "Disclosed in full"
        PART = "part", "Disclosed in part"
        WITHHELD = "withheld", "Withheld"

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="+")
    public_body = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="foi_requests_received"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="foi_requests_about"
    )
    reference = models.CharField(max_length=60, blank=True)
    request_summary = models.TextField()
    material = models.TextField(help_text="The organisation's material the request concerns")
    received_on = models.DateField()
    disclosure_due_on = models.DateField()
    comment_invited_on = models.DateField()
    comment = models.TextField(blank=True)
    commented_on = models.DateField(null=True, blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "freedom of information request"

    def __str__(self) -> str:
        return f"FOI request {self.reference or self.pk} about {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:foi", kwargs={"pk": self.pk})

    def obligations_declared(self):
        from .sources import foi_declared

        return foi_declared(self)
