"""Fixtures for the geography tests: an analytics store of their own in a temporary DATA_DIR,
and the ONS test files (safehold/geography/tests/data/ons: small extracts, OGL v3.0)."""

from pathlib import Path

import pytest

from safehold.analytics.store import store_root

ONS = Path(__file__).resolve().parent / "data" / "ons"


@pytest.fixture
def store(settings, tmp_path) -> Path:
    """An empty analytics store (DATA_DIR/crime) for this test."""
    settings.DATA_DIR = tmp_path / "data"
    return store_root()
