"""Peak times, seasons and hot spots of imported incidents, against hand-built files."""

import datetime

import numpy as np
import pytest

from safehold.hotspots.gistar import gi_star
from safehold.hotspots.grid import to_bng
from safehold.incidents.selectors import connect, heatmap, hotspots, seasonal, summary
from safehold.incidents.services import import_incidents

HEADER = "reference,occurred_at,type,latitude,longitude,source\n"
NOW = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def load(rows: list[tuple[str, str]], *, source="Example Homes", prefix="T", place=(53.41, -2.16)):
    """Import (occurred_at, type) rows at one place through the real import."""
    lines = [
        f"{prefix}-{i:04d},{when},{kind},{place[0]},{place[1]},{source}"
        for i, (when, kind) in enumerate(rows, start=1)
    ]
    import_incidents(data=HEADER + "\n".join(lines) + "\n", now=NOW)


# Each row: the time as the partner gave it, and (by hand) the UK weekday and hour it was.
DST_ROWS = [
    ("2023-03-26T00:30Z", "Sunday", 0),  # 00:30 GMT: the clocks go forward at 01:00 GMT
    ("2023-03-26T00:59:59Z", "Sunday", 0),
    ("2023-03-26T01:00:00Z", "Sunday", 2),  # 02:00 BST: 01:00-01:59 did not happen
    ("2023-03-26T01:30Z", "Sunday", 2),
    ("2023-10-28T23:30Z", "Sunday", 0),  # a Saturday in UTC, 00:30 BST on Sunday
    ("2023-10-29T00:30Z", "Sunday", 1),  # 01:30 BST, the first 01:30
    ("2023-10-29T01:30Z", "Sunday", 1),  # 01:30 GMT, the second
    ("2023-10-29 01:30", "Sunday", 1),  # no offset in the hour that repeats: the first (BST)
    ("2023-07-03T23:15Z", "Tuesday", 0),  # Monday 23:15 UTC is Tuesday 00:15 BST
    ("2023-07-04T20:15:00Z", "Tuesday", 21),
    ("2023-12-31T23:59", "Sunday", 23),  # local, GMT
    ("2024-01-01T00:00", "Monday", 0),
]
FRIDAY_NIGHT = [
    ("2023-11-03T22:05", "Friday", 22),
    ("2023-11-03 22:40", "Friday", 22),
    ("2023-11-03T22:59:59+00:00", "Friday", 22),  # GMT again: UTC is UK time in November
]


def test_the_heat_map_counts_in_uk_local_time_across_both_clock_changes():
    load([(when, "Noise") for when, _, _ in DST_ROWS])
    load([(when, "Fireworks") for when, _, _ in FRIDAY_NIGHT], prefix="F")
    with connect() as con:
        h = heatmap(con)
    days = list(h.days)
    expected = np.zeros((7, 24), dtype=int)
    for _, day, hour in DST_ROWS + FRIDAY_NIGHT:
        expected[days.index(day), hour] += 1
    assert np.array(h.counts).tolist() == expected.tolist()
    # Written out by hand: Sunday 00:00 3, 01:00 3, 02:00 2, 23:00 1; Friday 22:00 3; ...
    assert h.counts[6][0] == 3 and h.counts[6][1] == 3 and h.counts[6][2] == 2
    assert h.counts[6][23] == 1 and h.counts[4][22] == 3 and h.counts[1][0] == 1
    assert h.counts[1][21] == 1 and h.counts[0][0] == 1
    assert h.total == 15 and sum(h.day_totals) == sum(h.hour_totals) == 15
    assert h.day_totals == (1, 2, 0, 0, 3, 0, 9)
    assert h.days[0] == "Monday" and h.days[6] == "Sunday"
    assert h.peak_days == ("Sunday",) and h.peak_hours == (0,)
    assert [(s.day, s.hour, s.incidents) for s in h.peak_slots[:4]] == [
        ("Friday", 22, 3), ("Sunday", 0, 3), ("Sunday", 1, 3), ("Sunday", 2, 2),
    ]  # fmt: skip


def test_the_heat_map_filters_by_local_date_type_and_source():
    load([(when, "Noise") for when, _, _ in DST_ROWS])
    load([(when, "Fireworks") for when, _, _ in FRIDAY_NIGHT], source="Other Partner")
    with connect() as con:
        # 29 October in UK time holds the Saturday-UTC row too.
        day = datetime.date(2023, 10, 29)
        assert heatmap(con, date_from=day, date_to=day).total == 4
        assert heatmap(con, types=["FIREWORKS"]).total == 3
        assert heatmap(con, sources=["other partner"]).total == 3
        assert heatmap(con, sources=["Example Homes"], types=["Fireworks"]).total == 0
        assert heatmap(con, date_from=datetime.date(2024, 1, 1)).total == 1
        with pytest.raises(ValueError, match="after its start"):
            heatmap(con, date_from=day, date_to=datetime.date(2023, 1, 1))


def test_an_empty_store_has_an_empty_heat_map_and_no_peaks():
    with connect() as con:
        h = heatmap(con)
        assert h.total == 0 and h.peak_days == () and h.peak_hours == () and h.peak_slots == ()
        assert len(h.counts) == 7 and all(len(row) == 24 for row in h.counts)
        assert hotspots(con) is None
        assert summary(con) == []
        s = seasonal(con)
        assert s.total == 0 and s.period_from is None and s.call_outs[0].ratio is None


