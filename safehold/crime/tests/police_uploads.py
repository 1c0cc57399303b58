"""Helpers of the police.uk upload tests: files, posting them, and reading the run page."""

# ruff: noqa: S608 -- the tests' own SQL reads the test files by path.

import re

import duckdb
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safehold.audit.models import AuditEvent
from safehold.crime.models import CrimeImport
from safehold.crime.tests.conftest import (
    POLICE,
    stored_rows,
    zip_of,
)
from safehold.imports.models import ImportRun

STOP_AND_SEARCH = POLICE / "2018-09-greater-manchester-stop-and-search.csv"
OUTCOMES = POLICE / "2023-03-cleveland-outcomes.csv"


def raw_rows(*paths) -> int:
    files = ", ".join(f"'{p}'" for p in paths)
    return duckdb.sql(f"SELECT count(*) FROM read_csv([{files}], header=true)").fetchall()[0][0]


def download_zip(*paths) -> bytes:
    return zip_of({f"{p.name[:7]}/{p.name}": p.read_bytes() for p in paths})


def post(client, data: bytes, name: str):
    return client.post(
        reverse("crime:police-upload"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def latest_run() -> ImportRun:
    return ImportRun.objects.order_by("-created_at").first()


def nothing_written(root) -> bool:
    return (
        stored_rows(root) == {}
        and not CrimeImport.objects.exists()
        and not AuditEvent.objects.filter(object_type="crime.import").exists()
    )


def summary(page: str) -> dict[str, str]:
    """The run page's summary list, key to value."""
    pairs = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt><dd class="govuk-summary-list__value"'
        r"[^>]*>(.*?)</dd>",
        page,
        re.S,
    )
    return {k.strip(): " ".join(re.sub(r"<[^>]+>", "", v).split()) for k, v in pairs}
