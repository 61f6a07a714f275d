"""Helpers for tests that sign in through the form: allauth signs in by a verified
e-mail address, which accounts made directly in a test do not have yet."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def verified_email(user, email: str | None = None) -> str:
    """Give ``user`` a verified primary e-mail address (made up from the user name if
    none is given or set) and return it."""
    email = email or user.email or f"{user.get_username()}@example.org".lower()
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return email


def totp_code(secret: str, *, step: int = 0) -> str:
    """The authenticator app's code for ``secret`` now (``step`` periods on)."""
    import time

    from allauth.mfa import app_settings

    counter = int(time.time()) // app_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


def ensure_totp(user) -> str:
    """The user's authenticator app secret, setting one up if they have none."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return get_adapter().decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def browser_sign_in(page, base: str, user, password: str) -> None:
    """Sign in through the form in a Playwright page, by the user's verified e-mail
    address, entering an authenticator code too when the user must use one."""
    from django.core.cache import cache

    from localcompact.accounts.middleware import mfa_required

    secret = ensure_totp(user) if mfa_required(user) else None
    page.goto(f"{base}/sign-in/")
    page.fill("#login", verified_email(user))
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button:has-text('Sign In')")
    if secret is not None:
        cache.clear()  # a code may be used only once: earlier sign-ins used this one
        page.fill("#code", totp_code(secret))
        with page.expect_navigation():
            page.click("main button:has-text('Sign In')")
