"""The API's part of a person's data (see localcompact.accounts.personal_data).

A person's API tokens act as them, so erasure deletes them all, with the answers kept
for their writes' `Idempotency-Key`s; the download lists the tokens without their
digests (the token itself was never kept) and the keyed writes without the answers
(copies of records the download has elsewhere).
"""

from localcompact.core.logging import audit_log

from .models import ApiToken, IdempotentWrite


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
        ],
        "api_writes_with_idempotency_keys": [
            {
                "token": f"lc_{w.token.prefix}",
                "key": w.key,
                "request": f"{w.method} {w.path}",
                "status": w.status,
                "made": _iso(w.created_at),
            }
            for w in IdempotentWrite.objects.filter(token__user=user)
            .select_related("token")
            .order_by("created_at", "pk")
        ],
    }


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    keys, _ = IdempotentWrite.objects.filter(token__user=user).delete()
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    audit_log(
        "api.personal_data_erased",
        user=user,
        by=by,
        tokens_deleted=deleted,
        kept_answers_deleted=keys,
    )
    return {"API tokens deleted": deleted, "API idempotency keys deleted": keys}
