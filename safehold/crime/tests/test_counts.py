"""The counts each import keeps beside its street files (ADR 38) always equal a count of the
rows: after an import, a re-import, the replacement of a force-month, a refused run and a swap
that failed half way. Property-style: several runs of random files, from a fixed seed each."""

import csv
import io
import os
import random
import zipfile

import pytest

from safehold.crime import queries
from safehold.crime import store as crime_store
from safehold.crime.connection import COUNTED_FROM_ROWS
from safehold.crime.ingest import ImportRefused, import_police_files
from safehold.crime.ingest.files import STREET_COLUMNS
from safehold.crime.tests.conftest import CLEVELAND, STOCKPORT_BURGLARY

pytestmark = pytest.mark.django_db

FORCES = {"greater-manchester": "Greater Manchester Police", "cleveland": "Cleveland Police"}
TYPES = ["Burglary", "Anti-social behaviour", "Vehicle crime", "Shoplifting", "Drugs"]
MONTHS = ["2017-01", "2017-02", "2017-03"]
GROUPINGS = [
    ["month", "lsoa"],
    ["ward", "month"],
    ["local_authority", "crime_type"],
    ["force", "month"],
    ["crime_type"],
    [],
]


def _pool() -> dict[str, list[dict]]:
    """Real rows to draw from: Stockport's burglaries (LSOAs in the geography, so they have
    wards) and Cleveland's test rows (LSOAs outside it)."""
    with zipfile.ZipFile(STOCKPORT_BURGLARY) as archive:
        name = next(n for n in archive.namelist() if n.endswith("-street.csv"))
        gm = list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
    cleveland = [r for path in CLEVELAND for r in csv.DictReader(path.open(encoding="utf-8"))]
    return {"greater-manchester": gm, "cleveland": cleveland}


def _write(folder, rng: random.Random, pool, force: str, month: str, rows: int):
    path = folder / month / f"{month}-{force}-street.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=STREET_COLUMNS)
        writer.writeheader()
        for _ in range(rows):
            row = dict(rng.choice(pool[force]))
            row.update(
                {"Month": month, "Falls within": FORCES[force], "Reported by": FORCES[force]}
            )
            row["Crime type"] = rng.choice(TYPES)
            chance = rng.random()
            if chance < 0.1:  # no LSOA: placed by its coordinates (in Greater Manchester)
                row["LSOA code"] = row["LSOA name"] = ""
            elif chance < 0.15:  # no location at all
                row.update({"LSOA code": "", "LSOA name": "", "Longitude": "", "Latitude": ""})
            writer.writerow({c: row.get(c, "") for c in STREET_COLUMNS})
    return path


def _files(folder, rng, pool, partitions):
    return [_write(folder, rng, pool, f, m, rng.randint(1, 60)) for f, m in partitions]


# The summary counted from the rows, as it was before the counts were kept.
BY_MONTH_TYPE_AND_LSOA = """
    SELECT s.month, s.crime_type, coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code) AS l,
        any_value(g.lsoa21_name), count(*)
    FROM street s LEFT JOIN lsoa_codes m ON m.code = coalesce(s.lsoa_code, s.placed_lsoa_code)
    LEFT JOIN lsoa21 g ON g.lsoa21_code = coalesce(m.lsoa21_code, s.lsoa_code, s.placed_lsoa_code)
    GROUP BY 1, 2, 3 ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3 NULLS LAST"""


def _counted_from_rows(con):
    """The same connection's analyses, counting the rows instead of reading the counts."""
    crime_store.run(con, f"CREATE OR REPLACE VIEW street_counts AS {COUNTED_FROM_ROWS}")
    return con


