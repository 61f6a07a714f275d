"""Making, checking and revoking personal API tokens."""

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from localcompact.core.logging import audit_log

from .models import ApiToken, Scope

TOKEN_START = "lc_"  # noqa: S105  (the start of every token, not a secret)
TOKENS_PER_PERSON = 20


class Refused(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(
    *,
    user: AbstractBaseUser,
    name: str,
    scopes: list[str],
    expires_on: dt.date | None,
    now: dt.datetime,
) -> tuple[ApiToken, str]:
    """Make a token; return it and the token text, which is never stored or shown again."""
    name = " ".join(name.split())
    if not name:
        raise Refused("Enter a name for the token", field="name")
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise Refused("Choose what the token may do from the list", field="scopes")
    if expires_on is not None and expires_on <= timezone.localdate(now):
        raise Refused("The expiry date must be in the future", field="expires_on")
    usable = ApiToken.objects.select_for_update().filter(user=user).usable(now)
    if usable.count() >= TOKENS_PER_PERSON:
        raise Refused(
            f"You already have {TOKENS_PER_PERSON} tokens in use. Revoke one you no longer "
            "need first"
        )
    prefix = secrets.token_hex(4)
    text = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = None
    if expires_on is not None:
        expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time.min))
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=token_digest(text),
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=expires_at,
    )
    audit_log("api.token.created", api_token=token, scopes=",".join(token.scopes) or "-")
    return token, text


def token_authenticate(text: str, *, now: dt.datetime) -> ApiToken | None:
    """The usable token with this text, or None. Marks it used (at most once a minute)."""
    if not text.startswith(TOKEN_START) or len(text) > 100:
        return None
    token = (
        ApiToken.objects.usable(now)
        .select_related("user")
        .filter(digest=token_digest(text), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def token_revoke(*, token: ApiToken, by: AbstractBaseUser, now: dt.datetime) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise Refused("This token was already revoked")
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit_log("api.token.revoked", api_token=token)
    return token