def seasonal_rows() -> list[tuple[str, str]]:
    """June to August: 2 a day; September: 1 a day; October and November: 1 a day except
    7 on Halloween and 10 on Bonfire Night."""
    rows = []
    day = datetime.date(2023, 6, 1)
    while day <= datetime.date(2023, 11, 30):
        if day.month in (6, 7, 8):
            n = 2
        elif (day.month, day.day) == (10, 31):
            n = 7
        elif (day.month, day.day) == (11, 5):
            n = 10
        else:
            n = 1
        rows += [(f"{day.isoformat()}T{12 + i:02d}:00", "Anti-social behaviour") for i in range(n)]
        day += datetime.timedelta(days=1)
    return rows


def test_the_seasonal_profile_calls_out_summer_halloween_and_bonfire_night():
    load(seasonal_rows())
    with connect() as con:
        s = seasonal(con, date_from=datetime.date(2023, 6, 1), date_to=datetime.date(2023, 11, 30))
    assert s.total == 184 + 30 + 37 + 39
    months = {m.name: m for m in s.months}
    assert (months["July"].incidents, months["July"].days, months["July"].per_day) == (62, 31, 2.0)
    assert (months["October"].incidents, months["October"].days) == (37, 31)
    assert (months["January"].incidents, months["January"].days) == (0, 0)
    assert months["January"].per_day is None
    assert s.peak_months == ("July", "August")
    # Summer: 184 in 92 days (2.0 a day); the rest: 106 in 91 days.
    assert (s.summer.incidents, s.summer.days, s.summer.per_day) == (184, 92, 2.0)
    assert (s.summer.rest_incidents, s.summer.rest_days) == (106, 91)
    assert s.summer.ratio == pytest.approx(2.0 / (106 / 91))
    halloween, bonfire = s.call_outs
    assert (halloween.label, halloween.incidents, halloween.occurrences) == ("Halloween", 7, 1)
    assert halloween.month_per_day == pytest.approx(37 / 31)
    assert halloween.ratio == pytest.approx(7 / (37 / 31))
    assert (bonfire.label, bonfire.incidents) == ("Bonfire Night", 10)
    assert bonfire.ratio == pytest.approx(10 / (39 / 30))
    labels = [d.label for d in s.around]
    assert labels[0] == "28 October" and labels[-1] == "8 November" and len(labels) == 12
    around = {d.label: d for d in s.around}
    assert around["4 November"].incidents == 1
    assert around["4 November"].ratio == pytest.approx(1 / (39 / 30))


def test_without_dates_the_period_runs_from_the_first_to_the_last_incident():
    load([("2022-10-31T20:00", "Fireworks"), ("2023-10-31T20:00", "Fireworks")])
    with connect() as con:
        s = seasonal(con)
    assert (s.period_from, s.period_to) == (
        datetime.date(2022, 10, 31),
        datetime.date(2023, 10, 31),
    )
    halloween = s.call_outs[0]
    # Two Halloweens in the period, one incident each; October has 1 + 31 days in it.
    assert (halloween.incidents, halloween.occurrences, halloween.per_day) == (2, 2, 1.0)
    assert halloween.month_per_day == pytest.approx(2 / 32)
    assert halloween.ratio == pytest.approx(16.0)
    assert s.call_outs[1].occurrences == 1  # 5 November 2022 only


def test_hot_spots_on_incident_points():
    rng = np.random.default_rng(5)
    # 30 incidents at one place and 25 scattered over central Stockport.
    cluster = [("2023-10-31T20:00", "Fireworks")] * 30
    load(cluster, prefix="C", place=(53.4100, -2.1580))
    lines = [
        f"S-{i:03d},2023-10-{1 + i % 28:02d}T19:00,Noise,{53.39 + rng.uniform(0, 0.04):.5f},"
        f"{-2.19 + rng.uniform(0, 0.06):.5f},Example Homes"
        for i in range(25)
    ]
    import_incidents(data=HEADER + "\n".join(lines) + "\n", now=NOW)
    with connect() as con:
        analysis = hotspots(con, cell_size=250)
        points = np.array(con.execute("SELECT easting, northing FROM incidents").fetchall())
        fireworks = hotspots(con, types=["Fireworks"], cell_size=250, bounds=analysis.grid.bounds)
    grid = analysis.grid
    # The grid counts every incident in the cell its easting and northing name.
    expected = np.zeros(grid.shape, dtype=int)
    for e, n in points:
        col = min(int((e - grid.origin_easting) // 250), grid.shape[1] - 1)
        row = min(int((n - grid.origin_northing) // 250), grid.shape[0] - 1)
        expected[row, col] += 1
    assert (grid.counts == expected).all() and grid.counts.sum() == 55
    np.testing.assert_array_equal(analysis.z, gi_star(expected))
    e, n = to_bng(-2.1580, 53.4100)
    row, col = grid.cell_of(e, n)
    cells = {(c.row, c.col): c for c in analysis.cells()}
    hot = cells[(int(row), int(col))]
    assert hot.count >= 30 and hot.classification == "hot spot 99%"
    assert fireworks.grid.counts.sum() == 30 and fireworks.grid.shape == grid.shape


def test_summary_lists_sources_counts_and_types():
    load([("2023-10-31T20:00", "Fireworks"), ("2023-11-05T20:00", "Fireworks")])
    load([("2023-07-01T20:00", "Noise")], source="Other Partner")
    with connect() as con:
        sources = summary(con)
    assert [(s.source, s.incidents) for s in sources] == [
        ("Example Homes", 2),
        ("Other Partner", 1),
    ]
    assert sources[0].types == (("Fireworks", 2),)
    assert sources[0].first == datetime.datetime(2023, 10, 31, 20, 0, tzinfo=datetime.UTC)
