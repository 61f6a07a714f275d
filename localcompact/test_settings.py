"""Settings for the test suite: the real settings, with a throwaway secret.

DATABASE_URL still decides the database, so the same suite runs on SQLite and on
PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from localcompact.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files from the finders in tests (no collectstatic needed), as runserver does.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploads go to a throwaway folder, never the development one.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="localcompact-media-"))
# High enough that no test but the rate limits' own meets them.
API_RATE_PUBLIC = API_RATE_TOKEN = "100000/min"  # noqa: S105 (a rate, not a secret)
