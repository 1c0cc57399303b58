"""Local development and the demo (`make run`): SQLite, DEBUG on, fixed insecure keys."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"  # noqa: F405
# Not secret: anyone with this file can forge a dev database's audit chain, which is fine.
SAFEHOLD_AUDIT_KEY = SAFEHOLD_AUDIT_KEY or "dev-only-audit-key-not-secret"  # noqa: F405
