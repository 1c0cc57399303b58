from django.db.models import Sum

from safehold.geography.models import Lsoa, NeighbourhoodArea, Ward
from safehold.geography.services import load_stockport_extract


def test_the_stockport_extract_loads_its_wards_lsoas_and_neighbourhoods(db):
    counts = load_stockport_extract()
    assert counts == {"wards": 21, "lsoas": 191, "neighbourhoods": 23}
    assert Ward.objects.filter(local_authority__name="Stockport").count() == 21
    # Every LSOA sits in a Stockport ward, and every ward has at least one LSOA.
    assert not Ward.objects.filter(lsoas__isnull=True).exists()
    assert Lsoa.objects.get(code="E01005743").ward.name == "Bredbury and Woodley"
    # Census 2021 usual residents across the 191 Stockport LSOAs (ONS TS001; ~294,800 published).
    assert Lsoa.objects.aggregate(total=Sum("population"))["total"] == 294_770


def test_the_23_neighbourhoods_of_the_evaluation_report_each_lie_in_a_ward(db):
    load_stockport_extract()
    names = set(NeighbourhoodArea.objects.values_list("name", flat=True))
    assert {"Brinnington", "Mottram Street Estate", "Reddish", "Adswood", "The Heatons"} <= names
    assert len(names) == 23
    assert not NeighbourhoodArea.objects.filter(wards__isnull=True).exists()


def test_loading_twice_changes_nothing(db):
    load_stockport_extract()
    before = (Ward.objects.count(), Lsoa.objects.count(), NeighbourhoodArea.objects.count())
    load_stockport_extract()
    assert (Ward.objects.count(), Lsoa.objects.count(), NeighbourhoodArea.objects.count()) == before


def test_loading_again_puts_back_what_was_changed(db):
    load_stockport_extract()
    brinnington = NeighbourhoodArea.objects.get(name="Brinnington")
    wards = set(brinnington.wards.values_list("code", flat=True))
    lsoa = Lsoa.objects.get(code="E01005743")
    Ward.objects.filter(code=lsoa.ward_id).update(name="Renamed")
    Lsoa.objects.filter(code=lsoa.code).update(population=1)
    brinnington.wards.set([Ward.objects.exclude(code__in=wards).first()])
    load_stockport_extract()
    assert Lsoa.objects.get(code="E01005743").ward.name == "Bredbury and Woodley"
    assert Lsoa.objects.get(code="E01005743").population == lsoa.population
    assert set(brinnington.wards.values_list("code", flat=True)) == wards
