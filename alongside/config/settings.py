"""Django settings for Alongside.

Configuration comes from the environment so that the same code runs the
SQLite demo, the test suite on PostgreSQL and a council's deployment.
"""

import os
from pathlib import Path

import dj_database_url

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
    "alongside.codes",
    "alongside.places",
    "alongside.accounts",
    "alongside.people",
    "alongside.journeys",
    "alongside.community",
    "alongside.audit",
    "alongside.synthetic",
    "alongside.dataset",
    "alongside.logic_models",
    "alongside.api",
    "alongside.reports",
    "alongside.front",
    # Serves the API documentation's script and styles itself, not from a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"

# Groups smaller than this are shown as "<5" in anything a non-practitioner sees.
SMALL_NUMBER_THRESHOLD = 5

# Requests per token: enough for a nightly sync in pages of 1,000, not for scraping.
ALONGSIDE_API_RATE = os.environ.get("ALONGSIDE_API_RATE", "600/m")

# Identifiers are erased this many years after a person's support ends (`alongside retention`).
# Six years follows common council practice for adult social care records; set the council's own.
ALONGSIDE_RETENTION_YEARS = int(os.environ.get("ALONGSIDE_RETENTION_YEARS", "6"))
