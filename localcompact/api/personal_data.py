"""The API's part of a person's data (see localcompact.accounts.personal_data).

A person's API tokens act as them, so erasure deletes them all; the download lists
them without their digests (the token itself was never kept).
"""

from localcompact.core.logging import audit_log

from .models import ApiToken


def _iso(value):
    return value.isoformat() if value is not None else None


def personal_data(sender=None, *, user, **kwargs) -> dict:
    return {
        "api_tokens": [
            {
                "name": t.name,
                "starts": f"lc_{t.prefix}",
                "scopes": t.scopes,
                "made": _iso(t.created_at),
                "expires": _iso(t.expires_at),
                "last_used": _iso(t.last_used_at),
                "revoked": _iso(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ]
    }


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    audit_log("api.personal_data_erased", user=user, by=by, tokens_deleted=deleted)
    return {"API tokens deleted": deleted}
