"""Test settings: the real database named by DATABASE_URL (SQLite by default), fast hashing."""

import os
import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403

# Uploaded files and Parquet written by tests go to a throwaway folder (the browser tests'
# server and the commands they run share one: SAFEHOLD_TEST_DATA_DIR).
DATA_DIR = Path(
    os.environ.get("SAFEHOLD_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="safehold-test-")
)
MEDIA_ROOT = DATA_DIR / "documents"
# Imports run at once inside the request in tests (a test's transaction is invisible to a
# worker); the browser tests' real server and the crash test turn the queue and a worker on.
SAFEHOLD_IMPORT_IN_BACKGROUND = env_bool("SAFEHOLD_IMPORT_IN_BACKGROUND", False)  # noqa: F405
TASKS = tasks_backend(SAFEHOLD_IMPORT_IN_BACKGROUND)  # noqa: F405
CACHES["imports"]["LOCATION"] = str(DATA_DIR / "cache" / "imports")  # noqa: F405

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
SAFEHOLD_AUDIT_KEY = "test-only-audit-key-not-secret"
DEBUG = False
# Argon2 stays first so tests exercise the real hasher's identifier; cost is kept low.
PASSWORD_HASHERS = [
    "safehold.accounts.hashers.FastArgon2PasswordHasher",
]
AXES_ENABLED = True
# The browser tests' server runs these settings outside pytest: e-mails stay in memory there too.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# WhiteNoise finds static files when asked rather than listing them all when its middleware is
# built: Django's test client builds the middleware for every test, and listing ~1,400 files
# each time was a quarter of a page test's time.
WHITENOISE_AUTOREFRESH = True
