"""The demo partnership has a board report: the SSP 2016/17 framework with its narratives and the
indicators Safehold computes from the demo's cases; loading the demo again changes nothing."""

from django.core.management import call_command
from django.urls import reverse

from safehold.accounts.models import User
from safehold.audit.models import AuditEvent
from safehold.performance.models import Indicator, IndicatorValue, Narrative, ValueChange


def test_the_demo_loads_the_framework_and_loading_again_changes_nothing(client, db):
    call_command("demo", "load")
    assert Indicator.objects.filter(computed=False).count() == 17
    assert Indicator.objects.filter(computed=True).count() == 3
    assert Narrative.objects.filter(period="2016/17").count() == 5
    assert IndicatorValue.objects.filter(computed=True).exists()  # from the demo's cases
    officer = User.objects.get(email="performance@council.demo.safehold.test")
    assert ValueChange.objects.filter(changed_by=officer).count() == 51
    counts = (
        IndicatorValue.objects.count(),
        ValueChange.objects.count(),
        AuditEvent.objects.count(),
    )
    call_command("demo", "load")
    assert (
        IndicatorValue.objects.count(),
        ValueChange.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    client.force_login(officer)
    page = client.get(reverse("performance:report"), {"period": "2016/17"}).content.decode()
    assert page.count('class="performance-chart"') == 17
    assert "Just under two thirds of MARAC cases involve children" in page
