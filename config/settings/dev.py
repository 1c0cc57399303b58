"""Local development and the demo (`make run`): SQLite, fixed insecure keys, and DEBUG off, so
the demo shows the service's own "Page not found" and error pages as a real installation does
(whitenoise serves the static files either way). `DEBUG=true make run` for Django's technical
pages while developing."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"  # noqa: F405
# Not secret: anyone with this file can forge a dev database's audit chain, which is fine.
SAFEHOLD_AUDIT_KEY = SAFEHOLD_AUDIT_KEY or "dev-only-audit-key-not-secret"  # noqa: F405
# The demo prints notices' e-mails on the console (`make run`'s output) instead of sending them.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
SAFEHOLD_BASE_URL = SAFEHOLD_BASE_URL or "http://127.0.0.1:8000"  # noqa: F405
