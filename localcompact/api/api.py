"""The HTTP API: read access to everything public without signing in; personal tokens
(see `models.ApiToken`) for an organisation's own records and for writes, which go
through the same services and permission rules as the web pages.

The OpenAPI schema is served at /api/openapi.json, its interactive documentation at
/api/docs, and the guide at /api/. Every error has the body `schemas.Error`.
"""

import math

from csp.decorators import csp_update
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from .auth import PublicRate, TokenRate
from .errors import Invalid
from .idempotency import replayed_header_declare
from .schemas import FieldError


class LocalCompactApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """django-ninja's schema, with the `Idempotent-Replayed` answer header declared on
        every successful answer of an operation that takes an `Idempotency-Key`."""
        return replayed_header_declare(super().get_openapi_schema(**kwargs))


api = LocalCompactApi(
    title="LocalCompact API",
    version="1",
    description=(
        "The compacts, their standards and compliance figures, the register of "
        "organisations, consultations, meetings and awards; with a personal token, an "
        "organisation's obligations, and writes: activities, consultations and responses, "
        "meetings, awards and payments. Lists are paginated (`page`, `page_size`); errors "
        "have a `detail` message and, for invalid input, an `errors` list naming each "
        "value to fix; a write the object's state does not allow (a closed consultation, "
        "a payment already paid) is 409. "
        "Every write takes an optional `Idempotency-Key` header: sent again with the same "
        "key, a write that was made is answered again (`Idempotent-Replayed: true`), not "
        "done twice. "
        "Requests are rate limited; over the limit, the answer is 429 with `Retry-After`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[PublicRate(), TokenRate()],
    # Swagger UI (from django-ninja's own static files, no CDN) sets style attributes.
    docs_decorator=csp_update({"style-src": ["'self'", "'unsafe-inline'"]}),
)


def _error(request, status: int, detail: str, errors=(), headers=None):
    response = api.create_response(
        request, {"detail": detail, "errors": [dict(e) for e in errors]}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _where(loc) -> str:
    """'query.page', 'body.title': a body's values are named without the name of the
    operation's body parameter (each operation has at most one)."""
    parts = [str(part) for part in loc if part != ""]
    if len(parts) > 2 and parts[0] == "body":
        del parts[1]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def invalid(request, exc: NinjaValidationError):
    errors = [
        FieldError(field=_where(e.get("loc", ())), message=e.get("msg", "Invalid value"))
        for e in exc.errors
    ]
    listed = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    return _error(request, 422, f"Some values are not valid. {listed}", errors)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(
        request,
        401,
        "This needs a valid personal API token in the Authorization header "
        "(Bearer lc_...); the token may have been revoked or have expired",
        headers={"WWW-Authenticate": 'Bearer realm="LocalCompact"'},
    )


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    wait = math.ceil(exc.wait) if exc.wait else 60
    return _error(
        request,
        429,
        f"Too many requests. Try again in {wait} seconds",
        headers={"Retry-After": str(wait)},
    )


@api.exception_handler(Invalid)
def refused_input(request, exc: Invalid):
    errors = [FieldError(field=field.rstrip("."), message=message) for field, message in exc.errors]
    listed = "; ".join(e.message for e in errors[:5])
    return _error(request, 422, f"The request was refused. {listed}", errors)


@api.exception_handler(OverflowError)
def out_of_range(request, exc: OverflowError):
    """A date so far away that the compact's deadlines counted from it fall outside the
    calendar: nothing was written (the services are atomic)."""
    errors = [FieldError(field="body", message="A date is too far away to count deadlines from")]
    return _error(
        request, 422, "The request was refused. A date is too far in the past or future", errors
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc.message))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, str(exc) if str(exc) else "Not found")


@api.exception_handler(DjangoValidationError)
def refused(request, exc: DjangoValidationError):
    return _error(request, 422, " ".join(exc.messages))


from . import private, public, records, writes  # noqa: E402  (routers register on `api`)

api.add_router("", public.router)
api.add_router("", records.router)
api.add_router("", private.router)
api.add_router("", writes.router)
