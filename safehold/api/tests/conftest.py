"""Small helpers for API tests: a token for a user, and the header that carries it."""

import pytest

from safehold.api import services


@pytest.fixture
def bearer(db):
    """`bearer(user)` issues a token for the user and returns the request headers to send."""

    def make(user) -> dict[str, str]:
        _, key = services.create_token(user=user, name="Test partner system", by=None)
        return {"Authorization": f"Bearer {key}"}

    return make
