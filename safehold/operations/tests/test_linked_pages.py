"""The operation page links what the partnership does next without copying it: letters and
leaflets for the neighbours of each premises the user may see (the reassurance planner), and
"Did it work?" (crime and ASB before and after, for the operation's area and day)."""

import datetime

import pytest
from django.urls import reverse

from safehold.geography.services import load_stockport_extract
from safehold.operations.services import planning
from safehold.people.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_each_visible_premises_links_to_its_reassurance_planner(client, operation, lead, partner):
    location = LocationFactory(owning_agency=lead.agency, address_line_1="9 Quorne Walk")
    planning.add_premises(operation=operation, location=location, by=lead)
    url = reverse("operations:detail", args=[operation.pk])
    planner = reverse("reassurance:plan", args=[location.pk])
    client.force_login(lead)
    assert f'href="{planner}"' in client.get(url).content.decode()
    # The partner cannot see the address, so is not offered its neighbours either.
    client.force_login(partner)
    assert planner not in client.get(url).content.decode()


def test_an_operation_in_a_ward_links_to_its_before_and_after_page(client, operation, lead):
    load_stockport_extract()
    from safehold.geography.models import Ward

    ward = Ward.objects.order_by("pk").first()
    operation.ward = ward
    operation.starts_at = datetime.datetime(2023, 5, 17, 6, 0, tzinfo=datetime.UTC)
    operation.save()
    client.force_login(lead)
    page = client.get(reverse("operations:detail", args=[operation.pk])).content.decode()
    expected = f"{reverse('crime:before-after')}?area={ward.pk}&amp;date=2023-05-17"
    assert f'href="{expected}"' in page and "Did it work?" in page


def test_an_operation_with_no_area_offers_no_before_and_after(client, operation, lead):
    operation.ward = operation.lsoa = None
    operation.save()
    client.force_login(lead)
    page = client.get(reverse("operations:detail", args=[operation.pk])).content.decode()
    assert "Did it work?" not in page
