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
# Imports run inside the request in tests (a test's transaction is invisible to a thread);
# the browser tests' real server turns the background thread back on.
SAFEHOLD_IMPORT_IN_BACKGROUND = env_bool("SAFEHOLD_IMPORT_IN_BACKGROUND", False)  # noqa: F405

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
SAFEHOLD_AUDIT_KEY = "test-only-audit-key-not-secret"
DEBUG = False
# Argon2 stays first so tests exercise the real hasher's identifier; cost is kept low.
PASSWORD_HASHERS = [
    "safehold.accounts.hashers.FastArgon2PasswordHasher",
]
AXES_ENABLED = True
