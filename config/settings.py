"""Settings for the toegang portal.

One module; every value that differs between a laptop, CI and production comes
from the environment, with a default that suits the local demo (`make run`).
The variables are documented in the README ("Environment variables").
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", "").strip() or BASE_DIR / "var")


# An unset or empty variable means the default, for every kind of value.
def env_str(name: str, default: str = "") -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from exc


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production). "
            "For the local demo, `make run` sets DEBUG=1 and a key is generated."
        )
    # Local development only: generate once and keep it beside the SQLite file so
    # sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_celery_beat",
    # /readyz (apps.core.health); its page template.
    "health_check",
    "apps.core",
    "apps.accounts",
    "apps.tenants",
    "apps.teams",
    "apps.access",
    "apps.intake",
    "apps.cases",
    "apps.decisions",
    "apps.documents",
    "apps.agenda",
    "apps.letters",
    "apps.reporting",
    "apps.audit",
    # The top layer (docs/architecture.md, "Layers"): start page, menu counts and
    # switcher; the demo data (`seed_demo`).
    "apps.portal",
    "apps.demo",
]

MIDDLEWARE = [
    # First: a request id for every response (X-Request-ID) and log line.
    "apps.core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response (static files and error pages too) gets the policy.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, with the inactivity timeout written once a minute, not per request.
    "apps.core.middleware.IdleSessionMiddleware",
    "apps.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the body: a body larger than its view
    # accepts is refused unread (REQUEST_BODY_MAX_BYTES, a document upload's own).
    "apps.core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Adds request.user.is_verified(): whether this session passed the second factor
    # (django-otp's, with the device read from the cache under the access version).
    "apps.accounts.middleware.CachedOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A redirect answered to htmx becomes HX-Redirect (a page load, not a swap);
    # before the middlewares that redirect.
    "apps.core.middleware.HtmxRedirectMiddleware",
    # Nothing a signed-in person sees is kept in a browser or proxy cache.
    "apps.core.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Must come after authentication: it resolves the acting municipality and
    # activates the tenancy scope around the view.
    "apps.tenants.middleware.MunicipalityScopeMiddleware",
    # After the scope middleware, which tells API-key requests (machine access,
    # no second factor) from browser sessions.
    "apps.accounts.middleware.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

# --- Input limits -------------------------------------------------------------
# A request body (without uploaded files) larger than this is refused with a 400
# (pages) or 413 (API): the largest form, a question with its 10,000-character
# description, is far below it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
# More form fields than this in one request: a 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
# More files than this in one request: a 400.
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 10)
# An uploaded file larger than this is written to a temporary file, not held in
# memory. This is no limit on its size: an upload's validator sets that.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# The largest request body any view but a document upload accepts (files
# included, which DATA_UPLOAD_MAX_MEMORY_SIZE leaves out), refused unread by
# apps.core.middleware.RequestBodyLimitMiddleware.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 10 * 1024 * 1024)
# Documents (apps.documents): the largest file one document upload may carry, in MB
# (the API checks it while the upload streams in, the page once it is in; a body
# of more than twice this, plus 1 MB, is refused unread).
DOCUMENT_MAX_UPLOAD_MB = env_int("DOCUMENT_MAX_UPLOAD_MB", 20)
# The virus scanner for uploaded documents: clamd at tcp://host:port or a unix
# socket path; empty: no scanning. When set and clamd does not answer, an upload
# is refused (fail closed).
CLAMD_ADDRESS = env_str("CLAMD_ADDRESS", "")
CLAMD_TIMEOUT = env_float("CLAMD_TIMEOUT", 30.0)
# "off": uploads are stored unscanned on purpose, without CLAMD_ADDRESS; silences
# `check --deploy`'s documents.W001 (it never switches off a scanner that is set).
DOCUMENT_SCAN = env_str("DOCUMENT_SCAN", "").strip().lower()
# A form without a valid CSRF token: a 403 page in Dutch (Django logs it).
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.tenants.context_processors.municipality",
                "apps.portal.context_processors.nav_counts",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # A kept connection (CONN_MAX_AGE) is checked before a request reuses it:
        # one that died with a restarted or failed-over database is replaced
        # instead of failing the request (tests/core/test_faults.py).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails a connection after this many seconds
    # (the start-up check, /readyz, a request), instead of hanging on the network.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend plus row-level security: each connection is told which
    # municipality the current scope is for (apps/core/rls.py).
    DATABASES["default"]["ENGINE"] = "apps.core.dbbackend"
# The database role the application connects as in production (DATABASE_URL),
# when `migrate` runs as the tables' owner (another URL): after every migrate it
# is granted what it needs and no more (no TRUNCATE, no UPDATE or DELETE on the
# append-only tables). Empty: one role does both (docs/security.md).
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "")
# Only for `migrate` (as the owner): the role is created with this password when
# it does not exist yet (the first start of docker-compose.yml).
DATABASE_APP_PASSWORD = env_str("DATABASE_APP_PASSWORD", "")
# What code outside any scope and outside a request, task or command (a shell)
# sees of the municipality tables: "none". The test suite sets "all" for its
# own set-up code.
PORTAL_DB_UNSCOPED = "none"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt for a locked account before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's, loading the person with their access version in the same query
    # (apps.accounts.access_version). Replaces django.contrib.auth's: a session
    # that names the old path is signed out once.
    "apps.accounts.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Login lock (django-axes) -------------------------------------------------
# After AXES_FAILURE_LIMIT failed logins for one e-mail address the account is
# locked for AXES_COOLOFF_MINUTES (0: until an admin unlocks it), also for the
# right password. Per address, from anywhere, by default: spreading guesses
# over many machines does not help. AXES_LOCK_OUT_BY_USER_AND_IP=1 locks only
# the combination of address and client IP instead (nobody elsewhere can lock
# a colleague out, at the price of more guesses for a distributed attack).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
_axes_cooloff_minutes = env_int("AXES_COOLOFF_MINUTES", 30)
AXES_COOLOFF_TIME = timedelta(minutes=_axes_cooloff_minutes) if _axes_cooloff_minutes else None
AXES_LOCKOUT_PARAMETERS = (
    [["username", "ip_address"]] if env_bool("AXES_LOCK_OUT_BY_USER_AND_IP") else ["username"]
)
AXES_RESET_ON_SUCCESS = True
# The login form posts `username` (the e-mail address); counted in lower case,
# as the login itself ignores case.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "apps.accounts.lockout.lockout_username"
# The client address as the API throttling sees it (TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "apps.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"

# --- Second factor (django-otp, TOTP) ----------------------------------------
# Every person who logs in confirms it with a code from an authenticator app
# before any page or API call of the session. Only the local demo (DEBUG on)
# may switch this off; it does so by default, so `make run` works without a phone.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
if not OTP_REQUIRED and not DEBUG:
    raise ImproperlyConfigured(
        "OTP_REQUIRED can only be switched off with DEBUG on (the local demo); "
        "in production every login needs the second factor."
    )
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Toegang")
# The Django admin shows no TOTP secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
# An inactivity timeout, not a fixed lifetime: the session's expiry is pushed
# back to SESSION_COOKIE_AGE after the last request, written at most once per
# SESSION_REFRESH_SECONDS (apps.core.middleware.IdleSessionMiddleware), not on
# every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Only behind a proxy that sets X-Forwarded-Proto itself; otherwise a client
# could claim HTTPS.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The container healthcheck and monitoring speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading HSTS is a decision about the whole domain, taken by whoever runs it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if AXES_LOCKOUT_PARAMETERS == ["username"]:
    # axes.W006 asks to count per client address too. Per address alone would
    # lock a whole municipal office behind one NAT address; per account the
    # failures are summed over every address and user agent, so rotating those
    # does not help an attacker.
    SILENCED_SYSTEM_CHECKS.append("axes.W006")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4). Nothing inline: no <script> without
# src, no style attributes, no event handler attributes. `data:` images only for
# the icons inside the Utrecht CSS. The API docs pages add a nonce for their own
# inline code (config/urls.py); no portal page uses one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "nl"
# Each language by its own name. A language is listed only with a complete
# translation (locale/<code>; a test checks the catalogue has no untranslated or
# fuzzy entry), so no page shows Dutch text marked as English. The switcher in
# the header (base.html) posts to Django's set_language view; the choice is
# kept in the language cookie (apps.core.middleware.LanguageMiddleware).
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# Dates in each language's own way, always by a format name in templates
# ("SHORT_DATE_FORMAT": 03-12-2026 / 3 Dec 2026; "DATE_FORMAT": 3 december 2026
# / 3 December 2026) or formats.date_format in Python, never a hard-coded
# pattern: Django's locale formats, with the portal's own in config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
# Numbers: decimal comma in Dutch (localisation is always on). No
# USE_THOUSAND_SEPARATOR: it would also group ids that templates print; a figure
# that can pass 999 is grouped where it is shown (floatformat:"g").
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages come from npm (package.json); only the files the pages use
# are exposed, one by one, under a prefix that names the package. Not whole
# package directories: @utrecht/design-tokens ships a CSS file referencing icons
# it does not contain, which fails the production build (see config/staticfiles.py).
_NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_SELECTED_FILES = [
    (
        "vendor/utrecht-css",
        _NODE_MODULES / "@utrecht" / "component-library-css" / "dist",
        ["index.css"],
    ),
    ("vendor/utrecht-tokens", _NODE_MODULES / "@utrecht" / "design-tokens" / "dist", ["index.css"]),
    ("vendor/htmx", _NODE_MODULES / "htmx.org" / "dist", ["htmx.min.js"]),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.staticfiles.SelectedFilesFinder",
]
STORAGES = {
    # Private: no URL serves MEDIA_ROOT; files go out through a view that checks
    # the permission and logs the download (apps.core.files).
    "default": {"BACKEND": "apps.core.files.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "toegang@localhost")
# Where people reach the portal; links in mail sent by background tasks use it.
# Scheme and host only (e.g. https://toegang.example.nl). Required in production:
# mail sent by background tasks has no request to take the address from.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not PORTAL_BASE_URL:
    raise ImproperlyConfigured(
        "PORTAL_BASE_URL must be set when DEBUG is off, e.g. https://toegang.example.nl."
    )

# --- Celery -----------------------------------------------------------------
# Unset broker: tasks run in-process (the embedded default for `make run`).
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# A broker that hangs or is gone must not hold a request: short socket timeouts
# and one quick retry when sending a task. Work whose task could not be sent
# stays queued in the database for the periodic sweep (reports, decision letters),
# and the request answers as usual. The worker reconnects on its own.
# In seconds; above the worker's 1-second BRPOP wait, which reads on the same kind
# of connection.
BROKER_SOCKET_TIMEOUT = env_float("BROKER_SOCKET_TIMEOUT", 2.0)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
}
# The same for a Redis result backend (CELERY_RESULT_BACKEND), which sending a task
# may touch too.
CELERY_REDIS_SOCKET_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The worker and beat log through LOGGING below (JSON lines in production), not
# a handler of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Report builds (minutes of work each) have a queue of their own, so they never
# hold up a decision letter or an invitation behind them. A worker consumes it
# with `celery -A config worker -Q celery,reports` (docker-compose.yml), or a
# separate worker with `-Q reports`.
CELERY_TASK_ROUTES = {"apps.reporting.tasks.build_report": {"queue": "reports"}}
# Installed into django-celery-beat's tables when beat starts (changeable there).
CELERY_BEAT_SCHEDULE = {
    "decisions-mark-reassessments": {
        # Every morning: flag provisions whose re-assessment is due, end expired ones.
        "task": "apps.decisions.tasks.mark_reassessments_everywhere",
        "schedule": crontab(hour=5, minute=30),
    },
    "reporting-monthly-reports": {
        # The first of the month, early: last month's report for every municipality.
        "task": "apps.reporting.tasks.schedule_monthly_reports_everywhere",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
    "reporting-sweep": {
        "task": "apps.reporting.tasks.sweep_reports_everywhere",
        "schedule": crontab(minute="*/10"),
    },
    "core-worker-heartbeat": {
        # Every minute: a worker is alive and takes work off the queue (/readyz).
        "task": "apps.core.tasks.worker_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "audit-purge-access-log": {
        # The second of the month, at night: remove access log entries past each
        # municipality's retention period (apps.audit.services.access_log_purge).
        "task": "apps.audit.tasks.purge_access_log_everywhere",
        "schedule": crontab(day_of_month=2, hour=3, minute=15),
    },
}
# /readyz reports a worker as gone when its last heartbeat is older (seconds).
HEALTH_WORKER_HEARTBEAT_MAX_AGE = env_int("HEALTH_WORKER_HEARTBEAT_MAX_AGE", 300)

# --- Reports ------------------------------------------------------------------
# How many reports one person may request per day (in one municipality), counted
# from the stored requests, so the limit holds with Redis gone. Asking again for
# a report that is still being made does not count: it creates no work.
REPORT_REQUESTS_PER_DAY = env_int("REPORT_REQUESTS_PER_DAY", 20)
# How many reports of one municipality are built at the same time; a build that
# finds this many others of its municipality running goes back in the queue for
# a while, so one municipality cannot take the worker all municipalities share.
REPORT_BUILDS_PER_MUNICIPALITY = env_int("REPORT_BUILDS_PER_MUNICIPALITY", 2)
if REPORT_REQUESTS_PER_DAY < 1 or REPORT_BUILDS_PER_MUNICIPALITY < 1:
    raise ImproperlyConfigured(
        "REPORT_REQUESTS_PER_DAY and REPORT_BUILDS_PER_MUNICIPALITY must be at least 1."
    )

# Shared between web workers (rate limits, later caches). Its own Redis database
# by default (db 1 where the broker uses db 0), since clearing a cache empties
# the whole database.
CACHE_URL = env_str(
    "CACHE_URL", urlsplit(REDIS_URL)._replace(path="/1").geturl() if REDIS_URL else ""
)
# A hung or absent Redis must not take the API down: short socket timeouts (in
# seconds), and apps.core.cache.FailOpenRedisCache answers as an empty cache
# (with a warning in the log) while Redis cannot be reached.
CACHE_SOCKET_TIMEOUT = env_float("CACHE_SOCKET_TIMEOUT", 0.5)
CACHES = {
    "default": (
        {
            "BACKEND": "apps.core.cache.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {
                "socket_timeout": CACHE_SOCKET_TIMEOUT,
                "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            },
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# How many proxies in front add X-Forwarded-For; 0 trusts no such header. The
# client address for API throttling and the login lock (apps.core.http.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- REST API ---------------------------------------------------------------
# The longest validity of an API key, in days: the key pages offer no more, and
# apps.tenants.services.api_token_create (also behind `manage.py create_api_token`)
# refuses a later expiry.
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)
if API_TOKEN_MAX_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_MAX_DAYS must be at least 1.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.tenants.api.authentication.MunicipalityTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.tenants.api.permissions.HasMunicipalityAction"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.AutoSchema",
    # JSON only. DRF's browsable API would render, for a logged-in person, forms
    # whose selects list every resident (and team, rule, …) of the municipality by
    # name, outside the access log and the visibility rules, and it fails with a
    # 500 on an invalid date in a posted form. /api/v1/docs/ documents the API.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # And JSON in: with form data DRF reads an empty field as null and a
    # missing list as empty, which the schema does not say (schemathesis found a
    # team created from a form whose `linked_loket_consultant` was ""). Nothing
    # uploads files through the API.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["apps.core.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "1200/minute"),
    },
    # How many proxies in front add X-Forwarded-For; 0 trusts no such header.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Toegang portal API",
    "DESCRIPTION": (
        "REST API of the toegang portal. Every request acts in one municipality: "
        "the municipality of the API token, or the active municipality of the session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "DEFAULT_GENERATOR_CLASS": "apps.core.api.ScopeFreeSchemaGenerator",
    # One enum for a choice set that several fields use (`law`, `laws`, `mandated_laws`).
    "ENUM_NAME_OVERRIDES": {
        "LawEnum": "apps.teams.models.Law",
        "QuestionStatusEnum": "apps.intake.models.Question.Status",
        "CaseStatusEnum": "apps.cases.models.Case.Status",
        "PlanStatusEnum": "apps.cases.models.SupportPlan.Status",
        "ActivityKindEnum": "apps.cases.models.Activity.Kind",
        "ProposalStatusEnum": "apps.decisions.models.Proposal.Status",
        "DeadlineChangeKindEnum": "apps.decisions.models.DeadlineChange.Kind",
        "ProposalKindEnum": "apps.decisions.models.ProposalKind",
        "ProvisionStatusEnum": "apps.decisions.models.Provision.Status",
        "ProvisionEventKindEnum": "apps.decisions.models.ProvisionEvent.Kind",
        "DocumentKindEnum": "apps.documents.models.Document.Kind",
        "AppointmentKindEnum": "apps.agenda.models.Appointment.Kind",
        "LetterKindEnum": "apps.letters.placeholders.LetterKind",
        # Objections (#21 part 3).
        "DecisionOutcomeEnum": "apps.decisions.models.Decision.Outcome",
        "ObjectionOutcomeEnum": "apps.decisions.models.ObjectionDecision.Outcome",
        "ObjectionStatusEnum": "apps.decisions.models.Objection.Status",
    },
    # Swagger UI and ReDoc served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None

# --- Logs ---------------------------------------------------------------------
# LOG_FORMAT=json (the default with DEBUG off): one JSON object per line for a log
# collector, with the request id, municipality id and user id of the request
# (apps.core.logging); plain text under DEBUG. Either way the messages are
# scrubbed of e-mail addresses, BSN-like numbers and query strings.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json").lower()
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "apps.core.logging.RequestContextFilter"}},
    "formatters": {
        "plain": {
            "()": "apps.core.logging.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {"()": "apps.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Failed logins and lockouts (WARNING), not every successful login.
        "axes": {"level": "WARNING"},
        # Security events of the portal itself (API keys issued and revoked, a
        # wrong password when re-authenticating), at INFO whatever LOG_LEVEL says.
        "portal.security": {"level": "INFO"},
    },
}
