"""SIPANTAU settings: what varies per deployment, read from the environment (.env.example lists
every variable), with production defaults. Tests use sipantau/test_settings.py on top of these."""

import sys
from datetime import timedelta
from pathlib import Path

import environ
import jinja2
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# The key is required where the site is served (wsgi.py, asgi.py, runserver): a management
# command such as makemigrations runs without one, on an insecure placeholder that
# `check --deploy` still reports (security.W009).
SERVING = env.bool("SIPANTAU_SERVING", default=False) or "runserver" in sys.argv
SECRET_KEY = env("DJANGO_SECRET_KEY", default=None)
if not SECRET_KEY:
    if SERVING and not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (required when DJANGO_DEBUG is off).")
    SECRET_KEY = "django-insecure-development-only-never-in-production"

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The province whose border this deployment guards (Kemendagri code; 13 = Sumatera Barat).
SIPANTAU_PROVINCE = env.str("SIPANTAU_PROVINCE", default="13")

# ---- travellers: offline entry ----
# Entries kept on an officer's phone while there is no signal hold personal data: they are
# removed once the server confirms them, and never kept longer than this on the device.
SIPANTAU_OFFLINE_QUEUE_MAX_HOURS = env.int("SIPANTAU_OFFLINE_QUEUE_MAX_HOURS", default=72)
# The page warns this many hours before a waiting entry would be removed unsent.
SIPANTAU_OFFLINE_QUEUE_WARN_HOURS = env.int("SIPANTAU_OFFLINE_QUEUE_WARN_HOURS", default=24)
# Added to the service worker's cache name: bump it to make every phone refetch the cached shell.
SIPANTAU_OFFLINE_VERSION = env.str("SIPANTAU_OFFLINE_VERSION", default="1")

# ------------------------------------------------------------------------------
# Applications
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "regions",
    "checkpoints",
    "accounts",
    "travellers",
    "followup",  # before monitoring: its arrivals_registered receiver must run before the tally's
    "monitoring",
    "exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON compressed for phones on a weak signal (static files come compressed from
    # whitenoise/nginx). BREACH: Django pads each gzip stream with random bytes (Heal the Breach)
    # and masks the CSRF token afresh in every response; docs/deploy.md says why not nginx.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sipantau.middleware.LanguageChoiceMiddleware",  # Indonesian unless switched
    "django.middleware.common.CommonMiddleware",
    "accounts.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before LoginRequiredMiddleware: a database outage answers 503 "sedang gangguan", not 500.
    "sipantau.middleware.DatabaseUnavailableMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Permissions and jurisdictions remembered per login, worked out again when an admin changes them.
    "accounts.middleware.AccessMiddleware",
    # Practice mode ("Latihan") from the session: the request's records are practice ones (accounts/practice.py).
    "accounts.practice.PracticeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sipantau.urls"
WSGI_APPLICATION = "sipantau.wsgi.application"

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
                "csp.context_processors.nonce",
                "accounts.practice.context",
            ],
        },
    },
    # Jinja2 draws the hot tables (a page of 50 rows: monitoring/listing.py) and the filter forms'
    # widgets, at a fraction of the Django engine's cost; their text comes translated from Python.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"undefined": jinja2.StrictUndefined},
    },
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
# Unset DATABASE_URL: an SQLite file beside manage.py, for development and demos.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = env.bool("DJANGO_ATOMIC_REQUESTS", default=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Two writes at once on SQLite (a double tap on "Simpan", two officers) must queue, not fail with
# "database is locked": WAL lets readers run beside the writer, IMMEDIATE takes the write lock
# when the transaction begins (a deferred one that upgrades later fails at once instead of
# waiting), and the busy timeout makes the second writer wait for the first. Not for the tests'
# in-memory database (test_settings.py drops them): the live server shares it through SQLite's
# shared cache, whose table locks are never waited for, so IMMEDIATE there would refuse the other
# thread (tests/test_sqlite_concurrency.py tries these options on a file).
SQLITE_FILE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_FILE_OPTIONS)


