"""Kinbridge settings: every value comes from the environment.

See ``.env.example`` and ``docs/configuration.md`` for the list. A bad value
raises ``ConfigError``; ``manage.py`` and ``wsgi.py`` turn it into one line.
"""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from kinbridge.lib.env import (
    ConfigError,
    envbool,
    envchoice,
    envint,
    envlist,
    envsecret,
    envstr,
    persistent_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("KINBRIDGE_VAR_DIR", str(BASE_DIR / "var"))).resolve()

# Production mode turns on HTTPS-only cookies, HSTS and the SSL redirect,
# and makes SECRET_KEY and ALLOWED_HOSTS mandatory.
PRODUCTION = envbool("KINBRIDGE_PRODUCTION", False)
DEBUG = envbool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigError("DEBUG must be off when KINBRIDGE_PRODUCTION is on")

SECRET_KEY = envsecret("SECRET_KEY", required=PRODUCTION) or persistent_secret(
    VAR_DIR / "secret_key"
)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS must be set when KINBRIDGE_PRODUCTION is on")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

ORGANISATION_NAME = envstr("KINBRIDGE_ORGANISATION_NAME", "Kinbridge")
# People with no activity for this many years are listed for a retention review.
KINBRIDGE_RETENTION_YEARS = envint("KINBRIDGE_RETENTION_YEARS", 6, minimum=1, maximum=100)
# The external funder report shows counts of people from 1 to this minus 1 as "<5" (1: off).
KINBRIDGE_SUPPRESSION_THRESHOLD = envint(
    "KINBRIDGE_SUPPRESSION_THRESHOLD", 5, minimum=1, maximum=100
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "huey.contrib.djhuey",
    "kinbridge.accounts",
    "kinbridge.audit",
    "kinbridge.people",
    "kinbridge.facilities",
    "kinbridge.partners",
    "kinbridge.consents",
    "kinbridge.custody",
    "kinbridge.programmes",
    "kinbridge.casework",
    "kinbridge.front",
    "kinbridge.api",
    "kinbridge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kinbridge.audit.middleware.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kinbridge.accounts.middleware.SessionLifetimeMiddleware",
    "kinbridge.accounts.middleware.UserLanguageMiddleware",
    "kinbridge.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kinbridge.front.middleware.NoStoreMiddleware",
    # Axes must come last: it turns a lockout flagged during the view into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kinbridge.urls"
WSGI_APPLICATION = "kinbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "kinbridge.front.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite (WAL, IMMEDIATE transactions) by default; DATABASE_URL for PostgreSQL.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}


def _database(url: str) -> dict:
    try:
        config = dj_database_url.parse(url)
    except Exception as exc:  # dj-database-url raises several types
        raise ConfigError(f"DATABASE_URL is not a valid database URL ({exc})") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        if not config.get("NAME"):
            raise ConfigError("DATABASE_URL names SQLite but no file")
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif engine == "django.db.backends.postgresql":
        if not config.get("NAME"):
            raise ConfigError("DATABASE_URL names PostgreSQL but no database")
        config["CONN_MAX_AGE"] = envint("DATABASE_CONN_MAX_AGE", 60, minimum=0)
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ConfigError("DATABASE_URL must be a sqlite:/// or postgres:// URL")
    return config


DATABASES = {
    "default": _database(envstr("DATABASE_URL", "") or f"sqlite:///{VAR_DIR / 'kinbridge.sqlite3'}")
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts, passwords, sessions -----------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# ASVS L2: at least 12 characters, a common-password check, no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:dashboard"
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT_HOURS", 24, minimum=1) * 3600

SESSION_IDLE_TIMEOUT = timedelta(minutes=envint("SESSION_IDLE_MINUTES", 30, minimum=1))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=envint("SESSION_ABSOLUTE_HOURS", 12, minimum=1))
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor: an exemption on a user (the demo users have one) counts only
# outside production.
TWO_FACTOR_ALLOW_EXEMPTIONS = envbool("TWO_FACTOR_ALLOW_EXEMPTIONS", not PRODUCTION)
OTP_TOTP_ISSUER = ORGANISATION_NAME
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_TOTP_THROTTLE_FACTOR = 1

