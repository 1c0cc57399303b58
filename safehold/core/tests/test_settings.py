import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SECRET_KEY = "x" * 30 + "-production-like-secret-key-0123456789"
AUDIT_KEY = "y" * 20 + "-production-like-audit-key"


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
        SECRET_KEY=SECRET_KEY,
        SAFEHOLD_AUDIT_KEY=AUDIT_KEY,
    )
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_to_start_without_a_real_secret_key():
    done = run_check(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="",
        SAFEHOLD_AUDIT_KEY=AUDIT_KEY,
    )
    assert done.returncode != 0
    assert "Set SECRET_KEY" in done.stderr


@pytest.mark.parametrize("audit_key", ["", "too-short", SECRET_KEY])
def test_production_refuses_to_start_without_its_own_audit_key(audit_key):
    done = run_check(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET_KEY,
        SAFEHOLD_AUDIT_KEY=audit_key,
        SAFEHOLD_AUDIT_KEY_FILE="",
    )
    assert done.returncode != 0
    assert "Set SAFEHOLD_AUDIT_KEY" in done.stderr


def test_production_reads_the_audit_key_from_a_file(tmp_path):
    key_file = tmp_path / "audit.key"
    key_file.write_text(AUDIT_KEY + "\n")
    done = run_check(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET_KEY,
        SAFEHOLD_AUDIT_KEY="",
        SAFEHOLD_AUDIT_KEY_FILE=str(key_file),
    )
    assert done.returncode == 0, done.stderr


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
