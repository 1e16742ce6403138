"""Test settings: the production settings with a fast hasher and in-memory mail."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-test-suite-only-0123456789")

from portal.settings import *  # noqa: F403
from portal.settings import DATABASES, STORAGES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# The test client speaks plain HTTP; the security settings are checked by
# `manage.py check --deploy` on the production settings instead.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Tasks run in the test's own process, right after commit.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not SQLite's shared in-memory database, so that the live server and
# the Celery worker threads read and write beside the tests as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
