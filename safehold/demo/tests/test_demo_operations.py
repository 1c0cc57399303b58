"""The demo's operations: the Mottram Estate warrants day, and a 2023 run whose summary gives
the published figures (31 arrests, 7 safeguarding referrals, 38 closure orders)."""

import io
import json

import pytest
from django.core.management import call_command

from safehold.cases.choices import ReferralStatus
from safehold.demo import operations as demo
from safehold.demo import partnership
from safehold.operations.models import Operation, OperationReferral

pytestmark = pytest.mark.django_db


def test_the_demo_summary_of_may_to_september_2023_gives_the_published_figures():
    partnership.load(seed=2022)
    assert demo.load() is not None
    out = io.StringIO()
    call_command("operations", "summary", "--from", "2023-05-01", "--to", "2023-09-01",
                 "--format", "json", stdout=out)  # fmt: skip
    body = json.loads(out.getvalue())
    assert (body["arrests"], body["safeguarding_referrals"], body["closure_orders"]) == (31, 7, 38)
    assert body["operations"] == len(demo.RUN)
    mottram = Operation.objects.get(name=demo.MOTTRAM)
    assert mottram.premises.count() == 3 and mottram.people_of_interest.count() == 2
    referral = OperationReferral.objects.get(operation=mottram).referral
    assert referral.status == ReferralStatus.SUBMITTED  # waiting in the triage queue
    assert demo.load() is None and Operation.objects.count() == len(demo.RUN) + 1
