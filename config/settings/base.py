"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The key of the audit log's HMAC chain (ADR 0024): from the environment or a file readable by
# the server only, never stored in the database, so the database roles cannot forge events.
SAFEHOLD_AUDIT_KEY = os.environ.get("SAFEHOLD_AUDIT_KEY", "")
if not SAFEHOLD_AUDIT_KEY and os.environ.get("SAFEHOLD_AUDIT_KEY_FILE"):
    SAFEHOLD_AUDIT_KEY = Path(os.environ["SAFEHOLD_AUDIT_KEY_FILE"]).read_text().strip()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

# Parquet files, uploaded documents and other bulk data live outside the relational store.
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var" / "data"))
# Uploaded documents: never served directly, only through views that check visibility and audit.
MEDIA_ROOT = DATA_DIR / "documents"
MEDIA_URL = "/documents/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads (import runs of every kind) go on the durable job queue and a worker imports them
# (`safehold worker`, started by `make run`); off, they run at once inside the upload request
# (tests). ADR 0030.
SAFEHOLD_IMPORT_IN_BACKGROUND = env_bool("SAFEHOLD_IMPORT_IN_BACKGROUND", True)
# How often a worker says that a run is alive; a run silent for four beats lost its worker and
# is started again (or failed) by the next worker.
SAFEHOLD_IMPORT_HEARTBEAT_SECONDS = float(os.environ.get("SAFEHOLD_IMPORT_HEARTBEAT_SECONDS", "15"))
# PostgreSQL row-level security behind the read gates (ADR 0011). Always on; off only in the CI
# run that proves the gates alone keep the agencies apart.
SAFEHOLD_ROW_LEVEL_SECURITY = env_bool("SAFEHOLD_ROW_LEVEL_SECURITY", True)
# Load balancers or reverse proxies whose X-Forwarded-For is believed (addresses or networks,
# comma-separated): the client's address for the audit log and rate limits
# (safehold/core/addresses.py). Empty: the connection's own address.
SAFEHOLD_TRUSTED_PROXIES = [
    p for p in os.environ.get("SAFEHOLD_TRUSTED_PROXIES", "").split(",") if p.strip()
]
RATELIMIT_IP_META_KEY = "safehold.core.addresses.rate_limit_address"
# The largest police.uk upload (a CSV or a download zip) the upload page accepts, in MB.
SAFEHOLD_POLICE_UPLOAD_MAX_MB = int(os.environ.get("SAFEHOLD_POLICE_UPLOAD_MAX_MB", "500"))
# police.uk imports (upload page and command line): the longest row, in bytes; what a zip may
# expand to, in MB, and how many times its compressed size (docs/formats/police-uk.md, Limits).
SAFEHOLD_POLICE_MAX_LINE_BYTES = int(os.environ.get("SAFEHOLD_POLICE_MAX_LINE_BYTES", "65536"))
SAFEHOLD_POLICE_ZIP_MAX_MB = int(os.environ.get("SAFEHOLD_POLICE_ZIP_MAX_MB", "20000"))
SAFEHOLD_POLICE_ZIP_MAX_RATIO = int(os.environ.get("SAFEHOLD_POLICE_ZIP_MAX_RATIO", "100"))
# Crime maps draw no base map unless given a tile server (nothing is fetched by default):
# e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png and its attribution.
CRIME_MAP_TILE_URL = os.environ.get("CRIME_MAP_TILE_URL", "")
CRIME_MAP_TILE_ATTRIBUTION = os.environ.get("CRIME_MAP_TILE_ATTRIBUTION", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "safehold.core",
    "safehold.accounts",
    "safehold.audit",
    "safehold.notifications",
    "safehold.imports",
    "safehold.analytics",
    "safehold.geography",
    "safehold.hotspots",
    "safehold.linkage",
    "safehold.charts",
    "safehold.people",
    "safehold.cases",
    "safehold.sharing",
    "safehold.governance",
    "safehold.reports",
    "safehold.performance",
    "safehold.crime",
    "safehold.incidents",
    "safehold.partners",
    "safehold.monitoring",
    "safehold.meetings",
    "safehold.search",
    "safehold.enforcement",
    "safehold.reassurance",
    "safehold.operations",
    "safehold.intelligence",
    "safehold.networks",
    "safehold.risk",
    "safehold.api",
    "safehold.upkeep",
    "safehold.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safehold.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safehold.core.middleware.ControlCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safehold.accounts.middleware.SessionLimitMiddleware",
    "safehold.sharing.middleware.RowLevelSecurityMiddleware",
    "safehold.audit.middleware.AuditContextMiddleware",
    # One log line per request, with the audit events' request id (ADR 0062).
    "safehold.upkeep.middleware.RequestLogMiddleware",
    # Read-only maintenance (ADR 0062): writes refused, sign-in let through.
    "safehold.upkeep.middleware.MaintenanceMiddleware",
    "safehold.core.middleware.ServiceErrorMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "safehold.core.context_processors.navigation",
                "safehold.core.context_processors.maintenance",
            ],
            "builtins": ["safehold.core.templatetags.govuk"],
        },
    }
]

