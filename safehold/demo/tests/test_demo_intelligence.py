"""Issue 16, item 1: the demo's intelligence: Stockport Homes submits, the GMP analyst grades;
the landlord sees the status, the council the sanitised text, the analyst everything."""

from safehold.accounts.models import User
from safehold.demo import intelligence, partnership
from safehold.intelligence import selectors
from safehold.intelligence.models import Intelligence


def test_the_demo_intelligence_is_graded_and_seen_as_each_role_may(db):
    partnership.load(seed=2022)
    assert intelligence.load() == 4
    assert intelligence.is_loaded()
    assert sorted(Intelligence.objects.values_list("status", flat=True)) == [
        "actioned", "actioned", "graded", "submitted",
    ]  # fmt: skip
    analyst = User.objects.get(email=intelligence.ANALYST)
    epo = User.objects.get(email=intelligence.EPO)
    council = User.objects.get(email="admin@council.demo.safehold.test")
    assert selectors.intelligence_visible_to(analyst).count() == 4
    assert {selectors.access_of(epo, i) for i in selectors.intelligence_visible_to(epo)} == {
        selectors.STATUS
    }
    shared = selectors.intelligence_visible_to(council)
    assert shared.count() == 3  # two P, and the C naming the council
    assert {selectors.access_of(council, i) for i in shared} == {selectors.SANITISED}
