import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def run_check(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 — Safehold's own command line
        [sys.executable, "-m", "safehold.cli", "check", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks_with_no_warning():
    done = run_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 30 + "-production-like-secret-key-0123456789",
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_real_secret_key():
    done = run_check(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY="")
    assert done.returncode != 0
    assert "Set SECRET_KEY" in done.stderr


def test_postgresql_is_used_when_database_url_says_so():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['ATOMIC_REQUESTS'])"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "safehold.cli", "shell", "--verbosity", "0", "-c", code],
        env={**os.environ, "DATABASE_URL": "postgres://someone@db.example:5432/safehold"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["django.db.backends.postgresql", "safehold", "True"]
