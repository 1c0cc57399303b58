import pytest

from tests.crash.harness import migrated_template


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    """A migrated database file, made once and copied by each crash test."""
    return migrated_template(tmp_path_factory)
