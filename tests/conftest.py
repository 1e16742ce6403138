import os
import shutil
from pathlib import Path

import pytest

from stakeholders.models import Role
from tests.stakeholders.factories import UserFactory

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
BROWSER_DIR = Path(__file__).parent / "browser"


def chromium_available() -> bool:
    return CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests are marked `browser`; without Chromium they skip, except in CI."""
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: browser tests skipped")
    in_ci = os.environ.get("CI", "").lower() == "true"
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            if not chromium_available() and not in_ci:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def fresh_cache_keys(request: pytest.FixtureRequest):
    """Each test its own cache keys (rate-limit counters, …), without flushing a Redis
    that the broker may share."""
    from django.core.cache import caches

    kept = {backend: backend.key_prefix for backend in caches.all()}
    for backend, prefix in kept.items():
        backend.key_prefix = f"{prefix}test-{os.getpid()}-{request.node.nodeid}"
    yield
    for backend, prefix in kept.items():
        backend.key_prefix = prefix


@pytest.fixture
def secretariat_user(db):
    return UserFactory(role=Role.SECRETARIAT)


@pytest.fixture
def partner_user(db):
    return UserFactory(role=Role.PARTNER)


@pytest.fixture
def donor_user(db):
    return UserFactory(role=Role.DONOR)


@pytest.fixture
def user_of_role(db):
    """Make a user of the role given by name, or None for an anonymous visitor."""

    def make(role: str | None):
        return None if role is None else UserFactory(role=role)

    return make


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    return [
        f"database: {settings.DATABASES['default']['ENGINE']}",
        f"broker: {settings.CELERY_BROKER_URL.split('://', 1)[0]}",
        f"chromium: {CHROMIUM if chromium_available() else 'missing'}",
    ]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove this run's own broker folder (see portal/settings_test.py)."""
    from django.conf import settings

    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("control_folder")
    if folder and f"test-broker-{os.getpid()}" in str(folder):
        shutil.rmtree(Path(folder).parent, ignore_errors=True)
