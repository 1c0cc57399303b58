"""A property: whatever operations file is imported, the summary equals an independent plain
sum over the file's rows in the period."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.accounts.models import Agency
from safehold.operations.models import Operation

COUNTS = ("warrants_executed", "arrests", "safeguarding_referrals", "closure_notices_served",
          "closure_orders_made", "doors_knocked", "letters_delivered")  # fmt: skip
KEYS = {"closure_notices_served": "closure_notices", "closure_orders_made": "closure_orders"}
START, END = datetime.date(2023, 5, 1), datetime.date(2023, 9, 1)

rows = st.lists(
    st.fixed_dictionaries(
        {
            "day": st.dates(datetime.date(2023, 4, 25), datetime.date(2023, 9, 5)),
            "cash": st.decimals(0, 5000, places=2, allow_nan=False, allow_infinity=False),
            **{name: st.integers(0, 12) for name in COUNTS},
        }
    ),
    min_size=1,
    max_size=12,
)


def _file(generated) -> str:
    lines = ["key,name,kind,lead_agency,starts_at,cash_seized," + ",".join(COUNTS)]
    for n, row in enumerate(generated):
        counts = ",".join(str(row[name]) for name in COUNTS)
        lines.append(
            f"P{n},Operation {n},Day of action,Property Police,{row['day']} 10:00,{row['cash']},{counts}"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(generated=rows)
def test_the_summary_equals_a_plain_sum_over_the_imported_file(tmp_path, generated):
    # Each example in a savepoint rolled back, so the next starts from an empty database (the
    # audit log refuses the deletes a flush would make).
    with transaction.atomic():
        _check(tmp_path, generated)
        transaction.set_rollback(True)


def _check(tmp_path, generated):
    assert not Operation.objects.exists()
    Agency.objects.get_or_create(name="Property Police", defaults={"kind": "police"})
    path = tmp_path / "ops.csv"
    path.write_text(_file(generated))
    call_command("operations", "import", str(path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("operations", "summary", "--from", START.isoformat(), "--to", END.isoformat(),
                 "--format", "json", stdout=out)  # fmt: skip
    body = json.loads(out.getvalue())
    inside = [row for row in generated if START <= row["day"] <= END]
    for name in COUNTS:
        assert body[KEYS.get(name, name)] == sum(row[name] for row in inside), name
    assert body["cash_seized"] == f"{sum((row['cash'] for row in inside), 0):.2f}"
    assert body["operations"] == len(inside)
