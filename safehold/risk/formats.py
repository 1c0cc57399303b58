"""The top indicators list as CSV, XLSX and JSON, for the command line, the page's downloads
and the API alike (docs/formats/risk-list.md), through the shared formula-safe writers."""

import io

from safehold.core.exports import csv_writer, xlsx_bytes
from safehold.risk.selectors import ShownEntry, ShownList

CSV_COLUMNS = (
    "subject_ref",
    "score",
    "indicators",
    "name",
    "ward",
    "evidence",
    "fingerprint",
    "as_of",
    "indicators_version",
)


def indicators_cell(indicators: list[tuple[str, int]]) -> str:
    return ";".join(f"{code}:{weight}" for code, weight in indicators)


def _evidence_cell(entry: ShownEntry) -> str:
    return "; ".join(
        e.label
        if not e.full
        else " | ".join(
            p for p in (e.record_key, e.date.isoformat() if e.date else "", e.what) if p
        )
        for r in entry.reasons
        for e in r.evidence
    )


def rows(made: ShownList) -> list[list]:
    """The header and one row per entry, in CSV_COLUMNS' order."""
    return [list(CSV_COLUMNS)] + [
        [
            entry.subject_ref,
            entry.score,
            indicators_cell(entry.indicators),
            entry.name,
            entry.ward or "",
            _evidence_cell(entry),
            entry.fingerprint,
            made.as_of.isoformat(),
            made.version,
        ]
        for entry in made.entries
    ]


def write_csv(made: ShownList, out) -> None:
    csv_writer(out).writerows(rows(made))


def to_csv(made: ShownList) -> str:
    out = io.StringIO()
    write_csv(made, out)
    return out.getvalue()


def to_xlsx(made: ShownList) -> bytes:
    return xlsx_bytes("Top indicators list", rows(made))


def as_json(made: ShownList) -> dict:
    return {
        "as_of": made.as_of.isoformat(),
        "area": made.area,
        "indicators_version": made.version,
        "entries": [
            {
                "subject_ref": e.subject_ref,
                "score": e.score,
                "indicators": [{"code": c, "weight": w} for c, w in e.indicators],
                "name": e.name,
                "ward": e.ward,
                "fingerprint": e.fingerprint,
                "reasons": [
                    {
                        "code": r.code or None,
                        "name": r.name,
                        "weight": r.weight,
                        "evidence": [
                            {
                                "agency": x.agency,
                                "full": x.full,
                                "record": x.record_key or None,
                                "date": x.date.isoformat() if x.date else None,
                                "what": x.label,
                                "request_access": x.request_href or None,
                            }
                            for x in r.evidence
                        ],
                    }
                    for r in e.reasons
                ],
            }
            for e in made.entries
        ],
    }
