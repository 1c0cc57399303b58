"""Property test: for generated indicator and value files, `safehold kpi report --format json`
gives every indicator the trend that an independent implementation of the rule (below, written
from the issue's wording, not from safehold/performance/trend.py) gives."""

import io
import json
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

UNITS = ["count", "percentage", "rate_per_1000", "rate_per_100000", "money"]
POLARITIES = ["higher_better", "lower_better", "none"]
# For each report period: each frequency's latest period and the one before (worked by hand).
LATEST = {
    "2020/21": {"annual": ("2019/20", "2020/21"), "quarterly": ("2020/21 Q3", "2020/21 Q4"),
                "monthly": ("2021-02", "2021-03")},
    "2020/21 Q2": {"annual": ("2018/19", "2019/20"), "quarterly": ("2020/21 Q1", "2020/21 Q2"),
                   "monthly": ("2020-08", "2020-09")},
    "2021-01": {"annual": ("2018/19", "2019/20"), "quarterly": ("2020/21 Q2", "2020/21 Q3"),
                "monthly": ("2020-12", "2021-01")},
}  # fmt: skip


def expected_trend(latest, previous, latest_break, polarity, tolerance, places) -> str:
    """The issue's rule: not-comparable, no-change, within-range, then direction and polarity."""
    if latest is None or previous is None or latest_break:
        return "not-comparable"
    step = Decimal(10) ** -places
    if latest.quantize(step, ROUND_HALF_UP) == previous.quantize(step, ROUND_HALF_UP):
        return "no-change"
    if tolerance is not None and abs(latest - previous) <= tolerance / 100 * abs(previous):
        return "within-range"
    direction = "increasing" if latest > previous else "decreasing"
    if polarity == "none":
        return f"{direction}-neutral"
    better = (direction == "increasing") == (polarity == "higher_better")
    return f"{direction}-{'positive' if better else 'negative'}"


ANY_PLACES = st.integers(0, 4)


def decimals(places=ANY_PLACES):
    return st.tuples(st.integers(-(10**10), 10**10), places).map(
        lambda t: Decimal(t[0]).scaleb(-t[1])
    )


# One value: absent (no row), not available (an empty cell) or a number, with its flags.
value_cells = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["absent", "not_available", *["number"] * 6]),
        "value": decimals(),
        "count": st.none() | st.integers(0, 10**6),
        "break": st.sampled_from([True, *[False] * 7]),
        "style": st.sampled_from(["plain", "grouped", "sign"]),
    }
)


@st.composite
def indicator_specs(draw, code):
    spec = {
        "code": code,
        "unit": draw(st.sampled_from(UNITS)),
        "polarity": draw(st.sampled_from(POLARITIES)),
        "tolerance": draw(
            st.none()
            | st.integers(0, 100_000).map(lambda n: Decimal(n).scaleb(-3))
            | st.integers(0, 1000).map(Decimal)
        ),
        "frequency": draw(st.sampled_from(["annual", "quarterly", "monthly"])),
        "places": draw(st.integers(0, 4)),
        "previous": draw(value_cells),
        "latest": draw(value_cells),
    }
    # Often make the latest value equal or close to the previous, to test the rounding at the
    # display precision and the tolerance.
    relation = draw(st.sampled_from(["independent", "close", "close", "same"]))
    if relation != "independent":
        nudge = Decimal(draw(st.integers(-9999, 9999))).scaleb(-4) if relation == "close" else 0
        spec["latest"] = {**spec["latest"], "value": spec["previous"]["value"] + nudge}
    return spec


worlds = st.fixed_dictionaries(
    {
        "period": st.sampled_from(list(LATEST)),
        "indicators": st.integers(1, 4).flatmap(
            lambda n: st.tuples(*(indicator_specs(f"IND-{i}") for i in range(n)))
        ),
    }
)


def _written(value: Decimal, unit: str, style: str) -> str:
    text = f"{value:f}"
    if style == "grouped":
        whole, _, fraction = f"{abs(value):f}".partition(".")
        text = ("-" if value < 0 else "") + f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    if style == "sign" and unit == "money":
        text = text.replace("-", "-£") if text.startswith("-") else f"£{text}"
    if style == "sign" and unit == "percentage":
        text = f"{text}%"
    return text


def _files(world) -> tuple[str, str]:
    indicators = ["code,name,theme,source,unit,polarity,tolerance_percent,frequency,decimal_places"]
    values = ["code,period,value,count,break_in_series"]
    for spec in world["indicators"]:
        tolerance = "" if spec["tolerance"] is None else f"{spec['tolerance']:f}"
        indicators.append(
            f"{spec['code']},Indicator {spec['code']},Theme,GMP,{spec['unit']},{spec['polarity']},"
            f"{tolerance},{spec['frequency']},{spec['places']}"
        )
        periods = LATEST[world["period"]][spec["frequency"]]
        for period, cell in zip(periods, (spec["previous"], spec["latest"]), strict=True):
            if cell["kind"] == "absent":
                continue
            number = cell["kind"] == "number"
            value = _written(cell["value"], spec["unit"], cell["style"]) if number else ""
            count = "" if cell["count"] is None or not number else str(cell["count"])
            flag = "yes" if cell["break"] else ""
            values.append(f'{spec["code"]},{period},"{value}",{count},{flag}')
    return "\n".join(indicators) + "\n", "\n".join(values) + "\n"


def _figure(cell):
    return cell["value"] if cell["kind"] == "number" else None


@pytest.mark.django_db
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds)
def test_the_json_report_gives_the_trend_the_rule_gives(world):
    indicators_csv, values_csv = _files(world)
    with transaction.atomic(), tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "indicators.csv").write_text(indicators_csv)
        (folder / "values.csv").write_text(values_csv)
        quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
        call_command("kpi", "import-indicators", str(folder / "indicators.csv"), **quiet)
        call_command("kpi", "import-values", str(folder / "values.csv"), **quiet)
        out = folder / "report.json"
        call_command(
            "kpi", "report", "--period", world["period"], "--format", "json", "--output", str(out),
            **quiet,
        )  # fmt: skip
        report = {row["code"]: row for row in json.loads(out.read_text())}
        transaction.set_rollback(True)

    for spec in world["indicators"]:
        present = spec["previous"]["kind"] != "absent" or spec["latest"]["kind"] != "absent"
        assert (spec["code"] in report) == present, spec
        if not present:
            continue
        row = report[spec["code"]]
        previous, latest = LATEST[world["period"]][spec["frequency"]]
        assert [v["period"] for v in row["values"]][-2:] == [previous, latest]
        expected = expected_trend(
            _figure(spec["latest"]),
            _figure(spec["previous"]),
            spec["latest"]["kind"] != "absent" and spec["latest"]["break"],
            spec["polarity"],
            spec["tolerance"],
            spec["places"],
        )
        assert row["trend"] == expected, (spec, row)
        event(f"trend {expected}")
        shown = row["values"][-1]["value"]
        assert (shown is None) == (_figure(spec["latest"]) is None)
        if shown is not None:
            assert Decimal(shown) == spec["latest"]["value"]
