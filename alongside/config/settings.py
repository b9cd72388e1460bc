"""Django settings for Alongside.

Configuration comes from the environment so that the same code runs the
SQLite demo, the test suite on PostgreSQL and a council's deployment.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ALONGSIDE_DATA_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("ALONGSIDE_DEBUG", "0") == "1"
# The demo and tests run on loopback only; a deployment must set its own key.
SECRET_KEY = os.environ.get("ALONGSIDE_SECRET_KEY", "insecure-demo-key-set-ALONGSIDE_SECRET_KEY")
ALLOWED_HOSTS = os.environ.get("ALONGSIDE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "alongside.codes",
    "alongside.places",
    "alongside.accounts",
    "alongside.people",
    "alongside.journeys",
    "alongside.economics",
    "alongside.community",
    "alongside.fidelity",
    "alongside.audit",
    "alongside.synthetic",
    "alongside.dataset",
    "alongside.logic_models",
    "alongside.api",
    "alongside.reports",
    "alongside.front",
    "alongside.operations",
    # Serves the API documentation's script and styles itself, not from a CDN.
    "ninja",
    # Django's task framework (django-tasks, its reference backport) with the database backend:
    # the queue lives in the same database, so no broker to run (see README, "Background work").
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so the request id is on every line logged while the request runs.
    "alongside.operations.requests.RequestIdAndMetrics",
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names, from the app itself (no separate web server needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alongside.api.guard.ApiGuard",
    # Notes the primary's WAL position after a write, for reading one's own writes.
    "alongside.operations.replica.RememberWrites",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "alongside.places.language.CouncilFirstLanguage",
    "alongside.accounts.sign_in_limit.AddressLimit",
    "alongside.accounts.idle.KeepSessionAlive",
    "django_otp.middleware.OTPMiddleware",
    "alongside.accounts.two_factor.RequireSecondFactor",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alongside.config.urls"
WSGI_APPLICATION = "alongside.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "alongside.front.navigation.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'alongside.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the demo server read while a command writes.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["init_command"] = "PRAGMA journal_mode=WAL;"
    # Take the write lock when a transaction starts, so two requests writing at once queue
    # (up to `timeout` seconds) instead of one failing with "database is locked".
    options["transaction_mode"] = "IMMEDIATE"
    options["timeout"] = 20
    # Tests use a file too: an in-memory database fails concurrent writers at once
    # ("table is locked") where a real one makes them wait.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-alongside.sqlite3")}

# A PostgreSQL streaming replica for the evidence pages, reports and exports to read from
# (operations/replica.py); writes, sign-in and the audit chain stay on the primary. In tests the
# replica is the primary itself (MIRROR), unless a test starts a real one.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["alongside.operations.replica.ReplicaRouter"]
# The key the Network's research export is pseudonymised with, on the workers' machine.
ALONGSIDE_RESEARCH_KEY_FILE = os.environ.get("ALONGSIDE_RESEARCH_KEY_FILE", "")
# How far behind (seconds) the replica may be and still be read.
ALONGSIDE_REPLICA_MAX_LAG = float(os.environ.get("ALONGSIDE_REPLICA_MAX_LAG", "30"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# NCSC password guidance: length and a deny-list of common passwords, no composition rules and
# no forced expiry (they push people to predictable passwords). Twelve characters suits
# "three random words".
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes counts failed sign-ins and pauses an account after five for 15 minutes, for the
# address they came from (username and address together): one person's typos do not lock out
# the office that shares their address, and nobody elsewhere can lock a Coordinator out with
# five requests. accounts/sign_in_limit.py limits each address across all accounts. A council
# unlocks an account at once with `alongside axes_reset_username NAME` (or the admin's "Access
# attempts").
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failed sign-ins from one address, across accounts, before that address is paused for 15 min.
ALONGSIDE_SIGN_IN_ADDRESS_LIMIT = int(os.environ.get("ALONGSIDE_SIGN_IN_ADDRESS_LIMIT", "30"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# axes.W006 asks for locking by address alone; see above for why Alongside does not.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# E-mail: a forgotten password is reset from a link sent to the address on the account. The
# council's own mail relay (SMTP); without EMAIL_HOST, e-mails are written to the log instead,
# which suits the demo and nothing else. The link works once, for an hour, and leaves the second
# factor to be given at the next sign-in as always.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("ALONGSIDE_FROM_EMAIL", "Alongside <alongside@localhost>")
# Where Alongside is served, for the links in e-mails sent by the worker (it has no request).
ALONGSIDE_BASE_URL = os.environ.get("ALONGSIDE_BASE_URL", "http://127.0.0.1:8000")
PASSWORD_RESET_TIMEOUT = 60 * 60
# Reset e-mails one address may be sent per hour: enough for a lost one, not for a flood.
ALONGSIDE_RESET_EMAILS_PER_HOUR = 3

# TOTP codes: the issuer name shown in the authenticator app; wrong codes slow down the next try.
OTP_TOTP_ISSUER = os.environ.get("ALONGSIDE_OTP_ISSUER", "Alongside")
# The demo shows the current code on the two-factor page (see accounts/two_factor.py).
ALONGSIDE_DEMO = os.environ.get("ALONGSIDE_DEMO", "0") == "1"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "testserver"}
if ALONGSIDE_DEMO:
    # Demo mode shows every second-factor code, so a password alone would open an account: it
    # may only serve the local demo. Refused outright (not just by `check --deploy`) wherever a
    # production setting shows this is not that.
    import sys

    from django.core.exceptions import ImproperlyConfigured

    refusals = [why for why, found in (
        ("ALONGSIDE_HTTPS=1", os.environ.get("ALONGSIDE_HTTPS", "0") == "1"),
        ("served by gunicorn", "gunicorn" in Path(sys.argv[0]).name
         or "gunicorn" in os.environ.get("SERVER_SOFTWARE", "")),
        ("host names beyond loopback in ALONGSIDE_ALLOWED_HOSTS", not set(ALLOWED_HOSTS) <= LOOPBACK),
    ) if found]
    if refusals:
        raise ImproperlyConfigured(
            f"ALONGSIDE_DEMO=1 shows every user's two-factor code, so it only serves the local demo "
            f"(scripts/start); refused here because: {'; '.join(refusals)}. Unset ALONGSIDE_DEMO.")

# A Welsh-only service can open in Welsh for everyone who has not chosen (ALONGSIDE_LANGUAGE=cy).
LANGUAGE_CODE = os.environ.get("ALONGSIDE_LANGUAGE", "en-gb")
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("ALONGSIDE_STATIC_ROOT", DATA_DIR / "static"))
# WhiteNoise serves the static files. Where they have been collected (the container image does
# it when it is built), with hashed names and cached for a year; otherwise straight from the
# apps, so a checkout runs without a collectstatic step.
if os.environ.get("ALONGSIDE_COLLECTED_STATIC", "0") == "1":
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at every start without it

SESSION_COOKIE_HTTPONLY = True
# Signed out after 30 minutes without a request: a phone left on a bus, a screen left unlocked.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("ALONGSIDE_IDLE_MINUTES", "30"))
# The expiry moves forward at most once a minute (accounts/idle.py), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Scripts only from Alongside itself or carrying this response's nonce; nothing framed, no
# plugins, forms post only back to Alongside.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Behind HTTPS (every real deployment): secure cookies, HSTS and a redirect from plain HTTP.
# `alongside check --deploy` is clean with ALONGSIDE_HTTPS=1, a secret key and the host names set.
if os.environ.get("ALONGSIDE_HTTPS", "0") == "1":
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Nothing Alongside takes from a form is large; this bounds what one request can make it read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Groups smaller than this are shown as "<5" in anything a non-practitioner sees.
SMALL_NUMBER_THRESHOLD = 5

# Requests per token: enough for a nightly sync in pages of 1,000, not for scraping.
ALONGSIDE_API_RATE = os.environ.get("ALONGSIDE_API_RATE", "600/m")

# Identifiers are erased this many years after a person's support ends (`alongside retention`).
# Six years follows common council practice for adult social care records; set the council's own.
ALONGSIDE_RETENTION_YEARS = int(os.environ.get("ALONGSIDE_RETENTION_YEARS", "6"))

# Background work (reports, exports, imports, retention, e-mails) is queued in the database and
# done by `alongside worker`. A worker not heard from for WORKER_LOST_AFTER seconds is taken to
# have stopped: what it was doing is tried again, up to WORK_ATTEMPTS times, then marked failed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ALONGSIDE_WORKER_LOST_AFTER = int(os.environ.get("ALONGSIDE_WORKER_LOST_AFTER", "60"))
ALONGSIDE_WORK_ATTEMPTS = int(os.environ.get("ALONGSIDE_WORK_ATTEMPTS", "2"))
# Finished exports wait here for their download; half-written ones are in its tmp/ and are
# removed when the work is found lost.
ALONGSIDE_WORK_DIR = Path(os.environ.get("ALONGSIDE_WORK_DIR", DATA_DIR / "work"))

# JSON lines to standard output, each with its request id (ALONGSIDE_LOG_FORMAT=text for plain).
from alongside.operations.logs import config as _logging  # noqa: E402

LOGGING = _logging(os.environ.get("ALONGSIDE_LOG_LEVEL", "INFO"),
                   json=os.environ.get("ALONGSIDE_LOG_FORMAT", "json") != "text")
# A scraper sends this as a bearer token to read /metrics; unset, there is no /metrics.
ALONGSIDE_METRICS_TOKEN = os.environ.get("ALONGSIDE_METRICS_TOKEN", "")

# The audit trail's hashes are keyed with this (default: derived from the secret key). Keep it
# out of the database and its backups: with it, someone could re-hash an edited trail.
ALONGSIDE_AUDIT_KEY = os.environ.get("ALONGSIDE_AUDIT_KEY", "")
# Signed checkpoints of the audit chain, written by each worker hourly (and to the log). Put
# this on storage the database's administrators cannot write to.
ALONGSIDE_AUDIT_CHECKPOINT_DIR = Path(os.environ.get("ALONGSIDE_AUDIT_CHECKPOINT_DIR",
                                                     DATA_DIR / "audit-checkpoints"))
ALONGSIDE_AUDIT_CHECKPOINT_MINUTES = int(os.environ.get("ALONGSIDE_AUDIT_CHECKPOINT_MINUTES", "60"))
