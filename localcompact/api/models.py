"""Personal API tokens: what lets a program act as a person, within the scopes chosen."""

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    """What a token may do beyond reading what is public. Each names the endpoints it
    opens in the API guide; a write still needs the person's own role (the same
    permission rules as the web pages)."""

    OBLIGATIONS_READ = "obligations:read", "Read the obligations of your organisations"
    ACTIVITIES_WRITE = "activities:write", "Record activities for organisations you act for"
    CONSULTATIONS_WRITE = (
        "consultations:write",
        "Plan and run consultations for organisations you act for",
    )
    RESPONSES_WRITE = (
        "responses:write",
        "Respond to consultations, as yourself or for organisations you act for",
    )
    MEETINGS_WRITE = "meetings:write", "Keep the meetings of compacts whose support team you are on"
    FUNDING_WRITE = (
        "funding:write",
        "Record awards and their payments for organisations you act for",
    )


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token. Only its SHA-256 digest is kept: the token itself is shown
    once, when made. `prefix` (the start of the token) lets its owner tell tokens
    apart and is what the pages show."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text="What it is for, to tell tokens apart")
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        # used by the rate limiter as the key of whoever is calling
        return f"api-token:{self.pk}"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [labels.get(scope, scope) for scope in self.scopes]


class IdempotentWrite(models.Model):
    """The answer to a write sent with an `Idempotency-Key` header, kept for a day so that
    the same request sent again (after a lost answer) is answered the same without being
    done twice (see `idempotency.py`). Written in the write's own transaction: it exists
    exactly when the write does. Only successful answers are kept."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="writes_kept")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the request body")
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotent_token_key")
        ]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"
