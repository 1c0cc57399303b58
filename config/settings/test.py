"""Test settings: the real database named by DATABASE_URL (SQLite by default), fast hashing."""

from config.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key"  # noqa: S105
DEBUG = False
# Argon2 stays first so tests exercise the real hasher's identifier; cost is kept low.
PASSWORD_HASHERS = [
    "safehold.accounts.hashers.FastArgon2PasswordHasher",
]
AXES_ENABLED = True