# Lockout (django-axes): after AXES_FAILURE_LIMIT failures for one username,
# or from one address, within the cool-off time.
AXES_FAILURE_LIMIT = envint("LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kinbridge.accounts.views.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "kinbridge.audit.context.client_ip_for_axes"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

# --- Security headers and HTTPS ---------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "kinbridge.front.views.csrf_failure"

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-kb-session"
    CSRF_COOKIE_NAME = "__Host-kb-csrf"
    LANGUAGE_COOKIE_NAME = "__Host-kb-language"
    if envbool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    SESSION_COOKIE_NAME = "kb-session"
    CSRF_COOKIE_NAME = "kb-csrf"
    LANGUAGE_COOKIE_NAME = "kb-language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Content Security Policy: nothing from outside, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("lt", _("Lithuanian")),
]
LOCALE_PATHS = [BASE_DIR / "kinbridge" / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploads (consent evidence…) are private: no MEDIA_URL, nothing serves this folder.
# Files leave only through views that apply the record's access helper and audit.
MEDIA_ROOT = VAR_DIR / "media"
UPLOAD_MAX_MB = envint("UPLOAD_MAX_MB", 10, minimum=1, maximum=100)

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = envchoice(
    "EMAIL_BACKEND",
    "smtp" if PRODUCTION else "console",
    {"smtp", "console", "locmem"},
)
EMAIL_BACKEND = f"django.core.mail.backends.{EMAIL_BACKEND}.EmailBackend"
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "kinbridge@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work (huey) ----------------------------------------------------
# "sqlite" (the default): an embedded queue in VAR_DIR/tasks.sqlite3, worked by
# ``manage.py run_huey``, which scripts/start runs beside the web server.
# "redis://host:6379/0": a Redis broker shared by several app servers, worked by
# ``manage.py run_huey`` on any number of machines. "immediate": each task runs at
# once, in the process that queued it (no worker; the tests use this).
TASK_QUEUE = envstr("KINBRIDGE_TASK_QUEUE", "sqlite")
TASK_WORKERS = envint("KINBRIDGE_TASK_WORKERS", 2, minimum=1, maximum=64)
_huey_consumer = {"workers": TASK_WORKERS, "worker_type": "thread", "periodic": True}
if TASK_QUEUE == "sqlite":
    HUEY = {
        "name": "kinbridge",
        "huey_class": "huey.SqliteHuey",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": False,
        "utc": True,
        "consumer": _huey_consumer,
    }
elif TASK_QUEUE == "immediate":
    HUEY = {"name": "kinbridge", "huey_class": "huey.MemoryHuey", "immediate": True, "utc": True}
elif TASK_QUEUE.startswith(("redis://", "rediss://", "unix://")):
    HUEY = {
        "name": "kinbridge",
        "huey_class": "huey.PriorityRedisHuey",
        "url": TASK_QUEUE,
        "immediate": False,
        "utc": True,
        "consumer": _huey_consumer,
    }
else:
    raise ConfigError(
        f"KINBRIDGE_TASK_QUEUE must be sqlite, immediate or a redis:// URL (got {TASK_QUEUE!r})"
    )
# The daily digest of tasks goes out at this local hour (the worker's periodic task;
# ``manage.py send_digest`` does the same from cron).
DIGEST_HOUR = envint("KINBRIDGE_DIGEST_HOUR", 7, minimum=0, maximum=23)
# Links in e-mails sent without a request (the daily digest) start with this address.
SITE_URL = envstr(
    "KINBRIDGE_SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")
# Caseload dashboards list open cases with no service logged for this many days.
CASE_NO_CONTACT_DAYS = envint("KINBRIDGE_CASE_NO_CONTACT_DAYS", 30, minimum=1, maximum=365)

# --- API --------------------------------------------------------------------------
API_RATE_LIMIT = envstr("API_RATE_LIMIT", "2000/hour")
if not re.fullmatch(r"\d+/(second|minute|hour|day)", API_RATE_LIMIT):
    raise ConfigError(f"API_RATE_LIMIT must look like 2000/hour (got {API_RATE_LIMIT!r})")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kinbridge.api.permissions.IsVerifiedUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "kinbridge.api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": API_RATE_LIMIT},
    "EXCEPTION_HANDLER": "kinbridge.api.views.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Retried POSTs with the same Idempotency-Key are recognised for this many days.
IDEMPOTENCY_KEY_DAYS = envint("KINBRIDGE_IDEMPOTENCY_KEY_DAYS", 7, minimum=1, maximum=365)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=envint("API_TOKEN_DAYS", 365, minimum=1)),
    "AUTO_REFRESH": False,
    "TOKEN_PREFIX": "kb_",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kinbridge API",
    "DESCRIPTION": (
        "Case and programme management for charities supporting imprisoned mothers, "
        "their children and prisoners' families. Every endpoint applies the same "
        "role and team scoping as the pages."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["kinbridge.api.permissions.IsVerifiedUser"],
    # Several models have a field called "role"; name each choice set after its meaning.
    "ENUM_NAME_OVERRIDES": {
        "UserRoleEnum": "kinbridge.accounts.roles.Role",
        "PersonRoleEnum": "kinbridge.people.models.PersonRoleKind",
        "SessionKindEnum": "kinbridge.programmes.models.SessionKind",
        "SessionStatusEnum": "kinbridge.programmes.models.SessionStatus",
        "EnrolmentStatusEnum": "kinbridge.programmes.models.EnrolmentStatus",
        "AttendanceStatusEnum": "kinbridge.programmes.models.AttendanceStatus",
        "CaseStatusEnum": "kinbridge.casework.models.CaseStatus",
        "ReferralStatusEnum": "kinbridge.casework.models.ReferralStatus",
        "ReferralOutStatusEnum": "kinbridge.casework.models.ReferralOutStatus",
        "TaskStatusEnum": "kinbridge.casework.models.TaskStatus",
        "NeedStatusEnum": "kinbridge.casework.models.NeedStatus",
        "GoalStatusEnum": "kinbridge.casework.models.GoalStatus",
        "RiskKindEnum": "kinbridge.casework.models.RiskKind",
        "AbandonmentReasonEnum": "kinbridge.casework.models.AbandonmentReason",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Logging: no personal data in plain logs -------------------------------------
LOG_LEVEL = envchoice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # axes writes usernames at INFO: keep it quiet, the audit trail has the facts.
        "axes": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each step of a PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The worker (run_huey) logs through our handler once, not through its own too.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
