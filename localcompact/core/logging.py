"""Request context for log records, a key=value formatter and the audit log.

Every record that reaches the console handler carries the request id, the signed-in
user's id and the client's address (``-`` outside a request, as in the worker). The
audit logger, ``localcompact.audit``, records sign-ins, failed sign-ins, sign-outs,
permission refusals and, through :func:`audit_log`, the state changes services make.

What never goes in a log: passwords, tokens and other secrets, e-mail addresses, names
and user names. Users are identified by their id; a failed sign-in by a keyed digest of
the name that was tried, so that repeated attempts on one name can be told apart without
the name being readable.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.functional import LazyObject, empty

AUDIT_LOGGER_NAME = "localcompact.audit"
audit_logger = logging.getLogger(AUDIT_LOGGER_NAME)

NONE = "-"
SCRUBBED = "[scrubbed]"
EMAIL_MARK = "[email]"

# An incoming X-Request-ID is kept only if it is a short token of safe characters
# (a load balancer's id, a UUID); anything else is replaced by one of ours.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Field names whose values are never written: secrets and contact details.
SECRET_KEY_NAME = re.compile(
    r"pass|pwd|secret|token|(^|_)key($|_)|signature|credential|authori[sz]ation|cookie"
    r"|session|csrf|e_?mail|phone",
    re.IGNORECASE,
)
EMAIL_ADDRESS = re.compile(r"[^\s@<>()\"',;:]+@[^\s@<>()\"',;:]+\.[A-Za-z]{2,}")

_current_request: ContextVar[HttpRequest | None] = ContextVar(
    "localcompact_current_request", default=None
)


# Request context ------------------------------------------------------------------


def new_request_id() -> str:
    return secrets.token_hex(16)


def request_id_from_header(value: str | None) -> str:
    """The caller's request id if it is a safe short token, else a new one."""
    if value and SAFE_REQUEST_ID.fullmatch(value):
        return value
    return new_request_id()