if "DATABASE_URL" not in os.environ:
    # The embedded default: one SQLite file under var/, created on first use.
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'safehold.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# A kept connection is checked before a request reuses it, so the first request after the
# database restarts works instead of failing on the dead connection (ADR 0063).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# One request, one transaction: a failed audit write rolls back the change it describes and
# nothing of the page is sent (DESIGN.md, the spine).
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: row-level security inflates the planner's cost estimates past
    # jit_above_cost, and compiling then took 2 s of a 0.3 s case search (bench/load_test.py).
    # Safehold's queries are short; JIT only pays for long analytical scans.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"


# The job queue (Django's tasks API, the django-tasks backport): tasks are rows of the database,
# committed with the work that queued them, run by `safehold worker` (ADR 0030).
def tasks_backend(in_background: bool) -> dict:
    """The queue, or (off) a backend that runs each task at once where it is queued."""
    if in_background:
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return {"default": {"BACKEND": "safehold.imports.backends.InProcessBackend"}}


TASKS = tasks_backend(SAFEHOLD_IMPORT_IN_BACKGROUND)
# The imports' progress and heartbeats, shared by the server and the workers (files on one
# machine; point it at a shared cache such as Redis when they run on several).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "imports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "imports"),
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

# Sessions: 30 minutes idle (renewed on every request), 12 hours at most from sign-in.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "safehold.core.views.csrf_failure"  # the GOV.UK page, not Django's plain one

# Throttling: five failures for one username lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# Lock by username, not by IP address: partner agencies sign in from behind shared office
# gateways, so an IP lockout would let one mistyped password lock out a whole police force.
# axes.W006 warns about exactly this choice, so it is silenced here on purpose (ADR 0004).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field, holding the email address
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Never keep what was typed as a password or a two-factor code in the failed-attempt log.
AXES_SENSITIVE_PARAMETERS = ["password", "code", "recovery_code"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages are served straight from node_modules (installed from package-lock.json)
# and from build/ (our Sass compiled against them): nothing is copied into the repository.
STATICFILES_DIRS = [
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("cytoscape", NODE_MODULES / "cytoscape" / "dist"),
    BASE_DIR / "build" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"


def logging_config(log_format: str, level: str) -> dict:
    """Logs on standard error: plain lines, or (`json`, production) one JSON object per line
    with the request id of the audit events (safehold/core/logs.py, ADR 0062). At INFO, a line
    per request ("safehold.requests")."""
    console = {
        "class": "logging.StreamHandler",
        "filters": ["request"],
        "formatter": "json" if log_format == "json" else "plain",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "safehold.audit.logs.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "safehold.core.logs.JsonFormatter"},
            "plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {"console": console},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
    }


LOGGING = logging_config(
    os.environ.get("LOG_FORMAT", "plain"), os.environ.get("LOG_LEVEL", "WARNING")
)

# The partner API (/api/v1/, ADR 0005): hashed bearer tokens or the browser session; JSON only;
# 50 records a page (a count and a page query, whatever the number of rows); bad input is
# 400 {"field": ["message"]}.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safehold.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "safehold.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safehold API",
    "DESCRIPTION": "Referrals, cases, people and tasks for partner systems of the partnership.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safehold.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "safehold.cases.choices.CaseStatus",
        "TaskStatusEnum": "safehold.cases.choices.TaskStatus",
        "EnforcementStatusEnum": "safehold.cases.choices.EnforcementStatus",
        "ReferralStatusEnum": "safehold.cases.choices.ReferralStatus",
        "ExploitationTypeEnum": "safehold.cases.choices.ExploitationType",
        "OcgStatusEnum": "safehold.networks.choices.OcgStatus",
        "ThreatLevelEnum": "safehold.networks.choices.Level",
        "ThreatBandEnum": "safehold.networks.choices.ThreatBand",
    },
}

# Protective monitoring: `safehold monitoring scan` (cron, every few minutes) alerts an agency's
# IG officers when one of its users views more records than this in an hour.
SAFEHOLD_MONITORING_VIEWS_PER_HOUR = int(os.environ.get("SAFEHOLD_MONITORING_VIEWS_PER_HOUR", 100))
# Notices by e-mail (safehold/notifications, ADR 0039): the address links start with (the
# service's own, e.g. https://safehold.example.gov.uk), and Django's e-mail settings. Production
# sends through SMTP (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS); the demo prints e-mails on the console; tests keep them in memory.
SAFEHOLD_BASE_URL = os.environ.get("SAFEHOLD_BASE_URL", "").rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Safehold <safehold@localhost>")
