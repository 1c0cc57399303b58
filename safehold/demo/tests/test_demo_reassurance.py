"""The demo's reassurance work: a stock file imported, 50 letters printed, a leaflet drop,
deliveries and visits, one raising a referral into triage; loaded once."""

from safehold.cases.choices import ReferralStatus
from safehold.demo import partnership
from safehold.demo import reassurance as demo
from safehold.reassurance.choices import BatchKind
from safehold.reassurance.models import Batch, DoorVisit, Property


def test_the_demo_prints_letters_drops_leaflets_and_raises_a_referral_once(db):
    partnership.load(seed=2022)
    letters = demo.load(seed=2022)
    assert letters is not None and letters.deliveries.count() == 50
    assert letters.deliveries.filter(delivered_on__isnull=False).count() == 40
    drop = Batch.objects.get(kind=BatchKind.LEAFLETS)
    assert drop.deliveries.count() == drop.deliveries.filter(distance_m__lte=150).count() > 0
    assert Property.objects.count() == 90
    raised = DoorVisit.objects.get(referral__isnull=False).referral
    assert raised.status == ReferralStatus.SUBMITTED and letters.reference in raised.what_was_seen
    assert demo.load(seed=2022) is None and Batch.objects.count() == 2
