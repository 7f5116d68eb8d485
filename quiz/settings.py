"""One settings module for development, tests and the school's server.

Everything that differs between machines comes from the environment; the
defaults are the safe ones (DEBUG off, SQLite in the checkout).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from quiz.env import env_bool, env_int, env_list, lan_hosts, secret_key, time_zone

BASE_DIR = Path(__file__).resolve().parent.parent
# Runtime state (database, secret key, collected static files) lives in one
# git-ignored folder so a back-up is one copy.
DATA_DIR = Path(env_list("DATA_DIR", [str(BASE_DIR / ".data")])[0])

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
# Pupils browse to the server's LAN address, which the IT person should not
# have to look up: every name and address of this machine is allowed. Set
# ALLOWED_HOSTS (comma-separated) to add a DNS name or to restrict.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", lan_hosts())

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "history",
    "quiz.core",
    "quiz.accounts",
    "quiz.questions",
    "quiz.play",
    "quiz.live",
    "quiz.classes",
    "quiz.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "quiz.urls"
WSGI_APPLICATION = "quiz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}", conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each worker keeps its connection (as on PostgreSQL): opening one and running
    # the pragmas below cost 2.5-6 % of a request. A restore needs the server stopped.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two
        # writers queue on the busy timeout instead of failing with
        # "database is locked" half-way through.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-20000;"
        ),
    }
    # A file (not :memory:) so the tests see WAL and real locking; one per
    # process so two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Teachers keep Django's default (slow on purpose) hasher; only roster-made
# student accounts use the cheaper one, checked by StudentBackend (quiz/accounts/backends.py).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "quiz.accounts.backends.StudentPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "quiz.accounts.backends.StudentBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Reads back sessions signed in before quiz/ was split; signs nobody in.
    "quiz.auth.StudentBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
# The zone opening and closing times are typed and shown in (quiz/env.py).
TIME_ZONE = time_zone()
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Without collectstatic (a developer's checkout, the test suite) fall back to
# the unhashed file instead of failing the page.
WHITENOISE_MANIFEST_STRICT = False

# Sessions are signed cookies: no database write per request.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12

# A school LAN usually has no certificates. HTTPS=on (behind a TLS reverse
# proxy) switches on every HTTPS-only protection in one go.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    # check --deploy warns about these on purpose; on plain HTTP they cannot apply.
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token travels in hx-headers.

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Everything to stdout, one line per record (a traceback follows a 500):
# gunicorn's access log is on stdout too, so systemd or a terminal sees one stream.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} [{process}] {name} {message}", "style": "{"}
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["stdout"], "level": env_list("LOG_LEVEL", ["INFO"])[0]},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Seconds added to every question's deadline to cover network delay.
QUIZ_GRACE_SECONDS = env_int("QUIZ_GRACE_SECONDS", 2)
# A live game's stream under a WSGI server (runserver, a sync worker) cannot stay
# open: it says the version and asks the browser to come back after this long.
LIVE_WSGI_RECONNECT_MS = env_int("LIVE_WSGI_RECONNECT_MS", 2000)
