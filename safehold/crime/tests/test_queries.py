"""The analyses against counts computed independently, in the test, from the raw files."""

# ruff: noqa: S608 -- the tests' own SQL reads the test files by path.

import csv
import io
import json
import zipfile
from collections import Counter

import duckdb
import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.audit.models import AuditEvent
from safehold.crime import queries
from safehold.crime.ingest import import_police_files
from safehold.crime.tests.conftest import CLEVELAND, ONS, POLICE, STOCKPORT_BURGLARY
from safehold.geography import layers as geography
from safehold.geography import ons

pytestmark = pytest.mark.django_db

STREET = [*CLEVELAND, POLICE / "2020-01-btp-street.csv"]
V2 = (
    ONS
    / "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Best_Fit_Lookup_for_EW_(V2).csv"
)
GM_LSOAS = geography.GM_DIR / "lsoa21.csv"
GM_LSOAS_2011 = geography.GM_DIR / "lsoa11.csv"


@pytest.fixture
def cleveland(store):
    """The street extracts imported, with the England and Wales lookups for their LSOAs."""
    ons.load_files(sorted(ONS.iterdir()))
    import_police_files(paths=STREET)
    return store


def _independent(group_by, start, end, types) -> Counter:
    """Counts straight from the CSVs with DuckDB: each LSOA code mapped to its 2021 LSOA by the
    lookup files themselves (the test ONS extract for Cleveland, the GM extract for BTP)."""
    column = {"month": '"Month"', "crime_type": '"Crime type"', "lsoa": "lsoa21"}
    files = ", ".join(f"'{p}'" for p in STREET)
    where = ["true"]
    if start:
        where.append(f"\"Month\" >= '{start}'")
    if end:
        where.append(f"\"Month\" <= '{end}'")
    if types:
        where.append('"Crime type" IN (' + ", ".join(f"'{t}'" for t in types) + ")")
    sql = f"""
        WITH fit AS (
            SELECT LSOA11CD AS code, LSOA21CD AS lsoa21 FROM read_csv('{V2}')
            UNION ALL SELECT lsoa11_code, lsoa21_code FROM read_csv('{GM_LSOAS_2011}')),
        raw AS (
            SELECT r.*, coalesce(fit.lsoa21, r."LSOA code") AS lsoa21
            FROM read_csv([{files}], header=true) r
            LEFT JOIN (SELECT DISTINCT code, lsoa21 FROM fit) fit ON fit.code = r."LSOA code")
        SELECT {", ".join(column[k] for k in group_by) or "'all'"}, count(*)
        FROM raw WHERE {" AND ".join(where)} GROUP BY ALL"""
    return Counter({tuple(r[:-1]): r[-1] for r in duckdb.sql(sql).fetchall()})


def _summary_csv(capsys, *args) -> list[dict[str, str]]:
    call_command("crime", "summary", *args)
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


