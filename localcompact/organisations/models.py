"""Organisations that take part in compacts, and the people who act for them.

This is the part the obligations spine needs (who owes, who is owed, who acts for
whom). Identifiers, flags, the pledge and the public register build on it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Sector(models.TextChoices):
    PUBLIC = "public", "Public sector"
    VCS = "vcs", "Voluntary and community sector"
    PRIVATE = "private", "Private sector"


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    sector = models.CharField(max_length=10, choices=Sector.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a person may do for an organisation; each role includes the ones before it."""

    MEMBER = "member", "Member (sees the organisation's private pages)"
    OFFICER = "officer", "Officer (acts for the organisation)"
    ADMINISTRATOR = "administrator", "Administrator (also manages members)"


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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"

    @property
    def acts(self) -> bool:
        return self.role in ACTING_ROLES


def acting_filter(prefix: str = "") -> Q:
    return Q(**{f"{prefix}role__in": ACTING_ROLES})
