"""Organisations that take part in compacts, the people who act for them, the roles the
compacts give people, and the pledge: who has signed which compact, and who withdrew.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from localcompact.compacts.models import Compact, CompactVersion


class Sector(models.TextChoices):
    PUBLIC = "public", "Public sector"
    VCS = "vcs", "Voluntary and community sector"
    PRIVATE = "private", "Private sector"


class Kind(models.TextChoices):
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    NHS = "nhs", "NHS body"
    OTHER_STATUTORY = "other_statutory", "Other statutory body"
    REGISTERED_CHARITY = "registered_charity", "Registered charity"
    COMMUNITY_GROUP = "community_group", "Community group"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    FAITH_GROUP = "faith_group", "Faith group"
    INFRASTRUCTURE = "infrastructure", "Infrastructure or umbrella body"
    TENANTS_RESIDENTS = "tenants_residents", "Tenants' or residents' association"
    BUSINESS = "business", "Business"
    OTHER = "other", "Other"


# The kinds of organisation that count as community groups where a compact treats them
# apart (Redcar & Cleveland, 002_41c5fa4d4a1baeb0.txt, Community groups and neighbourhoods
# code: local, often neighbourhood-based groups, constituted or not; a tenants' or
# residents' association is one such neighbourhood group).
COMMUNITY_GROUP_KINDS = ("community_group", "tenants_residents")


class IncomeBand(models.TextChoices):
    """Size by yearly income: the compacts ask that small and large voices weigh alike."""

    UNKNOWN = "", "Not stated"
    UNDER_10K = "under_10k", "Under £10,000"
    FROM_10K = "10k_100k", "£10,000 to £100,000"
    FROM_100K = "100k_1m", "£100,000 to £1 million"
    FROM_1M = "1m_10m", "£1 million to £10 million"
    OVER_10M = "over_10m", "Over £10 million"


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    sector = models.CharField(max_length=10, choices=Sector.choices)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)

    bme_led = models.BooleanField(
        "Led by and for black and minority ethnic communities", default=False
    )
    equality_and_diversity = models.BooleanField(
        "An equality and diversity organisation", default=False
    )
    receives_public_funding = models.BooleanField(default=False)
    has_equality_policy = models.BooleanField(
        "Has an equality and diversity policy or statement", default=False
    )
    # A small group with no governing document and no registration, registered here with
    # minimal details and no identifier (002_41c5fa4d4a1baeb0.txt, Community groups and
    # neighbourhoods code, introduction: such groups are part of the compact).
    unconstituted = models.BooleanField("An unconstituted community group", default=False)

    area_served = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    public_email = models.EmailField(blank=True)
    public_phone = models.CharField(max_length=40, blank=True)
    income_band = models.CharField(
        max_length=20, choices=IncomeBand.choices, default=IncomeBand.UNKNOWN, blank=True
    )

    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["sector", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    @property
    def is_community_group(self) -> bool:
        """A community group, for the extra time a compact may give such groups."""
        return self.unconstituted or self.kind in COMMUNITY_GROUP_KINDS

    @property
    def flags(self) -> set[str]:
        """The flags seat quotas and reports use, as the rules package names them."""
        flags = set()
        if self.bme_led:
            flags.add("bme_led")
        if self.equality_and_diversity:
            flags.add("equality_and_diversity")
        flags.add("receives_public_funding" if self.receives_public_funding else "unfunded")
        if self.kind == Kind.INFRASTRUCTURE:
            flags.add("infrastructure")
        return flags


class Scheme(models.TextChoices):
    """Identifier schemes, by their org-id.guide prefixes."""

    CHARITY_ENGLAND_WALES = "GB-CHC", "Charity Commission for England and Wales"
    CHARITY_SCOTLAND = "GB-SC", "Scottish Charity Regulator"
    CHARITY_NORTHERN_IRELAND = "GB-NIC", "Charity Commission for Northern Ireland"
    COMPANY = "GB-COH", "Companies House"
    MUTUAL = "GB-MPR", "Mutuals Public Register"
    LOCAL_AUTHORITY_ENGLAND = "GB-LAE", "Local authority (England)"
    LOCAL_AUTHORITY_WALES = "GB-LAW", "Local authority (Wales)"
    LOCAL_AUTHORITY_SCOTLAND = "GB-LAS", "Local authority (Scotland)"
    LOCAL_AUTHORITY_NI = "GB-LANI", "Local authority (Northern Ireland)"
    NHS = "GB-NHS", "NHS organisation (ODS code)"
    GOVERNMENT = "GB-GOR", "Government Organisation Register"


# What a value looks like in each scheme (after spaces are removed and letters upper-cased).
SCHEME_PATTERNS = {
    Scheme.CHARITY_ENGLAND_WALES: r"[0-9]{6,8}(-[0-9]+)?",
    Scheme.CHARITY_SCOTLAND: r"SC[0-9]{6}",
    Scheme.CHARITY_NORTHERN_IRELAND: r"(NIC)?[0-9]{5,6}",
    Scheme.COMPANY: r"([0-9]{8}|(SC|NI|OC|SO|NC|RC|IP|SP|CE|CS|FC)[0-9]{6})",
    Scheme.MUTUAL: r"[0-9A-Z]{1,10}",
    Scheme.LOCAL_AUTHORITY_ENGLAND: r"[A-Z]{3,4}",
    Scheme.LOCAL_AUTHORITY_WALES: r"[A-Z]{3,4}",
    Scheme.LOCAL_AUTHORITY_SCOTLAND: r"[A-Z]{3,4}",
    Scheme.LOCAL_AUTHORITY_NI: r"[A-Z]{3,4}",
    Scheme.NHS: r"[0-9A-Z]{3,5}",
    Scheme.GOVERNMENT: r"GOR[0-9]{4}",
}


def normalise_identifier(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


class Identifier(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    value = models.CharField(max_length=40)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique")
        ]
        indexes = [models.Index(fields=["value"])]

    def __str__(self) -> str:
        return self.org_id

    @property
    def org_id(self) -> str:
        """The identifier as org-id writes it, e.g. GB-CHC-1234567."""
        return f"{self.scheme}-{self.value}"


class Role(models.TextChoices):
    """What a person may do for an organisation; each role includes the ones before it."""

    MEMBER = "member", "Member (sees the organisation's private pages)"
    OFFICER = "officer", "Officer (acts for the organisation)"
    ADMINISTRATOR = "administrator", "Administrator (also manages members and signs)"


ACTING_ROLES = (Role.OFFICER, Role.ADMINISTRATOR)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"

    @property
    def acts(self) -> bool:
        return self.role in ACTING_ROLES


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation; the token is stored hashed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.organisation} for {self.email}"


class CompactRoleKind(models.TextChoices):
    SUPPORT_TEAM = "support_team", "Compact support team"
    STEERING_GROUP = "steering_group", "Steering group member"
    SUBGROUP_CHAIR = "subgroup_chair", "Dispute subgroup chair"
    SUBGROUP_MEMBER = "subgroup_member", "Dispute subgroup member"
    MEDIATOR = "mediator", "Mediator"


# Roles whose holders must use two-factor authentication.
MFA_ROLES = (
    CompactRoleKind.SUPPORT_TEAM,
    CompactRoleKind.SUBGROUP_CHAIR,
    CompactRoleKind.SUBGROUP_MEMBER,
)


class CompactRoleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class CompactRole(models.Model):
    """A role a compact gives a person, granted by its support team and recorded.

    A mediator is appointed for one case: `case` names it (the disagreements app links
    its cases here by their reference).
    """

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="compact_roles"
    )
    kind = models.CharField(max_length=20, choices=CompactRoleKind.choices)
    case = models.CharField(max_length=40, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CompactRoleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "user", "kind", "case"],
                condition=Q(revoked_at__isnull=True),
                name="compact_role_current_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()} of {self.compact}"


class SignatureQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_on__isnull=True)


class Signature(models.Model):
    """An organisation's pledge to a compact: signed online or received on paper.

    At most one current (not withdrawn) signature per organisation and compact; a
    withdrawal ends it, and signing again later makes a new one, so the register shows
    the whole story.
    """

    class Method(models.TextChoices):
        ONLINE = "online", "Signed online"
        PAPER = "paper", "Paper pledge received"

    compact = models.ForeignKey(Compact, on_delete=models.PROTECT, related_name="signatures")
    version = models.ForeignKey(CompactVersion, on_delete=models.PROTECT, related_name="signatures")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="signatures"
    )
    organisation_name = models.CharField(
        max_length=200, help_text="The organisation's full name as signed"
    )
    signatory_name = models.CharField(max_length=200)
    signatory_position = models.CharField(max_length=200)
    signed_on = models.DateField()
    method = models.CharField(max_length=10, choices=Method.choices)
    received_on = models.DateField(null=True, blank=True, help_text="Paper pledges")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SignatureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "organisation"],
                condition=Q(withdrawn_on__isnull=True),
                name="signature_one_current_per_compact",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("signed_on")),
                name="signature_withdrawn_after_signed",
            ),
        ]
        indexes = [models.Index(fields=["compact", "withdrawn_on"])]

    def __str__(self) -> str:
        return f"{self.organisation_name} signed {self.compact} on {self.signed_on}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None


class Claim(models.Model):
    """A person's request to act for an organisation already on the site.

    Its administrators decide; when it has none, the compact support team does.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_claims"
    )
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    role_given = models.CharField(max_length=20, choices=Role.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="claim_one_pending_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} claims {self.organisation} ({self.status})"
