import pytest


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """Each test's own analytics store (the extracts' Parquet)."""
    settings.DATA_DIR = tmp_path
    return tmp_path
