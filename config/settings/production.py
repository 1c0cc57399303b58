"""Production: every secret from the environment, HTTPS only, PostgreSQL expected."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
if len(SAFEHOLD_AUDIT_KEY) < 32 or SAFEHOLD_AUDIT_KEY == SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured(
        "Set SAFEHOLD_AUDIT_KEY (or SAFEHOLD_AUDIT_KEY_FILE, a file holding it) to a random "
        "string of at least 32 characters, different from SECRET_KEY."
    )
# Row-level security is switched off only by the test run that proves the read gates alone.
SAFEHOLD_ROW_LEVEL_SECURITY = True

SECURE_SSL_REDIRECT = True
# A load balancer checks health over plain HTTP on the server's own port (ADR 0062).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Structured logs: one JSON object per line with the audit events' request id, a line per
# request at INFO (ADR 0062; LOG_FORMAT=plain for plain lines).
LOGGING = logging_config(  # noqa: F405
    os.environ.get("LOG_FORMAT", "json"), os.environ.get("LOG_LEVEL", "INFO")
)
