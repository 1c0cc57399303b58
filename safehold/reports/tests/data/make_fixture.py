"""Write evaluation_2022_2023.csv: 161 synthetic cases that reproduce the published evaluation
report (MISSION.md §1). Deterministic: running it again writes the same file.

    .venv/bin/python safehold/reports/tests/data/make_fixture.py

Every choice the published figures leave open is explained in README.md beside this file.
"""

import csv
import datetime
from pathlib import Path

OUT = Path(__file__).with_name("evaluation_2022_2023.csv")
COLUMNS = [
    "reference", "referral_date", "referral_source", "area", "exploitation_type", "status",
    "closed_date", "closure_reason", "tenancy_sustained", "outcome_measures", "subject_name",
    "subject_dob", "address", "postcode",
]  # fmt: skip
START, END = datetime.date(2022, 1, 1), datetime.date(2023, 8, 31)
TOTAL = 161

# As published (total 161).
AREAS = {
    "Adswood": 14, "Bramhall": 1, "Bredbury": 4, "Brinnington": 28, "Cale Green": 2,
    "Cheadle/Cheadle Hulme": 13, "Central": 3, "Davenport": 1, "Edgeley": 10, "Hazel Grove": 2,
    "Heald Green": 1, "The Heatons": 7, "Heaviley": 2, "Hillgate": 2, "Lancashire Hill": 10,
    "Mottram Street Estate": 18, "Marple": 5, "Offerton/Estate": 7, "Rectory Fields": 2,
    "Reddish": 15, "Romiley": 7, "Victoria Park": 3, "Woodley": 4,
}  # fmt: skip
# Chosen: property takeover most common, then family, financial, sexual (the published order).
TYPES = {"cuckooing": 97, "family": 30, "financial": 22, "sexual": 12}
# Chosen: the teams and agencies the report names.
SOURCES = {
    "Greater Manchester Police": 48,
    "Housing teams": 40,
    "Adult social care": 25,
    "Safeguarding": 20,
    "Victim services": 16,
    "A&E": 12,
}
# 118 + 11 = the published 129 "positively resolved"; 26 ongoing; 6 closed otherwise.
OUTCOMES = {
    "positively_resolved": 118,
    "moved": 11,
    "no_engagement": 4,
    "no_exploitation": 2,
    "open": 26,
}
# As published; tenancy sustained on 68.
MEASURES = {
    "arrest_conviction": 4,
    "target_hardening_support": 68,
    "cpw_cpn": 14,
    "moved": 11,
    "warning": 5,
    "perpetrator_excluded": 11,
}
TENANCIES_SUSTAINED = 68


def _spread(counts: dict[str, int]) -> list[str]:
    """The values, each as often as its count, interleaved (not in blocks) deterministically."""
    assert sum(counts.values()) == TOTAL, counts
    slots: list[tuple[float, str]] = []
    for value, count in counts.items():
        slots += [((i + 0.5) / count, value) for i in range(count)]
    return [value for _, value in sorted(slots)]


def rows() -> list[dict[str, str]]:
    days = (END - START).days
    referral_dates = [
        START + datetime.timedelta(days=i * days // (TOTAL - 1)) for i in range(TOTAL)
    ]
    areas, types, sources = _spread(AREAS), _spread(TYPES), _spread(SOURCES)
    # Outcomes: the ongoing cases are the most recent referrals but four (still open a year on
    # happens too); the closed outcomes are interleaved over the rest.
    open_cases = set(range(TOTAL - 22, TOTAL)) | {40, 80, 100, 120}
    closed_indexes = [i for i in range(TOTAL) if i not in open_cases]
    closed = {"positively_resolved": 118, "moved": 11, "no_engagement": 4, "no_exploitation": 2}
    slots = []
    for reason, count in closed.items():
        slots += [((i + 0.5) / count, reason) for i in range(count)]
    reasons = dict(zip(closed_indexes, [r for _, r in sorted(slots)], strict=True))
    resolved = [i for i in closed_indexes if reasons[i] == "positively_resolved"]
    moved = [i for i in closed_indexes if reasons[i] == "moved"]
    # Tenancy sustained: 68 of the positively resolved cases (every other one, then the rest).
    sustained = set((resolved[::2] + resolved[1::2])[:TENANCIES_SUSTAINED])
    # Target hardening and wrap-around support: the 62 sustained tenancies with the lowest
    # numbers, plus 6 ongoing cases (support given, not yet closed).
    hardening = set(sorted(sustained)[:62]) | set(sorted(open_cases)[:6])
    cuckooing = [i for i in range(TOTAL) if types[i] == "cuckooing"]
    measures: dict[int, list[str]] = {i: [] for i in range(TOTAL)}
    for i in hardening:
        measures[i].append("target_hardening_support")
    for i in moved:
        measures[i].append("moved")
    # Enforcement against perpetrators: on property takeover cases, spread over them.
    for code, step, offset in (
        ("arrest_conviction", 24, 3),
        ("cpw_cpn", 7, 1),
        ("warning", 19, 5),
        ("perpetrator_excluded", 8, 2),
    ):
        for i in cuckooing[offset::step][: MEASURES[code]]:
            measures[i].append(code)
    order = list(MEASURES)
    out = []
    for i, referred in enumerate(referral_dates):
        is_open = i in open_cases
        closed_on = (
            None if is_open else min(referred + datetime.timedelta(days=30 + i * 7 % 150), END)
        )
        out.append(
            {
                "reference": f"EXP-{referred.year}-{i + 1:04d}",
                "referral_date": referred.isoformat(),
                "referral_source": sources[i],
                "area": areas[i],
                "exploitation_type": types[i],
                "status": "open" if is_open else "closed",
                "closed_date": closed_on.isoformat() if closed_on else "",
                "closure_reason": "" if is_open else reasons[i],
                "tenancy_sustained": "" if is_open else ("yes" if i in sustained else "no"),
                "outcome_measures": ";".join(sorted(measures[i], key=order.index)),
                "subject_name": f"Subject {i + 1:03d}",
                "subject_dob": "",
                "address": "",
                "postcode": "",
            }
        )
    return out


def check(made: list[dict[str, str]]) -> None:
    """The file says what the published report says (a generator that drifts fails here)."""

    def count(column, value):
        return sum(1 for r in made if r[column] == value)

    assert len(made) == TOTAL
    assert all(count("area", a) == n for a, n in AREAS.items())
    assert all(count("exploitation_type", t) == n for t, n in TYPES.items())
    assert count("status", "open") == OUTCOMES["open"]
    assert all(count("closure_reason", r) == n for r, n in OUTCOMES.items() if r != "open")
    for code, n in MEASURES.items():
        assert sum(code in r["outcome_measures"].split(";") for r in made) == n, code
    assert count("tenancy_sustained", "yes") == TENANCIES_SUSTAINED


def main() -> None:
    made = rows()
    check(made)
    with OUT.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(made)
    print(f"Wrote {len(made)} cases to {OUT}")


if __name__ == "__main__":
    main()
