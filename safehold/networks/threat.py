"""The threat band of an organised crime group from its assessment (ADR 0050): harm, capability
and intent each low (1), medium (2) or high (3); harm counts twice, because what a group does
to people matters more than what it could do:

    score = 2 * harm + capability + intent          (4 to 12)
    band  = low for 4 to 6, medium for 7 to 9, high for 10 to 12

So a group doing high harm with medium capability and intent (10) is high; one with high
capability and intent but low harm so far (8) is medium; nothing lower in every dimension
is ever banded above something higher in every dimension.
"""

LEVELS = (1, 2, 3)


def score(*, harm: int, capability: int, intent: int) -> int:
    for value in (harm, capability, intent):
        if value not in LEVELS:
            raise ValueError(f"a level is 1, 2 or 3, not {value!r}")
    return 2 * harm + capability + intent


def band(*, harm: int, capability: int, intent: int) -> str:
    """ "low", "medium" or "high" (the values of `choices.ThreatBand`)."""
    total = score(harm=harm, capability=capability, intent=intent)
    return "low" if total <= 6 else "medium" if total <= 9 else "high"