def assert_counts_match_the_rows(root):
    assert crime_store.has_counts(root)
    for partition in crime_store.partitions(root, "street"):
        assert crime_store.written_by(partition.counts_path(root)) == crime_store.written_by(
            partition.path(root)
        )
    kept, scanned = queries.connect(root), _counted_from_rows(queries.connect(root))
    for group_by in GROUPINGS:
        assert (
            queries.counts(kept, group_by=group_by).rows
            == queries.counts(scanned, group_by=group_by).rows
        ), group_by
    filters = {"start": "2017-02", "crime_types": ["Burglary", "Drugs"], "area": "E08000007"}
    assert (
        queries.counts(kept, group_by=["ward"], rates=True, **filters).rows
        == queries.counts(scanned, group_by=["ward"], rates=True, **filters).rows
    )
    assert queries.coverage(kept) == queries.coverage(scanned)
    # The month x type x LSOA summary is read from the monthly files: against the rows.
    summary = queries.counts(kept, group_by=["month", "crime_type", "lsoa"])
    assert summary.columns == ("month", "crime_type", "lsoa", "lsoa_name", "count")
    assert summary.rows == crime_store.run(kept, BY_MONTH_TYPE_AND_LSOA)
    burglary = queries.counts(
        kept, group_by=["month", "crime_type", "lsoa"], start="2017-02", crime_types=["Burglary"]
    )
    assert burglary.rows == [r for r in summary.rows if r[0] >= "2017-02" and r[1] == "Burglary"]
    row_total = crime_store.scalar(kept, "SELECT count(*) FROM street")
    assert queries.counts(kept, group_by=[]).rows == [(row_total,)]
    return row_total


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_counts_equal_the_rows_after_imports_replacements_and_refusals(
    store, tmp_path, seed
):
    rng = random.Random(seed)
    pool = _pool()
    every = [(f, m) for f in FORCES for m in MONTHS]
    first = rng.sample(every, 4)
    import_police_files(paths=_files(tmp_path / "1", rng, pool, first))
    assert_counts_match_the_rows(store)

    # The same files again, then new files for some of those force-months and some new ones.
    import_police_files(paths=[tmp_path / "1"])
    assert_counts_match_the_rows(store)
    replacing = rng.sample(first, 2) + [p for p in every if p not in first][:2]
    import_police_files(paths=_files(tmp_path / "2", rng, pool, replacing))
    total = assert_counts_match_the_rows(store)

    # A refused run (one file of it has a row of another month) changes nothing.
    refused = _files(tmp_path / "3", rng, pool, rng.sample(every, 3))
    text = refused[-1].read_text().splitlines()
    text[-1] = text[-1].replace(refused[-1].name[:7], "2016-12", 1)
    refused[-1].write_text("\n".join(text) + "\n")
    before = {p: p.counts_path(store).read_bytes() for p in crime_store.partitions(store, "street")}
    with pytest.raises(ImportRefused):
        import_police_files(paths=refused)
    after = {p: p.counts_path(store).read_bytes() for p in crime_store.partitions(store, "street")}
    assert after == before
    assert assert_counts_match_the_rows(store) == total


def test_a_swap_that_fails_half_way_puts_the_earlier_counts_back(store, tmp_path, monkeypatch):
    rng = random.Random(7)
    pool = _pool()
    every = [(f, m) for f in FORCES for m in MONTHS]
    import_police_files(paths=_files(tmp_path / "1", rng, pool, every))
    before = {p: p.counts_path(store).read_bytes() for p in crime_store.partitions(store, "street")}
    moves = 0
    real_replace = os.replace

    def failing_replace(source, target):
        nonlocal moves
        moves += 1
        if moves == 4:  # the second file, after its counts: one file and two counts are in
            raise OSError("disk full")
        return real_replace(source, target)

    monkeypatch.setattr(crime_store.os, "replace", failing_replace)
    with pytest.raises(OSError):
        import_police_files(paths=_files(tmp_path / "2", rng, pool, every))
    monkeypatch.undo()
    after = {p: p.counts_path(store).read_bytes() for p in crime_store.partitions(store, "street")}
    assert after == before
    assert_counts_match_the_rows(store)


def test_a_store_without_counts_is_counted_from_its_rows_then_counted_by_recover(store, tmp_path):
    from safehold.crime.ingest import recovery

    rng = random.Random(5)
    import_police_files(paths=_files(tmp_path / "1", rng, _pool(), [("cleveland", "2017-01")]))
    (partition,) = crime_store.partitions(store, "street")
    partition.counts_path(store).unlink()  # as a store written before counts were kept
    assert not crime_store.has_counts(store)
    con = queries.connect(store)
    rows = crime_store.scalar(con, "SELECT count(*) FROM street")
    assert queries.counts(con, group_by=[]).rows == [(rows,)]
    assert recovery.recover(store).counted == [partition]
    assert_counts_match_the_rows(store)


def test_counts_left_without_their_file_count_nothing(store, tmp_path):
    rng = random.Random(9)
    pool = _pool()
    partitions = [("cleveland", "2017-01"), ("greater-manchester", "2017-01")]
    import_police_files(paths=_files(tmp_path / "1", rng, pool, partitions))
    gone = crime_store.partitions(store, "street")[0]
    gone.path(store).unlink()  # a data file deleted by hand, its counts left behind
    assert gone.counts_path(store).exists()
    assert_counts_match_the_rows(store)
