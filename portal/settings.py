"""Settings for the coordination portal, read from the environment.

Everything a deployment changes comes from environment variables (or a `.env`
file beside `manage.py`); the defaults run the portal on one machine with
nothing else installed: SQLite under `var/` and a broker on the filesystem.
"""

from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

# Generic Django classes (ModelForm[Organisation], …) subscriptable at run time, for the types.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            'string (for example the output of `python -c "import secrets; '
            'print(secrets.token_urlsafe(50))"`), or set DEBUG=true for local development.'
        )
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"  # noqa: S105

# The portal's address as people reach it, for links in emails.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "simple_history",
    "django_countries",
    "portal",
    "stakeholders",
    "meetings",
    "activities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.UserLanguageMiddleware",
    # Before any view or middleware reads the body.
    "portal.middleware.RequestBodyLimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a locked-out login attempt is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Widgets render with the project's templates too (the pickers' autocomplete widget).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another one.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when REDIS_URL is set: cache and Celery broker. Otherwise a local-memory
# cache and a broker on the filesystem, so that one machine needs no server.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # An outage of Redis is a cache miss, never an error page.
            "BACKEND": "portal.lib.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        # Pages kept for their reader (`portal.lib.pagecache`), apart from the counters.
        "pages": {
            "BACKEND": "portal.lib.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }
    CELERY_BROKER_URL = "filesystem://localhost//"
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

# How long a page is kept for its reader to see again (`portal.lib.pagecache`): at most the
# minute its key names; any write a page could show drops it sooner. 0 keeps none.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)

CELERY_TIMEZONE = env.str("TIME_ZONE", default="Asia/Tashkent")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# What a task prints (the development console email) is information, not a warning.
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Reminders: one sweep finds what is due and queues it (no far-future tasks).
REMINDER_SWEEP_SECONDS = env.int("REMINDER_SWEEP_SECONDS", default=60)
# The reminders a new series starts with, in days before each meeting.
REMINDER_DEFAULT_DAYS = [7, 1]
# A request for an answer to invitees who have not answered, this many days before.
RSVP_CHASE_DAYS = env.int("RSVP_CHASE_DAYS", default=3)
# An action item's owner is reminded this many days before it is due, then weekly once late.
ACTION_ITEM_DUE_DAYS = env.int("ACTION_ITEM_DUE_DAYS", default=3)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Emails whose after-commit task was lost (broker down, worker restarted).
    "send-pending-emails": {"task": "portal.tasks.send_pending_emails", "schedule": 60.0},
    # Expired sessions, ended login sessions and audit events past their retention.
    "housekeeping": {"task": "portal.tasks.housekeeping", "schedule": 60.0 * 60 * 6},
    # Password-reset requests whose task was lost.
    "send-pending-password-resets": {
        "task": "stakeholders.tasks.send_pending_password_resets",
        "schedule": 60.0,
    },
    # Imports whose task was lost or whose worker died.
    "recover-import-batches": {
        "task": "stakeholders.tasks.recover_import_batches",
        "schedule": 60.0 * 5,
    },
    # Reminders and follow-ups that have fallen due.
    "send-due-reminders": {
        "task": "meetings.tasks.send_due_reminders",
        "schedule": float(REMINDER_SWEEP_SECONDS),
    },
    "forget-ended-login-sessions": {
        "task": "stakeholders.tasks.forget_ended_login_sessions",
        "schedule": 60.0 * 60 * 6,
    },
}
# Audit events older than this are deleted by the housekeeping task.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=3 * 365)

# Accounts
AUTH_USER_MODEL = "stakeholders.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "stakeholders.backends.EmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: lock an account from one address after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "stakeholders.access.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "portal.lib.net.client_ip"
# Besides: failed logins from one address across all accounts, so that one office behind
# one address is not locked out by a colleague's typos, yet guessing is still bounded.
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=50)
LOGIN_FAILURE_WINDOW_MINUTES = env.int("LOGIN_FAILURE_WINDOW_MINUTES", default=15)

# Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uz", _("Uzbek")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Tashkent")
USE_I18N = True
USE_TZ = True

# Static files: vendored assets under static/, served by WhiteNoise in production.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# Request bodies: form fields are small; files go to disk past 2.5 MB. A request larger
# than MAX_REQUEST_BODY is refused with 413 before it is read; the proxy in front should
# refuse it too (see README).
MAX_REQUEST_BODY = env.int("MAX_REQUEST_BODY", default=25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Meeting documents and evidence: PDF, Office and image files up to this size.
MAX_DOCUMENT_BYTES = env.int("MAX_DOCUMENT_BYTES", default=20 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console in development; in production EMAIL_URL, e.g.
# smtp+tls://user:password@smtp.example.org:587, or filemail:///path/to/folder.
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Coordination Portal <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The ORGANIZER of meeting invitations in calendars: the secretariat's mailbox.
MEETING_ORGANISER_EMAIL = env.str(
    "MEETING_ORGANISER_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
)


def _mailer(url: str) -> dict[str, object]:
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    options: dict[str, object] = {}
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        options = {
            "host": config["EMAIL_HOST"] or "localhost",
            "port": config["EMAIL_PORT"] or 25,
            "username": config["EMAIL_HOST_USER"] or "",
            "password": config["EMAIL_HOST_PASSWORD"] or "",
            "use_tls": bool(config.get("EMAIL_USE_TLS")),
            "use_ssl": bool(config.get("EMAIL_USE_SSL")),
            "timeout": 30,
        }
    elif backend == "django.core.mail.backends.filebased.EmailBackend":
        path = config["EMAIL_FILE_PATH"]
        options = {"file_path": f"/{path}" if path else str(VAR_DIR / "mail")}
    if backend == "django.core.mail.backends.console.EmailBackend":
        backend = "portal.lib.console_email.EmailBackend"
    return {"BACKEND": backend, "OPTIONS": options}


MAILERS = {
    "default": _mailer(
        env.str("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
    )
}
# An email claimed for longer than this was being sent by a worker that died: whether the
# mail server took it is unknown, so it is shown as such and never resent by itself.
EMAIL_STALE_CLAIM_MINUTES = env.int("EMAIL_STALE_CLAIM_MINUTES", default=10)
# Attempts before an email is given up as failed; the waits between them double from
# EMAIL_RETRY_SECONDS up to an hour.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
EMAIL_RETRY_SECONDS = env.int("EMAIL_RETRY_SECONDS", default=60)

# Security. Production (DEBUG off) is HTTPS only; a TLS-terminating proxy in
# front sets X-Forwarded-Proto, which SECURE_PROXY_SSL_HEADER trusts.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind the proxy, the client's address is the last one it adds to X-Forwarded-For.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SILENCED_SYSTEM_CHECKS = [
    # Email is unique case-insensitively through the UniqueConstraint on
    # Lower("email") in stakeholders.User, which this check cannot see.
    "auth.W004",
    # Preloading puts the whole domain, subdomains included, into the browsers'
    # built-in HTTPS-only lists; the deployment's owner opts in with
    # SECURE_HSTS_PRELOAD=true, it is not a default the portal can choose.
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Axes logs every successful login at INFO; failures and lockouts are WARNING. WeasyPrint
    # logs each step of each PDF, and its stylesheets as it loads them, at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
