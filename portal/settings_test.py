"""Test settings: the production settings with a fast hasher and in-memory mail."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-test-suite-only-0123456789")

from portal.settings import *  # noqa: F403
from portal.settings import DATABASES, INSTALLED_APPS, REDIS_URL, STORAGES, VAR_DIR

# Stand-ins for the later apps' models, for tests of the shared mechanisms.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.standin"]

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
# Uploaded files stay in memory: nothing reaches a disk path behind the storage API.
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A file, not SQLite's shared in-memory database, so that the live server and
# the Celery worker threads read and write beside the tests as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# Without Redis, a broker folder of this test run's own, so that a worker
# started by `make run` never takes the tests' tasks.
if not REDIS_URL:
    _test_broker = VAR_DIR / f"test-broker-{os.getpid()}"
    for _sub in ("queue", "processed", "control"):
        (_test_broker / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_test_broker / "queue"),
        "data_folder_out": str(_test_broker / "queue"),
        "processed_folder": str(_test_broker / "processed"),
        "control_folder": str(_test_broker / "control"),
        "store_processed": False,
    }
