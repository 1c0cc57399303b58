"""A property of `safehold risk list`: over generated extracts, people and indicator sets, every
row's score is the sum of the weights of the indicators it lists, each listed with the weight
of the catalogue version the list names; and the indicators listed for the generated subjects
are the ones an independent count finds."""

import csv
import datetime
import io

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.risk.services import change_indicators, current_version
from safehold.risk.tests.factories import AS_OF, extract, flagged, tenancy

FLAGS = ["learning_disability", "mental_health", "care_leaver", "physical_disability"]
CODES = ["learning_disability", "mental_health", "care_leaver", "arrears_weeks", "repeat_ae"]

worlds = st.fixed_dictionaries(
    {
        "tenants": st.lists(
            st.fixed_dictionaries({"weeks": st.integers(0, 12), "attendances": st.integers(0, 4)}),
            min_size=1,
            max_size=5,
        ),
        "people": st.lists(st.sets(st.sampled_from(FLAGS)), max_size=4),
        "indicators": st.dictionaries(
            st.sampled_from(CODES),
            st.fixed_dictionaries({"enabled": st.booleans(), "weight": st.integers(0, 10)}),
            min_size=1,
        ),
        "weeks": st.integers(1, 10),
        "visits": st.integers(1, 4),
    }
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds)
def test_every_rows_score_is_the_sum_of_the_weights_of_its_indicators(db, world):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    changes = {code: dict(s) for code, s in world["indicators"].items()}
    changes.setdefault("arrears_weeks", {})["params"] = {"weeks": world["weeks"]}
    changes.setdefault("repeat_ae", {})["params"] = {"count": world["visits"]}
    version = change_indicators(by=admin, changes=changes, reason="A generated set")
    on = version.enabled()

    homes = AgencyFactory()
    rows = [
        tenancy(f"T-{i}", f"H-{i}", weeks=str(t["weeks"])) for i, t in enumerate(world["tenants"])
    ]
    extract(homes, "tenancies", rows)
    visits = [
        (f"H-{i}", AS_OF - datetime.timedelta(days=d), "A&E")
        for i, t in enumerate(world["tenants"])
        for d in range(t["attendances"])
    ]
    if visits:
        extract(homes, "attendances", visits)
    people = [flagged(*flags) for flags in world["people"]]

    out = io.StringIO()
    call_command("risk", "list", "--as-of", AS_OF.isoformat(), "--format", "csv", stdout=out)
    listed = list(csv.DictReader(io.StringIO(out.getvalue())))

    assert current_version().number == version.number
    for row in listed:
        pairs = [p.split(":") for p in row["indicators"].split(";")]
        assert int(row["score"]) == sum(int(w) for _, w in pairs)
        assert all(int(w) == on[c]["weight"] for c, w in pairs)
        assert row["indicators_version"] == str(version.number)

    found = {
        r["subject_ref"]: {p.split(":")[0] for p in r["indicators"].split(";")} for r in listed
    }
    for i, t in enumerate(world["tenants"]):
        expected = set()
        if "arrears_weeks" in on and t["weeks"] > world["weeks"]:
            expected.add("arrears_weeks")
        if "repeat_ae" in on and t["attendances"] >= world["visits"]:
            expected.add("repeat_ae")
        assert found.get(f"{homes.pk}/H-{i}", set()) == expected
    for person, flags in zip(people, world["people"], strict=True):
        assert found.get(f"safehold/{person.pk}", set()) == set(flags) & set(on)
