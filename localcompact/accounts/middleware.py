"""Session time-outs and required two-factor authentication.

`IdleTimeoutMiddleware` signs a user out after ``SESSION_IDLE_TIMEOUT`` seconds without
a request, and in any case ``SESSION_COOKIE_AGE`` seconds after signing in (the
session's expiry alone would slide on with every save).

`RequireMfaMiddleware` sends staff and holders of a current compact role in
``MFA_ROLES`` who have no authenticator app to set one up: every page but the account
pages, signing out, static files and the health check redirects there. Whether a user
must is decided at sign-in and looked at again every few minutes, so that ordinary
pages cost no extra queries.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

SIGNED_IN_AT = "_lc_signed_in_at"
LAST_SEEN = "_lc_last_seen"
MFA_CHECKED_AT = "_lc_mfa_checked_at"
MFA_NEEDED = "_lc_mfa_needed"

# How often, at most, the last-seen time is written (a session save) and the
# two-factor requirement is looked up again.
TOUCH_EVERY = 60
MFA_RECHECK_EVERY = 300

MFA_MESSAGE = (
    "You must set up two-factor authentication before you continue, because your "
    "account is for staff, a compact support team member or a dispute subgroup member."
)
IDLE_MESSAGE = "You have been signed out because you had not done anything for {minutes} minutes."
ABSOLUTE_MESSAGE = "You have been signed out because you signed in more than {hours} hours ago."


def mfa_required(user) -> bool:
    """Whether the user must use two-factor authentication."""
    from localcompact.organisations.models import MFA_ROLES, CompactRole

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return CompactRole.objects.current().filter(user=user, kind__in=MFA_ROLES).exists()


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_needed(user) -> bool:
    """Whether the user must set up an authenticator app before going on."""
    return mfa_required(user) and not has_totp(user)


def _record_mfa(session, user) -> None:
    session[MFA_NEEDED] = mfa_needed(user)
    session[MFA_CHECKED_AT] = int(time.time())


def on_signed_in(sender, request=None, user=None, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None or user is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now
    _record_mfa(session, user)


def on_authenticators_changed(sender, request=None, user=None, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None and user is not None:
        _record_mfa(session, user)


def _signed_in(request) -> bool:
    # Looks at the session only, so that anonymous requests never load a user.
    session = getattr(request, "session", None)
    return session is not None and "_auth_user_id" in session


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request):
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request):
        session = request.session
        now = int(time.time())
        idle_limit = settings.SESSION_IDLE_TIMEOUT
        absolute_limit = settings.SESSION_COOKIE_AGE
        started = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN)
        message = None
        if last_seen is not None and now - last_seen > idle_limit:
            message = IDLE_MESSAGE.format(minutes=idle_limit // 60)
        elif started is not None and now - started > absolute_limit:
            message = ABSOLUTE_MESSAGE.format(hours=absolute_limit // 3600)
        if message:
            logout(request)
            messages.info(request, message)
            if request.method == "GET":
                return redirect_to_login(request.get_full_path())
            return redirect(settings.LOGIN_URL)
        if started is None:
            session[SIGNED_IN_AT] = now
        if last_seen is None or now - last_seen >= TOUCH_EVERY:
            session[LAST_SEEN] = now
        return None


# The pages a user who must set up two-factor authentication may still reach: the
# account pages (allauth's, under /accounts/), signing in and out, static files and the
# health check. Plain paths, so that this works under any URL configuration.
EXEMPT_PREFIXES = ("/accounts/", "/sign-in/", "/sign-out/", "/healthz")
# ...except the staff pages there (carrying out deletion requests), which need it.
NOT_EXEMPT_PREFIXES = ("/accounts/staff/",)


def _exempt(path: str) -> bool:
    if path.startswith(NOT_EXEMPT_PREFIXES):
        return False
    return path.startswith((*EXEMPT_PREFIXES, settings.STATIC_URL))


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request) and not _exempt(request.path):
            session = request.session
            checked = session.get(MFA_CHECKED_AT)
            # Looked at again on every request while the answer is "set one up", so
            # that the user is let through as soon as they have.
            stale = checked is None or time.time() - checked > MFA_RECHECK_EVERY
            if stale or session.get(MFA_NEEDED):
                _record_mfa(session, request.user)
            if session.get(MFA_NEEDED):
                messages.warning(request, MFA_MESSAGE)
                return redirect("mfa_activate_totp")
        return self.get_response(request)
