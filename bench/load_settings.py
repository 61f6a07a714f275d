"""Settings for bench/load_bench.py's gunicorn: the test settings (a throwaway secret,
static files from the finders, e-mail kept in memory) with DEBUG off, and cookies sent
over plain HTTP, since the bench talks to gunicorn directly, without TLS."""

from localcompact.test_settings import *  # noqa: F403

DEBUG = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
