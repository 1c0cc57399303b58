import pytest


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    """`demo load` writes the demo incident log to DATA_DIR: each test has its own."""
    settings.DATA_DIR = tmp_path / "data"
