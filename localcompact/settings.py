"""One settings module, configured by environment variables.

Small typed readers refuse bad values instead of guessing (as healthchecks does).
Production (DEBUG off) refuses to start without SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list this site's host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "LocalCompact")


def site_url(value: str, *, debug: bool, hosts: list[str]) -> str:
    """The site's address for links in e-mails (sent by workers with no request to ask):
    scheme and host, no trailing slash. Unset, it is http://127.0.0.1:8000 with DEBUG,
    and in production https:// and the first ALLOWED_HOSTS name, which must then be a
    plain host name (not a wildcard)."""
    from urllib.parse import urlsplit

    if not value:
        if debug:
            return "http://127.0.0.1:8000"
        first = hosts[0] if hosts else ""
        if not first or first.startswith((".", "*")):
            raise ImproperlyConfigured(
                "SITE_URL is not set and the first ALLOWED_HOSTS entry is not a host name: "
                "set SITE_URL to the site's address, e.g. https://compact.example.org"
            )
        return f"https://{first}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"SITE_URL must be an address like https://compact.example.org, not {value!r}"
        )
    if parts.path.strip("/"):
        raise ImproperlyConfigured(f"SITE_URL must not have a path, not {value!r}")
    return f"{parts.scheme}://{parts.netloc}"


SITE_URL = site_url(env_str("SITE_URL"), debug=DEBUG, hosts=ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_q",
    "simple_history",
    "ninja",
    "localcompact.core",
    "localcompact.compacts",
    "localcompact.organisations",
    "localcompact.obligations",
    "localcompact.consultations",
    "localcompact.notices",
    "localcompact.partnerships",
    "localcompact.funding",
    "localcompact.disputes",
    "localcompact.volunteering",
    "localcompact.api",
    "localcompact.governance",
    "localcompact.proofing",
    "localcompact.reports",
    "localcompact.opendata",
    # Before allauth, so that its GOV.UK templates override allauth's own.
    "localcompact.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # django-axes: refuses a sign-in while its user name is locked out from that address.
    "localcompact.accounts.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "core:login"  # allauth's sign-in, at the short address
LOGIN_REDIRECT_URL = "obligations:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "localcompact.core.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "localcompact.accounts.middleware.IdleTimeoutMiddleware",
    "localcompact.accounts.middleware.RequireMfaMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "localcompact.urls"
WSGI_APPLICATION = "localcompact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "localcompact.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write
    # lock at the start of a transaction so two writers queue instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "localcompact" / "static" / "build"]
# Uploaded documents: stored here, served only through views that check who may see them.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: see localcompact/core/uploads.py
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds an SMTP call may take: a mail server that never answers must not hold a
# reminder digest past its lease (obligations.reminders.SEND_LEASE, 15 minutes).
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "LocalCompact <noreply@localhost>")

# Accounts (django-allauth): sign in by e-mail address, which must be verified first.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_USER_DISPLAY = "localcompact.accounts.display.user_display"
# Failed sign-ins are limited per address only: a limit per e-mail address would let
# anyone lock its owner out. django-axes limits a user name from one address (below).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# Failed sign-in throttling (django-axes): a user name is locked out only from the
# address the failures came from, never for the real user signing in from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "localcompact.accounts.throttling.username_tried"
AXES_CLIENT_IP_CALLABLE = "localcompact.accounts.throttling.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions: a new key at every sign-in (Django's login does this), an absolute limit,
# an idle limit (localcompact.accounts.middleware) and none kept after the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Security headers. HTTPS settings are on unless DEBUG, or SECURE_SSL_REDIRECT=false
# behind a proxy that already redirects.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content security policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs: one key=value line per record on standard error, each with the request id, the
# user's id and the client's address. The audit log (sign-ins, refusals, state changes)
# is always kept at INFO, whatever LOG_LEVEL says. See localcompact/core/logging.py.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "localcompact.core.logging.RequestContextFilter"}},
    "formatters": {"keyvalue": {"()": "localcompact.core.logging.KeyValueFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "keyvalue",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's records go through the same handler instead of its own console one.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "localcompact.audit": {"level": "INFO"},
        # WeasyPrint logs every step and page of a PDF at INFO; only its problems matter.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},  # it sets its own level otherwise
        "fontTools": {"level": "WARNING"},
    },
}

# Background tasks (django-q2): the database is the broker by default; set REDIS_URL
# to use Redis at scale. The daily sweep is scheduled by `setup_schedule`.
REDIS_URL = env_str("REDIS_URL")
Q_CLUSTER = {
    "name": "localcompact",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 600,
    "retry": 900,
    "max_attempts": 1,
    "catch_up": False,
    **({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"}),
}
# The cache: Redis when REDIS_URL is set, shared by every app server and the worker;
# otherwise each process's own memory. Short socket timeouts, so a stuck Redis fails fast.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# The HTTP API's rate limits (django-ninja's format: "120/min", "5000/day"): callers
# without a token by address, callers with one by token.
API_RATE_PUBLIC = env_str("API_RATE_PUBLIC", "120/min")
API_RATE_TOKEN = env_str("API_RATE_TOKEN", "600/min")
# django-ninja: the client address is REMOTE_ADDR (set by the proxy: see deploy/README.md).
NINJA_NUM_PROXIES = 0

# Where the compact definitions live; one YAML file per compact.
COMPACT_DEFINITIONS_DIR = Path(
    env_str("COMPACT_DEFINITIONS_DIR", str(BASE_DIR / "localcompact" / "compacts" / "definitions"))
)
