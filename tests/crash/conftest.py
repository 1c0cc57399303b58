import pytest

from tests.crash.harness import Forked, migrated_template


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    """A migrated database file, made once and copied by each crash test; and the process
    that forks the tests' processes, set up once."""
    place = migrated_template(tmp_path_factory)
    Forked.serve(place.env())
    yield place
    Forked.stop_serving()
