"""Who is calling: a personal token in `Authorization: Bearer lc_...`, and rate limits."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from localcompact.accounts.throttling import client_ip

from .models import ApiToken
from .services import token_authenticate


class TokenAuth(HttpBearer):
    """A personal API token; `request.auth` is the ApiToken."""

    openapi_description = (
        "A personal API token, made on the API tokens page (/api/tokens/): "
        "`Authorization: Bearer lc_...`"
    )

    def authenticate(self, request, token: str) -> ApiToken | None:
        found = token_authenticate(token, now=timezone.now())
        if found is not None:
            request.user = found.user
        return found


token_auth = TokenAuth()


def require_scope(request, scope: str) -> ApiToken:
    token = request.auth
    if not isinstance(token, ApiToken):
        raise HttpError(401, "This needs a personal API token")
    if not token.has_scope(scope):
        raise HttpError(403, f"This token was not given the '{scope}' scope")
    return token


def permitted(
    request,
    scope: str,
    queryset,
    *,
    missing: str,
    allowed: Callable,
    refusal: Callable,
    **lookup,
):
    """What every operation on someone's record checks, in this order: the token's scope
    (401/403), then the record (`queryset.filter(**lookup)`; 404 with `missing`), then the
    web pages' own permission (`allowed(user, record)`, else 403 with `refusal(record)`)."""
    require_scope(request, scope)
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(missing)
    if not allowed(request.user, found):
        raise HttpError(403, refusal(found))
    return found


class _FromSettings:
    """The rate is read from the settings on each request, so it can be changed without
    a restart of the import (and in tests); callers are told apart by their address as
    the project's other rate limits see it."""

    setting = ""

    def __init__(self):
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request):
        return client_ip(request) or "unknown"


class PublicRate(_FromSettings, AnonRateThrottle):
    setting = "API_RATE_PUBLIC"

    def get_cache_key(self, request):
        if isinstance(getattr(request, "auth", None), ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRate(_FromSettings, AuthRateThrottle):
    setting = "API_RATE_TOKEN"

    def get_cache_key(self, request):
        if not isinstance(getattr(request, "auth", None), ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": str(request.auth)}