KEYS = st.lists(st.sampled_from(["month", "crime_type", "lsoa"]), unique=True, max_size=3)
MONTHS = st.sampled_from([None, "2020-01", "2023-02", "2023-03"])
TYPES = st.lists(
    st.sampled_from(["Anti-social behaviour", "Burglary", "Violence and sexual offences", "Drugs"]),
    unique=True,
    max_size=2,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(group_by=KEYS, start=MONTHS, end=MONTHS, types=TYPES)
def test_summary_counts_equal_an_independent_count_of_the_raw_files(
    cleveland, capsys, group_by, start, end, types
):
    if start and end and end < start:
        start, end = end, start
    args = ["--group-by", ",".join(group_by) or "month"]
    group_by = group_by or ["month"]
    if start:
        args += ["--from", start]
    if end:
        args += ["--to", end]
    for t in types:
        args += ["--crime-type", t]
    rows = _summary_csv(capsys, *args)
    found = Counter({tuple(r[k] or None for k in group_by): int(r["count"]) for r in rows})
    assert found == _independent(group_by, start, end, types)


def test_the_summary_columns_are_the_keys_then_count(cleveland, capsys):
    rows = _summary_csv(capsys, "--group-by", "ward,month,crime_type", "--from", "2023-01")
    assert list(rows[0]) == ["ward", "ward_name", "month", "crime_type", "count"]
    assert sum(int(r["count"]) for r in rows) == 445


def test_a_merged_2011_lsoa_is_counted_in_its_2021_lsoa(cleveland):
    con = queries.connect()
    table = queries.counts(con, group_by=["lsoa"])
    counts = {r[0]: r[2] for r in table.rows}
    assert "E01011973" not in counts and "E01011976" not in counts
    raw = _independent(["lsoa"], None, None, ())
    assert counts["E01035188"] == raw[("E01035188",)]


@pytest.fixture
def stockport(store):
    """Stockport's burglaries 2016-02..2019-01 (no LSOA codes: placed by coordinates)."""
    import_police_files(paths=[STOCKPORT_BURGLARY])
    return store


def _burglary_rows() -> list[dict[str, str]]:
    rows = []
    with zipfile.ZipFile(STOCKPORT_BURGLARY) as z:
        for name in z.namelist():
            rows += csv.DictReader(io.TextIOWrapper(z.open(name), encoding="utf-8"))
    return rows


def _ward_population(ward_code: str) -> int:
    with open(GM_LSOAS, newline="") as f:
        return sum(
            int(r["population_2021"]) for r in csv.DictReader(f) if r["ward_code"] == ward_code
        )


def test_rates_per_1000_for_a_ward_are_its_count_over_its_population(stockport, capsys):
    rows = _summary_csv(
        capsys, "--group-by", "ward", "--from", "2017-01", "--to", "2017-12", "--rates"
    )
    assert len(rows) == 21  # Stockport's wards
    for row in rows:
        population = _ward_population(row["ward"])
        assert int(row["population"]) == population
        assert float(row["rate_per_1000"]) == round(int(row["count"]) * 1000 / population, 2)
    months = Counter(r["Month"] for r in _burglary_rows())
    assert sum(int(r["count"]) for r in rows) == sum(
        n for m, n in months.items() if "2017-01" <= m <= "2017-12"
    )


def test_every_stockport_burglary_is_placed_in_stockport(stockport):
    con = queries.connect()
    table = queries.counts(con, group_by=["local_authority"])
    assert table.rows == [("E08000007", "Stockport", len(_burglary_rows()))]


def test_the_trend_compares_each_month_with_a_year_before_and_rolls_12_months(stockport):
    months = Counter(r["Month"] for r in _burglary_rows())
    points = {p.month: p for p in queries.trend(queries.connect())}
    assert (min(points), max(points)) == ("2016-02", "2019-01")
    january = points["2018-01"]
    assert january.count == months["2018-01"]
    assert january.previous_year == months["2017-01"]
    assert january.change == months["2018-01"] - months["2017-01"]
    assert january.rolling_12 == sum(n for m, n in months.items() if "2017-02" <= m <= "2018-01")
    assert january.rolling_12_previous == sum(
        n for m, n in months.items() if "2016-02" <= m <= "2017-01"
    )
    assert points["2016-12"].rolling_12 is None  # 2015-12.. is not loaded
    assert points["2016-12"].previous_year is None


def test_the_seasonal_profile_names_summer_halloween_and_bonfire_night(stockport):
    months = Counter(r["Month"] for r in _burglary_rows())
    profile = queries.seasonal(queries.connect(), area="E08000007")
    assert [p.occasion for p in profile if p.occasion] == [
        "Summer", "Summer", "Summer", "Halloween", "Bonfire Night",
    ]  # fmt: skip
    october = profile[9]
    assert october.count == months["2016-10"] + months["2017-10"] + months["2018-10"]
    assert october.years == 3 and profile[0].years == 3 and profile[1].years == 3
    assert sum(p.count for p in profile) == sum(months.values())


def test_the_borough_is_compared_over_the_local_authorities_loaded(stockport):
    stockport_row, gm, england_and_wales = queries.compare(
        queries.connect(), area="E08000007", start="2017-01", end="2017-12"
    )
    assert (gm.code, england_and_wales.code) == ("E47000001", "K04000001")
    population = sum(_ward_population(r["ward"]) for r in _wards_of("E08000007"))
    assert stockport_row.population == stockport_row.total_population == population
    # Only Stockport's data is loaded: Greater Manchester's rate is over Stockport alone.
    assert (gm.local_authorities, gm.local_authorities_total) == (1, 10)
    assert gm.population == population and gm.count == stockport_row.count
    assert gm.rate_per_1000 == pytest.approx(stockport_row.count * 1000 / population)


def _wards_of(lad_code):
    with open(geography.GM_DIR / "wards.csv", newline="") as f:
        return [{"ward": r["ward_code"]} for r in csv.DictReader(f) if r["lad_code"] == lad_code]


def test_top_areas_are_ordered_by_count_or_rate(stockport):
    con = queries.connect()
    by_count = queries.top_areas(con, level="ward", limit=21)
    assert [a.count for a in by_count] == sorted((a.count for a in by_count), reverse=True)
    by_rate = queries.top_areas(con, level="ward", by="rate", limit=3)
    assert [a.rank for a in by_rate] == [1, 2, 3]
    best = max(by_count, key=lambda a: a.count / a.population)
    assert by_rate[0].code == best.code


def test_repeat_locations_count_the_same_place_again_and_again(cleveland):
    con = queries.connect()
    files = ", ".join(f"'{p}'" for p in STREET)
    raw = duckdb.sql(
        f"""SELECT "Location", "Longitude", "Latitude", count(*) n FROM read_csv([{files}])
        WHERE "Longitude" IS NOT NULL GROUP BY ALL HAVING n >= 3 ORDER BY n DESC"""
    ).fetchall()
    found = queries.repeat_locations(con, min_count=3, limit=1000)
    assert {(r.location, r.longitude, r.latitude, r.count) for r in found} == set(raw)
    profile = queries.repeat_profile(con)
    located = f'SELECT count(*) FROM read_csv([{files}]) WHERE "Longitude" IS NOT NULL'
    assert profile.incidents == duckdb.sql(located).fetchall()[0][0]
    assert profile.repeat_locations >= len(found)


def test_an_unknown_area_or_key_is_a_clear_error(store):
    con = queries.connect()
    with pytest.raises(queries.QueryError, match="“E05999999” is not an area"):
        queries.counts(con, group_by=["month"], area="E05999999")
    with pytest.raises(queries.QueryError, match="cannot group by “street”"):
        queries.counts(con, group_by=["street"])
    with pytest.raises(queries.QueryError, match="not a month in the format YYYY-MM"):
        queries.counts(con, group_by=["month"], start="2023-13")
    with pytest.raises(queries.QueryError, match="rates need an area"):
        queries.counts(con, group_by=["month"], rates=True)


def test_an_empty_store_gives_empty_answers(store):
    con = queries.connect()
    assert queries.counts(con, group_by=["month"]).rows == []
    assert queries.trend(con) == []
    assert queries.coverage(con).months == []


def test_the_json_summary_is_written_to_a_file_and_audited(stockport, tmp_path):
    out = tmp_path / "summary.json"
    call_command(
        "crime", "summary", "--group-by", "ward", "--rates", "--format", "json",
        "--output", str(out), "--area", "E08000007",
    )  # fmt: skip
    document = json.loads(out.read_text())
    assert document["analysis"] == "summary"
    assert document["columns"] == ["ward", "ward_name", "count", "population", "rate_per_1000"]
    assert sum(r["count"] for r in document["rows"]) == len(_burglary_rows())
    event = AuditEvent.objects.get(object_type="crime.summary")
    assert event.action == "consult" and event.channel == "cli"
    assert f"written to {out}" in event.purpose
