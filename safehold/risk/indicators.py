"""The indicators of the top indicators list: each a named, documented rule with its source, its
parameters (look-back windows, thresholds), a default weight and a default owner.

The rules themselves are code (safehold.risk.engine); which are on, their weights, parameters
and owners are data: a versioned catalogue (`IndicatorVersion`) that administrators change
through `services.change_indicators`, each list recording the version it was made with."""

from dataclasses import dataclass, field

# The sources an indicator reads, in words for the pages and the ADR.
PEOPLE = "Safehold people: vulnerabilities recorded on the person"
TENANCIES = "partner tenancies extracts (the series of monthly extracts)"
INCIDENTS = "partner incidents extracts (by the postcode where it happened)"
ATTENDANCES = "partner attendances extracts (A&E attendances)"
NETWORK = "the OCG network: links between people, places and groups"
CASES = "Safehold cases: closures and cuckooing cases at a premises"

TENANCY_OWNER = "Tenancy sustainment"
EXPLOITATION_OWNER = "Exploitation team"


@dataclass(frozen=True)
class Indicator:
    """One rule: what it is called, what it means, what it reads, and its defaults."""

    code: str
    name: str
    description: str
    source: str
    weight: int
    owner: str
    params: dict = field(default_factory=dict)
    # For the vulnerability flags: the people.Vulnerability code the rule reads.
    vulnerability: str = ""

    def default_settings(self) -> dict:
        return {
            "enabled": True,
            "weight": self.weight,
            "params": dict(self.params),
            "owner": self.owner,
        }


def _flag(code: str, name: str, weight: int, vulnerability: str = "") -> Indicator:
    return Indicator(
        code=code,
        name=name,
        description=(
            f"The person has “{name.lower()}” recorded among their vulnerabilities in Safehold "
            "(recorded on or before the list's date)."
        ),
        source=PEOPLE,
        weight=weight,
        owner=EXPLOITATION_OWNER,
        vulnerability=vulnerability or code,
    )


INDICATORS: tuple[Indicator, ...] = (
    _flag("learning_disability", "Learning disability", 3),
    _flag("mental_health", "Mental health", 2),
    _flag("substance_misuse", "Substance misuse", 2),
    _flag("older_person", "Older person", 1),
    _flag("care_leaver", "Care leaver", 2),
    _flag("previous_exploitation", "Previous exploitation", 3),
    Indicator(
        code="arrears_rising",
        name="Rent arrears rising",
        description=(
            "The rent balance of a tenancy the person holds rose at each of the landlord's last "
            "`extracts` tenancies extracts dated on or before the list's date (so `extracts` + 1 "
            "extracts are read, and the tenancy is in every one)."
        ),
        source=TENANCIES,
        weight=2,
        owner=TENANCY_OWNER,
        params={"extracts": 3},
    ),
    Indicator(
        code="arrears_weeks",
        name="Rent arrears above a number of weeks",
        description=(
            "A tenancy the person holds is more than `weeks` weeks of rent in arrears in the "
            "landlord's latest tenancies extract dated on or before the list's date."
        ),
        source=TENANCIES,
        weight=2,
        owner=TENANCY_OWNER,
        params={"weeks": 8},
    ),
    Indicator(
        code="incidents_at_address",
        name="Incidents at the address",
        description=(
            "At least `count` ASB or police incidents in partners' incidents extracts at the "
            "person's address (its postcode) in the `days` days up to the list's date."
        ),
        source=INCIDENTS,
        weight=2,
        owner=EXPLOITATION_OWNER,
        params={"days": 90, "count": 2},
    ),
    Indicator(
        code="new_associates",
        name="New associates or visitors",
        description=(
            "A link from the person (an associate, a visitor, a link to someone) recorded in the "
            "network, dated within the `days` days up to the list's date."
        ),
        source=NETWORK,
        weight=2,
        owner=EXPLOITATION_OWNER,
        params={"days": 90},
    ),
    Indicator(
        code="ocg_or_cuckooing_link",
        name="Link to an OCG member or a cuckooed premises",
        description=(
            "The person is linked in the network to a member of an organised crime group, or "
            "lives at a premises (the same place or UPRN) with a cuckooing case referred on or "
            "before the list's date."
        ),
        source=f"{NETWORK}; {CASES}",
        weight=4,
        owner=EXPLOITATION_OWNER,
    ),
    Indicator(
        code="repeat_ae",
        name="Repeat A&E attendances",
        description=(
            "At least `count` A&E attendances (category containing “A&E”) in partners' "
            "attendances extracts in the `days` days up to the list's date."
        ),
        source=ATTENDANCES,
        weight=2,
        owner=EXPLOITATION_OWNER,
        params={"count": 3, "days": 90},
    ),
    Indicator(
        code="closed_without_engagement",
        name="Previous referral closed without engagement",
        description=(
            "A case of the person closed because they refused to engage, closed within the "
            "`days` days up to the list's date."
        ),
        source=CASES,
        weight=2,
        owner=EXPLOITATION_OWNER,
        params={"days": 730},
    ),
    Indicator(
        code="new_tenancy",
        name="Tenancy started recently",
        description=(
            "A tenancy the person holds started within the `months` months up to the list's "
            "date and had not ended by then (the landlord's latest tenancies extract dated on "
            "or before the list's date)."
        ),
        source=TENANCIES,
        weight=1,
        owner=TENANCY_OWNER,
        params={"months": 6},
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
VULNERABILITY_FLAGS: tuple[Indicator, ...] = tuple(i for i in INDICATORS if i.vulnerability)


def default_settings() -> dict[str, dict]:
    """The first version's settings: every indicator on with its default weight and owner."""
    return {i.code: i.default_settings() for i in INDICATORS}