def _without_jit(database):
    """PostgreSQL's JIT compiles a big export's query for ~1.6 s before running it; our queries are
    index lookups and bounded scans that never win that back. Off per connection, on top of any
    options the URL sets."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()


_without_jit(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- read replica ----
# A PostgreSQL streaming replica for overview pages and exports (docs/deploy.md). Views opt in
# with `monitoring.replica.use_replica()`; writes and everything else go to the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    _without_jit(DATABASES["replica"])
    SIPANTAU_READ_REPLICA = "replica"
else:
    SIPANTAU_READ_REPLICA = ""
DATABASE_ROUTERS = ["monitoring.replica.ReplicaRouter"]

# ------------------------------------------------------------------------------
# Accounts
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ------------------------------------------------------------------------------
# Internationalisation: Indonesian first, English available; times in WIB.
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# ------------------------------------------------------------------------------
# Static files, served by whitenoise with hashed, compressed names.
# ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development whitenoise serves straight from the app and project folders.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# ------------------------------------------------------------------------------
# Security: on by default outside development. Behind a TLS-terminating proxy,
# the proxy sets X-Forwarded-Proto.
# ------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The header only allows preloading; submitting the domain to browsers is a separate, deliberate step.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# A long signed-in day at a post ends at most 12 hours after login.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=12 * 60 * 60)

# Bounded request bodies: a form never needs more; uploads have their own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# The admin's address; moving it off /admin/ keeps it out of reach of blind scans.
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")

# ------------------------------------------------------------------------------
# Exchange: the read API for other government systems (exchange/, docs/exchange.md)
# ------------------------------------------------------------------------------
# Requests per API client per minute; above it the API answers 429 with Retry-After.
SIPANTAU_RATE_LIMIT_EXCHANGE = env.int("SIPANTAU_RATE_LIMIT_EXCHANGE", default=120)
# Days a new token lasts unless the admin sets another expiry.
SIPANTAU_EXCHANGE_TOKEN_DAYS = env.int("SIPANTAU_EXCHANGE_TOKEN_DAYS", default=180)
# A sync reads rows changed at least this many seconds ago, so a transaction still open when the
# page was read (and committing with an earlier time) is never skipped by the client's cursor.
SIPANTAU_EXCHANGE_SETTLE_SECONDS = env.int("SIPANTAU_EXCHANGE_SETTLE_SECONDS", default=60)
# Base of SIPANTAU's own FHIR identifier and code systems (person ids, region codes).
SIPANTAU_FHIR_SYSTEM_BASE = env.str("SIPANTAU_FHIR_SYSTEM_BASE", default="urn:sipantau")

# ------------------------------------------------------------------------------
# E-mail and logging
# ------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
if "EMAIL_FILE_PATH" in _email:
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="SIPANTAU <noreply@localhost>")

# Application logs never carry a NIK, phone number or name, and input cannot forge lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "accounts.logfilters.PersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # django-axes logs every login at INFO; the audit log already holds them.
    "loggers": {"axes": {"level": "WARNING"}},
}

# ------------------------------------------------------------------------------
# Follow-up: dispatch, isolation, daily digest
# ------------------------------------------------------------------------------
# Days of self-isolation a new order runs (14 in 2020); each order's length is editable.
SIPANTAU_ISOLATION_DAYS = env.int("SIPANTAU_ISOLATION_DAYS", default=14)
# An arrival nobody in the village team confirmed within this many hours shows to the camat…
SIPANTAU_CONFIRM_WITHIN_HOURS = env.int("SIPANTAU_CONFIRM_WITHIN_HOURS", default=24)
# …and after this many hours (counted from arrival) to the regency task force.
SIPANTAU_ESCALATE_REGENCY_AFTER_HOURS = env.int("SIPANTAU_ESCALATE_REGENCY_AFTER_HOURS", default=48)
# Where people open SIPANTAU, for links in e-mails sent by commands (no request to take it from).
# Required outside debug (send_digest refuses without it, check --deploy reports it); in debug it
# defaults to where bin/serve serves.
SIPANTAU_SITE_URL = env.str("SIPANTAU_SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# ------------------------------------------------------------------------------
# ---- Security: logins, two-factor, sessions, CSP, rate limits, logs ----
# ------------------------------------------------------------------------------
# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A post's officers share one NAT address: lock out a username *from an address*, so a
# guesser at the post does not lock out their colleagues; an address spraying many usernames is
# locked at SIPANTAU_LOGIN_ADDRESS_LIMIT; a guesser who rotates addresses meets the account
# ceiling, which slows the account down from unknown addresses instead of locking its owner out.
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("SIPANTAU_LOGIN_FAILURE_LIMIT", default=5)
# Past the ceiling an account is guarded, not locked (accounts/lockout.py): from addresses where it
# signed in within SIPANTAU_LOGIN_KNOWN_ADDRESS_DAYS it works as usual; elsewhere it takes one
# password check per SIPANTAU_LOGIN_GUARDED_INTERVAL seconds.
SIPANTAU_LOGIN_ACCOUNT_CEILING = env.int("SIPANTAU_LOGIN_ACCOUNT_CEILING", default=20)
SIPANTAU_LOGIN_KNOWN_ADDRESS_DAYS = env.int("SIPANTAU_LOGIN_KNOWN_ADDRESS_DAYS", default=30)
SIPANTAU_LOGIN_GUARDED_INTERVAL = env.int("SIPANTAU_LOGIN_GUARDED_INTERVAL", default=60)
# Failures from one address, whatever the usernames, before that address is locked out.
SIPANTAU_LOGIN_ADDRESS_LIMIT = env.int("SIPANTAU_LOGIN_ADDRESS_LIMIT", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIPANTAU_LOGIN_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
# Attempts made while locked out are refused without being stored: the lockout does not grow
# longer, and an attacker hammering a locked account cannot grow its attempt row without bound.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.audit.client_ip"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
AXES_VERBOSE = False
# Number of reverse proxies in front of gunicorn that append to X-Forwarded-For (0: none,
# REMOTE_ADDR is the client). With a proxy, set 1 so lockouts and audit see the real client.
SIPANTAU_TRUSTED_PROXY_COUNT = env.int("SIPANTAU_TRUSTED_PROXY_COUNT", default=0)
# SECURE_PROXY_SSL_HEADER trusts X-Forwarded-Proto: safe only while nobody but the proxy reaches
# gunicorn. GUNICORN_BIND on loopback or a socket ensures it; on another address, set this to say
# the address is on a network only the proxy reaches (checked at start: accounts/checks.py).
SIPANTAU_BIND_PROXY_ONLY = env.bool("SIPANTAU_BIND_PROXY_ONLY", default=False)

# Two-factor (TOTP, django-otp): required for admins and task forces, optional for others.
OTP_TOTP_ISSUER = "SIPANTAU"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
SIPANTAU_RECOVERY_CODES = 10

# Sessions of privileged accounts (admins, task forces) end after this much idleness and,
# for everyone, this long after login whatever happens (seconds).
SIPANTAU_SESSION_IDLE_TIMEOUT = env.int("SIPANTAU_SESSION_IDLE_TIMEOUT", default=30 * 60)
SIPANTAU_SESSION_ABSOLUTE_TIMEOUT = env.int("SIPANTAU_SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)

# Content Security Policy: scripts and styles only from this site, never inline; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        # The offline entry's service worker and web manifest (travellers/offline.py).
        "worker-src": [SELF],
        "manifest-src": [SELF],
    },
}

# Caches: "shared" is seen by every gunicorn worker (rate limits): the database by default
# (create its table with `manage.py createcachetable`), or Redis with redis://… .
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": env.cache_url("SIPANTAU_SHARED_CACHE_URL", default="dbcache://sipantau_cache"),
}
SIPANTAU_RATE_LIMIT_CACHE = "shared"

# ---- security: rate limits per user and minute (accounts.ratelimit) ----
# Searches of the arrival list (only requests with a query count), NIK/passport look-ups at
# the post (one per traveller: a busy bus is ~40 a minute), and CSV/XLSX exports.
SIPANTAU_RATE_LIMIT_SEARCH = env.int("SIPANTAU_RATE_LIMIT_SEARCH", default=60)
# The NIK look-up answers only the entry form's pre-fill (travellers/lookup.py); its limits follow a
# post's pace, not a script's: one officer types a 16-digit NIK and a form for each traveller
# (~3 a minute, ~150 an hour; a minute's burst of NIKs when a bus's passengers go in one form),
# a busy post has a few officers at once (a peak-day post enters a few thousand travellers).
# Above them the form still works, without the pre-fill.
SIPANTAU_RATE_LIMIT_PERSON_LOOKUP = env.int("SIPANTAU_RATE_LIMIT_PERSON_LOOKUP", default=30)
SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_HOUR = env.int("SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_HOUR", default=200)
SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_DAY = env.int("SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_DAY", default=1000)
SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST = env.int("SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST", default=60)
SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST_HOUR = env.int("SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST_HOUR", default=600)
SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST_DAY = env.int("SIPANTAU_RATE_LIMIT_PERSON_LOOKUP_POST_DAY", default=5000)
# An officer whose look-ups in the last hour outnumber their entries by this many raises an alert
# (audit action "alert" and a WARNING on the sipantau.security log), once an hour.
SIPANTAU_LOOKUP_ALERT_UNMATCHED = env.int("SIPANTAU_LOOKUP_ALERT_UNMATCHED", default=30)
SIPANTAU_RATE_LIMIT_EXPORT = env.int("SIPANTAU_RATE_LIMIT_EXPORT", default=10)

# ---- security: retention (manage.py purge_expired, daily; SECURITY.md) ----
# Travellers' personal data: days after the end of isolation (or after arrival, without one).
SIPANTAU_RETENTION_DAYS = env.int("SIPANTAU_RETENTION_DAYS", default=30)
SIPANTAU_AUDIT_RETENTION_DAYS = env.int("SIPANTAU_AUDIT_RETENTION_DAYS", default=730)
SIPANTAU_LOGIN_LOG_RETENTION_DAYS = env.int("SIPANTAU_LOGIN_LOG_RETENTION_DAYS", default=90)

# ---- language switch ----
# The header's language button stores the choice in Django's language cookie; it lasts a year,
# so a phone keeps its language across browser restarts and sign-ins (no per-account setting).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True  # read by the server only
