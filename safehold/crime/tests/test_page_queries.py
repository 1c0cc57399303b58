"""The police.uk pages issue 14 made faster (ADR 38) keep their database queries fixed: the
dashboard, its printable view and a ward's locality report (page and PDF) read their figures
from the analytics store, so the database serves only the session, the user, the agency and
the audit event (15 queries with their savepoints, and on a page the unread notices counted for
the header; on PostgreSQL 4 more, the row-level security context set and cleared around the
request), however much police.uk data is loaded."""

import pytest
from django.db import connection
from django.urls import reverse

HEATONS_NORTH = "E05000791"


@pytest.mark.parametrize(
    ("name", "kwargs", "params", "most"),
    [
        ("crime:dashboard", {}, {}, 16),
        ("crime:dashboard-print", {}, {}, 16),
        ("crime:dashboard", {}, {"area": HEATONS_NORTH, "crime_type": "Burglary"}, 16),
        ("crime:ward-report", {"code": HEATONS_NORTH}, {}, 16),
        ("crime:ward-report", {"code": HEATONS_NORTH}, {"format": "pdf"}, 15),
    ],
)
def test_the_fast_pages_take_a_fixed_number_of_queries(
    signed_in, police_store, django_assert_max_num_queries, name, kwargs, params, most
):
    signed_in.get(reverse(name, kwargs=kwargs), params)  # the first one also makes the summaries
    with django_assert_max_num_queries(most + (4 if connection.vendor == "postgresql" else 0)):
        response = signed_in.get(reverse(name, kwargs=kwargs), params)
    assert response.status_code == 200
