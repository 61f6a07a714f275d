"""`Idempotency-Key` on writes: a write sent again with the same key is answered as the
first time, and not done again (after the IETF draft "The Idempotency-Key HTTP Header
Field").

An answer can be lost after its write was committed (the connection drops, the database
goes away before the answer is made): a program that sends the write again would make a
second record. With a key, each write operation (decorated with `idempotent`) runs in one
transaction together with an `IdempotentWrite` row that keeps its answer, so either both
are committed or neither is:

- a key not seen before: the write is done; a successful (2xx) answer is kept, an error
  answer is not (and nothing the write did is kept either), so the request may be sent
  again;
- the same key, method, path and body (its SHA-256) as a kept answer: that answer again,
  same status and body, with `Idempotent-Replayed: true`; nothing is done;
- the same key with a different method, path or body: 422;
- the same key while the first request is still being done: 409 (PostgreSQL: a
  transaction-scoped advisory lock taken without waiting; SQLite takes its write lock when
  the transaction begins, so the second waits for the first and is then answered as
  above; either way the unique (token, key) constraint is the last word).

Keys belong to the token that sent them and are kept for `KEPT_FOR` (`idempotency_purge`,
run daily by `manage.py purge_idempotency_keys`).
"""

import datetime as dt
import functools
import hashlib
import json

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from ninja import Header
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.utils import contribute_operation_args

from .errors import Invalid
from .models import IdempotentWrite

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_FOR = dt.timedelta(hours=24)
WHERE = f"header.{HEADER}"

DESCRIPTION = (
    "Optional. A key of your choosing, unique to this write (a UUID, say): 1 to 255 "
    "printable ASCII characters, no spaces at either end (a quoted structured-field "
    "string is also accepted). If the answer is lost, send the same request again with "
    "the same key: once the first has succeeded, its answer is sent again, with "
    "`Idempotent-Replayed: true`, and nothing is done twice. The same key with a "
    "different method, path or body is refused (422); while the first request is still "
    "being done, the second is refused (409). Error answers are not kept, so a request "
    "refused may be sent again with the same key. Keys are kept for 24 hours, for each "
    "token separately."
)

# In the OpenAPI schema; the key's characters are checked by `key_clean`, with a clearer
# message than a pattern's.
_PARAMETER = Header(
    None,
    alias=HEADER,
    description=DESCRIPTION,
    max_length=255,
    example="5b6f0b0e-6c1a-4d51-9a70-3f2b8e1c9d47",
)


def replayed_header_declare(schema: dict) -> dict:
    """Declare `Idempotent-Replayed` on the 2xx answers of every operation that takes the
    key (django-ninja has no way to declare an answer's headers)."""
    header = {
        "description": "`true` when this is the answer kept for an earlier request with "
        "the same Idempotency-Key, sent again; the write was not done again. Absent "
        "otherwise.",
        "required": False,
        "schema": {"type": "string", "enum": ["true"]},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            names = {p.get("name") for p in operation.get("parameters", ())}
            if HEADER not in names:
                continue
            for status, answer in operation.get("responses", {}).items():
                if str(status).startswith("2"):
                    answer.setdefault("headers", {})[REPLAYED] = header
    return schema


def key_clean(value: str) -> str:
    """The key in the header, or Invalid naming what to fix."""
    if len(value) >= 2 and value[0] == value[-1] == '"':  # an sf-string
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if not value:
        raise Invalid([(WHERE, f"The {HEADER} header is empty: give a key, or leave it out")])
    if len(value) > 255:
        raise Invalid([(WHERE, f"The {HEADER} must be at most 255 characters long")])
    if not all(" " <= c <= "~" for c in value) or value != value.strip(" "):
        raise Invalid(
            [
                (
                    WHERE,
                    f"The {HEADER} may only have printable ASCII characters (letters, "
                    "digits, punctuation, spaces but not at either end)",
                )
            ]
        )
    return value


def lock_id(token_pk: int, key: str) -> int:
    """The PostgreSQL advisory lock of a token's key (64 bits of a SHA-256)."""
    digest = hashlib.sha256(f"api.idempotency:{token_pk}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_taken(token_pk: int, key: str) -> bool:
    """PostgreSQL: take this key's advisory lock for the transaction, without waiting;
    False if another request holds it. Elsewhere the database's own locking serialises
    writers (SQLite: `transaction_mode` IMMEDIATE), so True."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id(token_pk, key)])
        return bool(cursor.fetchone()[0])


def _in_flight() -> HttpError:
    return HttpError(
        409,
        f"A request with this {HEADER} is still being done. Wait for its answer, then "
        "send the request again with the same key",
    )


def _replay(request, kept: IdempotentWrite):
    from .api import api

    response = api.create_response(request, kept.response, status=kept.status)
    response[REPLAYED] = "true"
    return response


def _claimed(view):
    """The view, after the key's own checks: replay, refuse, or claim the key."""

    @functools.wraps(view)
    def checked(request, *args, idempotency_key: str | None = None, **kwargs):
        if idempotency_key is None:
            return view(request, *args, **kwargs)
        key = key_clean(idempotency_key)
        token = request.auth
        if not transaction.get_connection().in_atomic_block:  # pragma: no cover
            raise RuntimeError("idempotent views run inside `_atomic_when_keyed`")
        if not _lock_taken(token.pk, key):
            raise _in_flight()
        fingerprint = hashlib.sha256(request.body).hexdigest()
        kept = IdempotentWrite.objects.filter(token=token, key=key).first()
        if kept is not None:
            if (kept.method, kept.path, kept.fingerprint) != (
                request.method,
                request.path,
                fingerprint,
            ):
                raise Invalid(
                    [
                        (
                            WHERE,
                            f"This {HEADER} was already used for a different request "
                            f"({kept.method} {kept.path}, or another body). Use a new key "
                            "for a new request",
                        )
                    ]
                )
            request.idempotency_claim = None
            return _replay(request, kept)
        # the key this request may use: saved with the answer once the write has succeeded
        request.idempotency_claim = IdempotentWrite(
            token=token, key=key, method=request.method, path=request.path, fingerprint=fingerprint
        )
        return view(request, *args, **kwargs)

    contribute_operation_args(checked, "idempotency_key", str | None, _PARAMETER)
    return checked


def _atomic_when_keyed(run):
    """Around the whole operation (authentication, the view, its answer made into JSON):
    with a key, one transaction, which keeps a successful answer and undoes anything an
    error answer leaves."""

    @functools.wraps(run)
    def operation(request, **kwargs):
        if HEADER not in request.headers:
            return run(request, **kwargs)
        with transaction.atomic():
            response = run(request, **kwargs)
            claim = getattr(request, "idempotency_claim", None)
            if claim is None:  # refused before the write, or answered again
                return response
            if not 200 <= response.status_code < 300:
                transaction.set_rollback(True)
                return response
            claim.status = response.status_code
            claim.response = json.loads(response.content)
            claim.created_at = timezone.now()
            try:
                with transaction.atomic():
                    claim.save(force_insert=True)
            except IntegrityError:
                # another request with this key was kept first: undo this one
                transaction.set_rollback(True)
                from .api import http_error

                return http_error(request, _in_flight())
        return response

    return operation


def idempotent(view):
    """A write operation that takes an `Idempotency-Key` (under `@router.post` etc.)."""
    return decorate_view(_atomic_when_keyed)(_claimed(view))


def idempotency_purge(*, now: dt.datetime) -> int:
    """Forget the keys older than `KEPT_FOR`; the number forgotten."""
    deleted, _ = IdempotentWrite.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
