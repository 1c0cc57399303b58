"""A property of `safehold risk list`: over generated extracts, people and indicator sets, every
row's score is the sum of the weights of the indicators it lists, each listed with the weight
of the catalogue version the list names; and the indicators listed for the generated subjects
are the ones an independent count finds, the records a linkage run holds to be one person
counting as one subject (the union of their indicators)."""

import csv
import datetime
import io

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.linkage.tests.factories import current_run, extract_record, person_record
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
        # Pairs (tenant, person) the linkage run holds to be one person.
        "links": st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), max_size=3),
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
    tenancies = extract(homes, "tenancies", rows)
    visits = [
        (f"H-{i}", AS_OF - datetime.timedelta(days=d), "A&E")
        for i, t in enumerate(world["tenants"])
        for d in range(t["attendances"])
    ]
    if visits:
        extract(homes, "attendances", visits)
    people = [flagged(*flags) for flags in world["people"]]
    clusters = _link(world, homes, tenancies, people)

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
    expected: dict[str, set[str]] = {}
    for i, t in enumerate(world["tenants"]):
        met = expected.setdefault(clusters.get(f"{homes.pk}/H-{i}", f"{homes.pk}/H-{i}"), set())
        if "arrears_weeks" in on and t["weeks"] > world["weeks"]:
            met.add("arrears_weeks")
        if "repeat_ae" in on and t["attendances"] >= world["visits"]:
            met.add("repeat_ae")
    for person, flags in zip(people, world["people"], strict=True):
        key = f"safehold/{person.pk}"
        expected.setdefault(clusters.get(key, key), set()).update(set(flags) & set(on))
    for subject, codes in expected.items():
        assert found.get(subject, set()) == codes


def _link(world, homes, tenancies, people) -> dict[str, str]:
    """The current run's clusters for the generated links: each record's cluster, named by
    its smallest key (as a run names them); the records of earlier examples stay alone."""
    pairs = [
        (f"{homes.pk}/H-{t}", p)
        for t, p in world["links"]
        if t < len(world["tenants"]) and p < len(people)
    ]
    if not pairs:
        return {}
    run = current_run()
    parent: dict[str, str] = {}

    def root(key):
        while parent.get(key, key) != key:
            key = parent[key]
        return key

    for tenant, p in pairs:
        person = f"safehold/{people[p].pk}"
        a, b = root(tenant), root(person)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members = {k for pair in pairs for k in (pair[0], f"safehold/{people[pair[1]].pk}")}
    clusters = {k: root(k) for k in members}
    for key, cluster in clusters.items():
        if key.startswith("safehold/"):
            record = person_record(run, next(p for p in people if f"safehold/{p.pk}" == key))
        else:
            record = extract_record(run, tenancies, key.partition("/")[2])
        record.cluster_id = cluster
        record.save(update_fields=["cluster_id"])
    return clusters
