"""Postcode points (ADR 0037): the SK area shipped, other areas loaded by command or upload (all
or nothing, a re-load a no-op, a loaded point winning over a shipped one), and a postcode placed
in today's LSOA and ward by its coordinates."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import UserFactory
from safehold.audit.models import AuditEvent
from safehold.core.csvfiles import ImportInvalid
from safehold.core.errors import NotPermitted
from safehold.geography import postcodes
from safehold.geography.models import PostcodePoint
from safehold.geography.postcode_files import load_postcode_points
from safehold.geography.services import load_stockport_extract
from safehold.imports.models import ImportRun

pytestmark = pytest.mark.django_db

# Two rows of OS Code-Point Open as published (no header row): postcode, quality, E, N, …
CODE_POINT = (
    '"WA1 1AA",10,360750,388500,"E92000001","E19000001","E18000002","","E06000007","E05001234"\n'
    '"WA1 1AB",90,0,0,"E92000001","","","","",""\n'
    '"WA1 1AD",10,360800,388600,"E92000001","E19000001","E18000002","","E06000007","E05001234"\n'
)


@pytest.fixture
def administrator(agency):
    return UserFactory(agency=agency, role=Role.ADMINISTRATOR)


def test_every_postcode_of_the_sk_area_is_shipped_with_its_point():
    shipped = postcodes.shipped_points()
    assert len(shipped) == 16_106
    assert shipped["SK1 1EB"] == (389602, 390359)
    place = postcodes.find(["sk11eb"])["SK1 1EB"]
    assert (place.easting, place.northing) == (389602, 390359)
    assert place.latitude == pytest.approx(53.40995, abs=1e-4)
    assert place.longitude == pytest.approx(-2.15788, abs=1e-4)
    assert postcodes.find(["SK9 9ZZ", "nonsense", ""]) == {}


def test_a_postcode_is_placed_in_todays_lsoa_and_its_ward_by_its_point():
    load_stockport_extract()
    found = postcodes.look_up("sk1 1eb")
    assert found.postcode == "SK1 1EB"
    assert found.lsoa.code == "E01033947" and found.ward.code == "E05000783"
    outside = postcodes.look_up("SK17 6AA")  # Buxton: a shipped SK postcode outside GM
    assert outside is not None and outside.lsoa is None and outside.ward is None
    assert postcodes.look_up("SK9 9ZZ") is None and postcodes.look_up("not one") is None


def test_code_point_open_loads_all_or_nothing_and_a_reload_changes_nothing(administrator):
    loaded = load_postcode_points(source=CODE_POINT.encode(), file_name="wa.csv", by=administrator)
    assert (loaded.postcodes, loaded.skipped) == (2, 1)
    point = PostcodePoint.objects.get(postcode="WA1 1AA")
    assert (point.easting, point.northing, point.source) == (360750, 388500, "wa.csv")
    assert point.latitude == pytest.approx(53.39, abs=0.01)
    assert postcodes.find(["WA1 1AD"])["WA1 1AD"].northing == 388600
    event = AuditEvent.objects.get(object_type="geography.postcode_points")
    assert event.actor == administrator and event.action == "collect"
    assert "wa.csv: 2 postcodes, 1 rows skipped" in event.purpose

    load_postcode_points(source=CODE_POINT.encode(), file_name="wa.csv", by=administrator)
    assert PostcodePoint.objects.count() == 2
    assert PostcodePoint.objects.get(postcode="WA1 1AA").easting == 360750

    bad = CODE_POINT + '"WA1 1AE",10,north,388600,"E92000001","","","","",""\n'
    with pytest.raises(ImportInvalid) as caught:
        load_postcode_points(source=bad.replace("WA1 1AA", "WA2 2AA").encode(), file_name="x")
    assert [(e.row, e.column) for e in caught.value.errors] == [(4, "easting")]
    assert not PostcodePoint.objects.filter(postcode="WA2 2AA").exists()


def test_a_loaded_point_wins_over_the_shipped_one():
    load_postcode_points(
        source=b"postcode,eastings,northings\nSK1 1EB,389000,390000\n", file_name="f"
    )
    place = postcodes.find(["SK1 1EB"])["SK1 1EB"]
    assert (place.easting, place.northing, place.source) == (389000, 390000, "f")


def test_the_national_code_point_zip_is_read_file_by_file(tmp_path):
    archive = tmp_path / "codepo_gb.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Doc/Code-Point_Open_Column_Headers.csv", "PC,PQ,EA,NO\n")
        z.writestr("Data/CSV/wa.csv", CODE_POINT)
        z.writestr("Data/CSV/m.csv", '"M1 1AE",10,384000,398000,"E92000001","","","","",""\n')
    loaded = load_postcode_points(source=archive, file_name=archive.name)
    assert (loaded.postcodes, loaded.skipped) == (3, 1)
    assert set(PostcodePoint.objects.values_list("postcode", flat=True)) == {
        "WA1 1AA", "WA1 1AD", "M1 1AE"
    }  # fmt: skip


def test_only_administrators_load_postcode_points(caseworker):
    with pytest.raises(NotPermitted):
        load_postcode_points(source=CODE_POINT.encode(), file_name="wa.csv", by=caseworker)
    assert not PostcodePoint.objects.exists()


def test_the_command_loads_a_file_and_finds_a_postcode(tmp_path):
    path = tmp_path / "wa.csv"
    path.write_text(CODE_POINT, encoding="utf-8")
    out = io.StringIO()
    call_command("postcodes", "load", str(path), stdout=out, stderr=io.StringIO())
    assert "Loaded 2 postcode(s) from wa.csv (1 row(s) without a position skipped)" in (
        out.getvalue()
    )
    load_stockport_extract()
    out = io.StringIO()
    call_command("postcodes", "find", "sk1 1eb", stdout=out)
    assert "SK1 1EB: 53.4" in out.getvalue() and "LSOA E01033947" in out.getvalue()
    with pytest.raises(CommandError, match="not in the postcode look-up"):
        call_command("postcodes", "find", "SK9 9ZZ")
    with pytest.raises(CommandError, match="no such file"):
        call_command("postcodes", "load", str(tmp_path / "missing.csv"))


def test_an_administrator_uploads_postcode_points_on_the_page(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("geography:postcodes-upload"))
    assert page.status_code == 200
    assert "16,106 SK postcodes shipped with Safehold" in page.content.decode()
    assert "Contains OS data © Crown copyright" in page.content.decode()
    response = client.post(
        reverse("geography:postcodes-upload"),
        {"file": SimpleUploadedFile("wa.csv", CODE_POINT.encode(), content_type="text/csv")},
    )
    run = ImportRun.objects.get(kind="postcodes")
    assert response.status_code == 302 and response.url == reverse(
        "geography:postcodes-upload-run", args=[run.pk]
    )
    assert run.status == ImportRun.Status.DONE and run.result["postcodes"] == 2
    assert PostcodePoint.objects.count() == 2
    done = client.get(response.url).content.decode()
    assert "Loaded 2 postcodes from wa.csv" in done


def test_a_refused_upload_lists_its_problems_and_loads_nothing(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("geography:postcodes-upload"),
        {"file": SimpleUploadedFile("bad.csv", b"postcode,lat,lon\nnonsense,53.4,-2.1\n")},
    )
    page = client.get(response.url).content.decode()
    assert "nothing was loaded" in page and "is not a full postcode" in page
    assert not PostcodePoint.objects.exists()


def test_other_roles_cannot_use_the_upload_page(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("geography:postcodes-upload")).status_code == 403


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("pcds,lat,long\nWA1 1AA,53.4,-2.6\n".encode("utf-16"), "not UTF-8 text"),
        (b"pcds,lat,long\n" + b"x" * 200_000 + b"\n", "Row 2: the file cannot be read as CSV"),
        (b"\x1f\x8b\x08\x00garbage", "the compressed file is damaged"),
        (b"PK\x03\x04garbage", "the zip file cannot be opened"),
    ],
    ids=["utf-16", "a field beyond the csv module's limit", "a damaged gzip", "a damaged zip"],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_message_not_a_crash(
    administrator, data, problem
):
    """Found by the importers' fuzzing (ADR 0064): each raised UnicodeDecodeError, csv.Error,
    gzip's or zipfile's own error from the streamed read, a server error on the upload."""
    with pytest.raises(ImportInvalid) as refused:
        load_postcode_points(source=data, file_name="points.csv", by=administrator)
    assert problem.lower() in str(refused.value.errors[0]).lower()
    assert not PostcodePoint.objects.exists()
