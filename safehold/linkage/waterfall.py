"""A pair's waterfall: how each comparison moved the match weight, from the prior to the total,
as the rows of a table (comparison, level, weight, running total, probability) and the bars of
an inline SVG chart drawn from those same rows (no script, no inline style: CSP)."""

from dataclasses import dataclass

COMPARISONS = {
    "prior": "Starting point",
    "first_name": "First name",
    "surname": "Surname",
    "date_of_birth": "Date of birth",
    "home": "Address, postcode or UPRN",
    "identifier": "Identifier",
    "sex": "Sex",
    "frequency": "How common the names are",
}

# The chart's geometry, in SVG units (it scales down to the column's width).
LABEL, PLOT, FIGURE, ROW, BAR, AXIS = 210, 330, 60, 26, 16, 22
POSITIVE, NEGATIVE, TOTAL = "#00703c", "#d4351c", "#1d70b8"  # GOV.UK green, red, blue


def probability(weight: float) -> float:
    """The match probability of a match weight (log2 of the odds)."""
    odds = 2.0**weight
    return odds / (1 + odds)


@dataclass
class Step:
    comparison: str
    level: str
    weight: float
    total: float  # the running total after this step
    probability: float
    # Bar geometry: x of its left end, its width, the y of its row, and the text's y.
    x: float = 0.0
    width: float = 0.0
    y: float = 0.0
    text_y: float = 0.0
    colour: str = ""

    @property
    def direction(self) -> str:
        return "for" if self.weight > 0 else ("against" if self.weight < 0 else "neither")


@dataclass
class Waterfall:
    steps: list[Step]
    final: Step  # the match weight, drawn from 0
    width: int
    height: int
    zero_x: float
    axis_y: float
    ticks: list[tuple[float, str]]  # (x, label)

    @property
    def label_width(self) -> int:
        return LABEL


def waterfall(explanation: list[dict], match_weight: float) -> Waterfall:
    """The steps of a pair's explanation (in model order, the prior first) with their running
    totals, and the chart's geometry: each bar runs from the total before it to the total
    after it, on an axis that always includes 0; the last bar is the match weight itself."""
    steps, total = [], 0.0
    for part in explanation:
        total += part["weight"]
        steps.append(
            Step(
                comparison=COMPARISONS.get(part["comparison"], part["comparison"]),
                level=part.get("label", ""),
                weight=part["weight"],
                total=total,
                probability=probability(total),
            )
        )
    final = Step("Match weight", "", match_weight, match_weight, probability(match_weight))
    ends = [0.0, match_weight, *(s.total for s in steps)]
    low, high = min(ends), max(ends)
    span = (high - low) or 1.0
    scale = PLOT / span

    def x_of(value: float) -> float:
        return round(LABEL + (value - low) * scale, 1)

    before = 0.0
    for i, step in enumerate([*steps, final]):
        start = 0.0 if step is final else before
        left, right = sorted((x_of(start), x_of(step.total)))
        step.x, step.width = left, max(round(right - left, 1), 1.0)
        step.y, step.text_y = i * ROW + 4, i * ROW + 17
        step.colour = TOTAL if step is final else (POSITIVE if step.weight >= 0 else NEGATIVE)
        before = step.total
    rows = len(steps) + 1
    ticks = [(x_of(v), f"{v:g}") for v in _ticks(low, high)]
    return Waterfall(
        steps=steps,
        final=final,
        width=LABEL + PLOT + FIGURE,
        height=rows * ROW + AXIS + 6,
        zero_x=x_of(0.0),
        axis_y=rows * ROW + 4,
        ticks=ticks,
    )


def evidence(explanation: list[dict]) -> tuple[list[str], list[str]]:
    """The comparisons that count for the match and those that count against it (not the
    prior, nor the names' frequency), strongest first: for the queue's one-line summary."""
    parts = [p for p in explanation if p["comparison"] not in ("prior", "frequency")]
    parts.sort(key=lambda p: -abs(p["weight"]))
    name = lambda p: COMPARISONS.get(p["comparison"], p["comparison"])  # noqa: E731
    return (
        [name(p) for p in parts if p["weight"] > 0],
        [name(p) for p in parts if p["weight"] < 0],
    )


def _ticks(low: float, high: float) -> list[int]:
    """Whole-number ticks, about five, including 0."""
    span = max(high - low, 1.0)
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= 6)
    first = int(low // step) * step
    return [v for v in range(first, int(high) + step + 1, step) if low - 1e-9 <= v <= high + 1e-9]
