import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from stakeholders.models import Language

BASE_DIR = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    # An empty SECRET_KEY also overrides one a developer keeps in .env.
    env = {"SECRET_KEY": "", **env}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_secret_key_with_debug_off_stops_start_up_with_a_clear_message():
    result = manage("check", DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = manage("check", DEBUG="true")

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_person_languages_are_the_portals_languages(settings):
    assert [code for code, _ in settings.LANGUAGES] == Language.values


def test_time_is_aware_and_local_to_tashkent_by_default(settings):
    assert settings.USE_TZ is True
    assert os.environ.get("TIME_ZONE", "Asia/Tashkent") == settings.TIME_ZONE


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/accounts/login/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