def client_address(request: HttpRequest) -> str:
    """The client's address.

    Behind a trusted proxy (``BEHIND_PROXY``, which sets ``SECURE_PROXY_SSL_HEADER``) it
    is the last address the proxy appended to X-Forwarded-For; otherwise the peer.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or NONE


def user_id(request: HttpRequest | None, *, load: bool = False) -> str:
    """The signed-in user's id, or ``-``.

    Without ``load`` a user that the request has not looked up yet is not looked up
    here, so that writing a log line never queries the database.
    """
    if request is None:
        return NONE
    user = request.__dict__.get("user")
    if user is None:
        return NONE
    if not load and isinstance(user, LazyObject) and user._wrapped is empty:
        return NONE
    if getattr(user, "is_authenticated", False):
        return str(user.pk)
    return NONE


def current_request() -> HttpRequest | None:
    return _current_request.get()


def bind_request(request: HttpRequest):
    """Make ``request`` the current one for log records; returns the token to reset."""
    return _current_request.set(request)


def unbind_request(token) -> None:
    _current_request.reset(token)


def request_context(request: HttpRequest | None = None, *, load_user: bool = False) -> dict:
    """request_id, user_id and client_ip for a record (``-`` outside a request)."""
    request = request if request is not None else current_request()
    if request is None:
        return {"request_id": NONE, "user_id": NONE, "client_ip": NONE}
    return {
        "request_id": getattr(request, "request_id", None) or NONE,
        "user_id": user_id(request, load=load_user),
        "client_ip": client_address(request),
    }


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and client_ip to every record (unless already set)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not all(hasattr(record, name) for name in ("request_id", "user_id", "client_ip")):
            for name, value in request_context().items():
                if not hasattr(record, name):
                    setattr(record, name, value)
        return True


# Formatting -----------------------------------------------------------------------

_BARE_VALUE = re.compile(r"[A-Za-z0-9._:/+@-]+")
_UNSAFE_KEY_CHARS = re.compile(r"[^A-Za-z0-9_.]")


def _format_value(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    if _BARE_VALUE.fullmatch(text):
        return text
    # JSON quoting escapes quotes, newlines and non-ASCII characters, so no value can
    # forge a second line or a second field.
    return json.dumps(text, ensure_ascii=True)


class KeyValueFormatter(logging.Formatter):
    """One line per record: ``time=... level=... logger=... key=value ...`` (logfmt)."""

    def format(self, record: logging.LogRecord) -> str:
        time = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        pairs: list[tuple[str, object]] = [
            ("time", time.replace("+00:00", "Z")),
            ("level", record.levelname),
            ("logger", record.name),
        ]
        event = getattr(record, "event", None)
        if event:
            pairs.append(("event", event))
        else:
            pairs.append(("msg", record.getMessage()))
        for name in ("request_id", "user_id", "client_ip"):
            pairs.append((name, getattr(record, name, NONE)))
        fields = getattr(record, "audit_fields", None)
        if isinstance(fields, Mapping):
            pairs.extend(fields.items())
        if record.exc_info:
            pairs.append(("exc", self.formatException(record.exc_info)))
        elif record.stack_info:
            pairs.append(("stack", self.formatStack(record.stack_info)))
        return " ".join(
            f"{_UNSAFE_KEY_CHARS.sub('_', str(key))}={_format_value(value)}" for key, value in pairs
        )


# Scrubbing ------------------------------------------------------------------------


def scrub(value: Any, key: str = "") -> Any:
    """``value`` safe to log: secrets and e-mail addresses removed, models as ids."""
    if key and SECRET_KEY_NAME.search(key):
        return SCRUBBED
    if isinstance(value, Mapping):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub(item) for item in value]
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        # A model instance: its label and id, never its str(), which may be a name.
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, str):
        return EMAIL_ADDRESS.sub(EMAIL_MARK, value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return EMAIL_ADDRESS.sub(EMAIL_MARK, str(value))


def username_digest(username: object) -> str:
    """A short keyed digest of a user name, for failed sign-ins (not reversible)."""
    if not username:
        return NONE
    return salted_hmac("localcompact.audit.username", str(username)).hexdigest()[:16]


# The audit log --------------------------------------------------------------------


def _audit(
    event: str,
    fields: Mapping[str, object],
    *,
    level: int = logging.INFO,
    request: HttpRequest | None = None,
    load_user: bool = False,
    **context: str,
) -> None:
    extra = request_context(request, load_user=load_user)
    extra.update(context)
    extra["event"] = event
    extra["audit_fields"] = scrub(dict(fields))
    audit_logger.log(level, event, extra=extra)


def audit_log(event: str, /, **fields: object) -> None:
    """Record a state change, e.g. ``audit_log("obligation.excused", obligation=o)``.

    The current request's id, user and address are added. Pass ids or model instances
    (written as ``app.model:id``), not names: fields named like secrets or contact
    details (password, token, secret, key, email, phone...) are written as
    ``[scrubbed]`` and e-mail addresses in any value as ``[email]``.
    """
    _audit(event, fields, load_user=True)


def log_user_logged_in(sender, request=None, user=None, **kwargs) -> None:
    _audit(
        "auth.login.succeeded",
        {},
        request=request,
        user_id=str(user.pk) if user is not None else NONE,
    )


def log_user_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    from django.contrib.auth import get_user_model

    # allauth signs in by e-mail address and passes it as "email"
    credentials = credentials or {}
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("email")
    _audit(
        "auth.login.failed",
        {"username_digest": username_digest(username)},
        level=logging.WARNING,
        request=request,
    )


def log_user_logged_out(sender, request=None, user=None, **kwargs) -> None:
    _audit(
        "auth.logout",
        {},
        request=request,
        user_id=str(user.pk) if user is not None else NONE,
    )


def log_permission_refused(request: HttpRequest) -> None:
    # The path without its query string, which may carry what someone searched for.
    _audit(
        "permission.refused",
        {"method": request.method, "path": request.path},
        level=logging.WARNING,
        request=request,
        load_user=True,
    )
