"""The month x crime type x LSOA summary read from its monthly Arrow files (ADR 46), and the
connection that opens without reading the street files (its views are bound when used): each
file is made again whenever what it was made from changed, a damaged or old-format file is
never read, and the answer is always the rows' (test_counts.py checks it after imports,
re-imports, replacements and refusals)."""

import os
import random

import pyarrow as pa
import pytest

from safehold.crime import queries
from safehold.crime import store as crime_store
from safehold.crime.formats import as_csv
from safehold.crime.ingest import import_police_files
from safehold.crime.queries import monthly
from safehold.crime.tests.test_counts import BY_MONTH_TYPE_AND_LSOA, FORCES, _files, _pool
from safehold.geography.layers import geography_dir

pytestmark = pytest.mark.django_db

KEYS = ["month", "crime_type", "lsoa"]


def _import(store, tmp_path, seed: int, partitions, name: str = "files"):
    rng = random.Random(seed)
    import_police_files(paths=_files(tmp_path / name, rng, _pool(), partitions), root=store)


def _summary(store):
    return queries.counts(queries.connect(store), group_by=KEYS)


def _from_rows(store):
    return crime_store.run(queries.connect(store), BY_MONTH_TYPE_AND_LSOA)


def _identity(path):
    found = path.stat()
    return found.st_ino, found.st_mtime_ns


def test_the_summary_is_read_from_one_arrow_file_a_month_with_its_text_stored_once(store, tmp_path):
    _import(store, tmp_path, 11, [("cleveland", "2017-01"), ("greater-manchester", "2017-02")])
    files = sorted((store / monthly.SUMMARY).glob(f"month=*/{monthly.FILE}"))
    assert [f.parent.name for f in files] == ["month=2017-01", "month=2017-02"]  # by the import
    with pa.OSFile(str(files[0])) as source:
        stored = pa.ipc.open_file(source).read_all()
    assert stored.schema.field("lsoa").type == pa.dictionary(pa.int32(), pa.string())
    summary = _summary(store)
    assert summary.arrow.schema.field("crime_type").type == pa.dictionary(pa.int32(), pa.string())
    assert summary.rows == _from_rows(store)
    assert sum(r[-1] for r in summary.rows) == crime_store.scalar(
        queries.connect(store), "SELECT count(*) FROM street"
    )


def test_a_month_file_is_made_again_only_when_what_it_was_made_from_changes(store, tmp_path):
    _import(store, tmp_path, 12, [("cleveland", "2017-01"), ("cleveland", "2017-02")])
    january, february = (monthly.path_of(store, m) for m in ("2017-01", "2017-02"))
    made = {p: _identity(p) for p in (january, february)}
    _summary(store)
    assert {p: _identity(p) for p in (january, february)} == made  # read, not made

    # January's force-month imported again with other rows: January is made again, not February.
    _import(store, tmp_path, 13, [("cleveland", "2017-01")], name="again")
    summary = _summary(store)
    assert _identity(january) != made[january]
    assert _identity(february) == made[february]
    assert summary.rows == _from_rows(store)

    # The geography's combined tables built again (a layer loaded): every month is made again.
    lsoa21 = geography_dir(store) / "combined" / "lsoa21.parquet"
    os.utime(lsoa21, ns=(lsoa21.stat().st_atime_ns, lsoa21.stat().st_mtime_ns + 10**9))
    made = {p: _identity(p) for p in (january, february)}
    summary = _summary(store)
    assert all(_identity(p) != made[p] for p in (january, february))
    assert summary.rows == _from_rows(store)


def test_a_damaged_file_or_one_of_the_old_format_is_never_read(store, tmp_path):
    _import(store, tmp_path, 14, [("cleveland", "2017-01"), ("greater-manchester", "2017-01")])
    path = monthly.path_of(store, "2017-01")
    expected = _summary(store).rows
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # cut short
    assert _summary(store).rows == expected == _from_rows(store)
    path.write_bytes(b"not an Arrow file")
    assert _summary(store).rows == expected
    # The Parquet file the summary was kept in before ADR 46: left by an upgrade, removed when
    # its month is made again, never read.
    old = path.with_name(monthly.OLD_FILE)
    old.write_bytes(b"PAR1 an old summary PAR1")
    path.unlink()
    assert _summary(store).rows == expected
    assert path.exists() and not old.exists()


def test_a_file_made_from_other_counts_is_not_used_even_with_the_same_name(store, tmp_path):
    """A month's file copied in from another store (or left by a restore) names other counts
    files: it is made again from this store's."""
    _import(store, tmp_path, 15, [("cleveland", "2017-01")])
    other = tmp_path / "other" / "crime"
    _import(other, tmp_path, 16, [("cleveland", "2017-01")], name="other-files")
    ours, theirs = _summary(store).rows, _summary(other).rows
    assert ours != theirs, "positive control: the two stores hold other rows"
    monthly.path_of(store, "2017-01").write_bytes(monthly.path_of(other, "2017-01").read_bytes())
    assert _summary(store).rows == ours == _from_rows(store)


def test_a_crime_type_filter_and_a_period_select_from_the_files(store, tmp_path):
    months = ["2017-01", "2017-02", "2017-03"]
    _import(store, tmp_path, 18, [(f, m) for f in FORCES for m in months])
    every = _summary(store).rows
    con = queries.connect(store)
    chosen = queries.counts(
        con, group_by=KEYS, start="2017-02", end="2017-02", crime_types=["Drugs", "Burglary"]
    )
    assert chosen.rows == [r for r in every if r[0] == "2017-02" and r[1] in ("Drugs", "Burglary")]
    assert chosen.rows, "positive control: the filter keeps some rows"
    assert queries.counts(con, group_by=KEYS, crime_types=["No such type"]).rows == []
    assert queries.counts(con, group_by=KEYS, start="2018-01").rows == []


def test_the_csv_of_the_summary_neutralises_formula_like_text_in_stored_text_columns():
    """Text read dictionary-encoded goes through the same formula guard as any other."""
    table = queries.Table(
        ("month", "crime_type", "lsoa", "lsoa_name", "count"),
        pa.table(
            {
                "month": pa.array(["2017-01", "2017-01"]).dictionary_encode(),
                "crime_type": pa.array(["=1+2", "Burglary"]).dictionary_encode(),
                "lsoa": pa.array(["E01000001", "-5"]).dictionary_encode(),
                "lsoa_name": pa.array(["@Stockport 001A", None]).dictionary_encode(),
                "count": pa.array([3, 4], pa.int64()),
            }
        ),
    )
    assert as_csv(table).splitlines() == [
        "month,crime_type,lsoa,lsoa_name,count",
        "2017-01,'=1+2,E01000001,'@Stockport 001A,3",
        "2017-01,Burglary,-5,,4",  # a plain number is left as it is
    ]


def test_opening_a_connection_reads_no_street_file(store, tmp_path):
    """The views are bound when a query uses them: a street file that cannot be read fails
    the analyses that read rows, not the connection, nor the summary read from its files."""
    _import(store, tmp_path, 19, [("cleveland", "2017-01"), ("greater-manchester", "2017-01")])
    expected = _summary(store).rows
    (partition, _) = crime_store.partitions(store, "street")
    partition.path(store).write_bytes(b"not Parquet")  # damaged by hand, its counts intact
    con = queries.connect(store)
    assert queries.counts(con, group_by=KEYS).rows == expected
    with pytest.raises(Exception, match=r"(?i)parquet"):
        crime_store.run(con, "SELECT count(*) FROM street")
