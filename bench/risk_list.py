"""Benchmark: the top indicators list (issue 18's budget: under 5 s over 200,000 tenancies and 12
monthly extracts), against pandas applying the same rules to the same files in the same run.

    .venv/bin/python bench/risk_list.py [--tenancies 200000] [--months 12] [--database-url URL]

Generates, in a fresh database and analytics store: a landlord's 12 monthly tenancies extracts
(200,000 tenancies, a tenant or two each, rent balances as random walks) and its people extract
(postcodes from a pool of 20,000), a police incidents extract (100,000 incidents over a year at
those postcodes), a health attendances extract (100,000 attendances), and 2,000 Safehold people
with vulnerabilities. The extracts' Parquet is written directly (the upload's validation is
timed elsewhere). Then times `safehold.risk.engine.score` (every indicator on, no area) and
pandas doing the same rules (the flags read with the same query; scores only, no evidence),
checks that both give the same score to every subject, and prints both times and the ratio;
then an analyst's top 50 through `list_for`, and reading every entry's evidence. Synthetic
data only.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def month_ends(last: datetime.date, months: int) -> list[datetime.date]:
    """The last day of each of the `months` months ending with `last`'s, oldest first."""
    ends, day = [], last
    for _ in range(months):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return ends[::-1]


def generate(n: int, months: int, as_of: datetime.date, rng) -> dict:
    postcodes = np.array(
        [f"SK{a} {b}{c}{d}" for a, b, c, d in zip(
            rng.integers(1, 9, 20_000), rng.integers(0, 10, 20_000),
            rng.choice(list("ABDEFGHJLNPQRSTUWXYZ"), 20_000),
            rng.choice(list("ABDEFGHJLNPQRSTUWXYZ"), 20_000), strict=True,
        )]
    )  # fmt: skip
    tenants = [f"H-{i}" for i in range(n)]
    second = rng.random(n) < 0.2
    record_ids = [[t, f"{t}b"] if two else [t] for t, two in zip(tenants, second, strict=True)]
    people_ids = [r for ids in record_ids for r in ids]
    people_postcodes = postcodes[rng.integers(0, len(postcodes), len(people_ids))]
    starts = np.array(as_of - datetime.timedelta(days=1), dtype="datetime64[D]") - rng.integers(
        0, 3650, n
    )
    rent = rng.uniform(80, 160, n)
    balance = rng.normal(0, 300, n)
    series = []
    for end in month_ends(as_of, months):
        balance = balance + rng.normal(0, 120, n) + np.where(rng.random(n) < 0.1, rent, 0)
        series.append(
            (
                end,
                pa.table(
                    {
                        "tenancy_ref": pa.array([f"T-{i}" for i in range(n)]),
                        "record_ids": pa.array(record_ids, pa.list_(pa.string())),
                        "uprn": pa.array([str(100_000_000_000 + i) for i in range(n)]),
                        "address": pa.array([f"{i} Bench Street" for i in range(n)]),
                        "start_date": pa.array(starts, pa.date32()),
                        "end_date": pa.nulls(n, pa.date32()),
                        "tenure": pa.array(["secure"] * n),
                        "rent_balance": pa.array(np.round(balance, 2)).cast(pa.decimal128(12, 2)),
                        "arrears_weeks": pa.array(np.clip(balance / rent, 0, None)),
                    }
                ),
            )
        )
    people = pa.table(
        {
            "record_id": pa.array(people_ids),
            "first_name": pa.array(["Bench"] * len(people_ids)),
            "surname": pa.array([f"Tenant{i}" for i in range(len(people_ids))]),
            "other_names": pa.nulls(len(people_ids), pa.string()),
            "date_of_birth": pa.nulls(len(people_ids), pa.date32()),
            "sex": pa.nulls(len(people_ids), pa.string()),
            "postcode": pa.array(people_postcodes),
            "address": pa.nulls(len(people_ids), pa.string()),
            "uprn": pa.nulls(len(people_ids), pa.string()),
            "ethnicity": pa.nulls(len(people_ids), pa.string()),
        }
    )
    k = 100_000
    incident_days = np.array(as_of, dtype="datetime64[D]") - rng.integers(0, 365, k)
    incidents = pa.table(
        {
            "record_id": pa.array([f"P-{i}" for i in rng.integers(0, 50_000, k)]),
            "date": pa.array(incident_days, pa.date32()),
            "category": pa.array(rng.choice(["ASB", "Police: disturbance", "Noise"], k)),
            "postcode": pa.array(postcodes[rng.integers(0, len(postcodes), k)]),
        }
    )
    attendance_days = np.array(as_of, dtype="datetime64[D]") - rng.integers(0, 365, k)
    attendances = pa.table(
        {
            "record_id": pa.array([f"N-{i}" for i in rng.integers(0, 40_000, k)]),
            "date": pa.array(attendance_days, pa.date32()),
            "category": pa.array(rng.choice(["A&E", "A&E", "Treatment appointment"], k)),
        }
    )
    return {
        "series": series,
        "people": people,
        "incidents": incidents,
        "attendances": attendances,
    }


def store(data: dict, as_of: datetime.date) -> dict:
    """Write the extracts' Parquet where the partners app keeps it, and their records."""
    import pyarrow.parquet as pq
    from django.utils import timezone

    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import AgencyFactory, UserFactory
    from safehold.partners import store as extract_store
    from safehold.partners.models import Extract
    from safehold.sharing.tests.factories import AgreementFactory

    homes = AgencyFactory(name="Bench Homes")
    police = AgencyFactory(name="Bench Police")
    health = AgencyFactory(name="Bench NHS")
    agreement = AgreementFactory(parties=[homes, police, health])
    files = [(homes, "tenancies", end, table) for end, table in data["series"]]
    files += [
        (homes, "people", as_of, data["people"]),
        (police, "incidents", as_of, data["incidents"]),
        (health, "attendances", as_of, data["attendances"]),
    ]
    latest = {(a.pk, kind): max(d for b, k, d, _ in files if (b.pk, k) == (a.pk, kind))
              for a, kind, _, _ in files}  # fmt: skip
    for number, (agency, kind, day, table) in enumerate(files):
        extract = Extract.objects.create(
            owning_agency=agency,
            kind=kind,
            agreement=agreement,
            purpose="Benchmark",
            uploaded_by=UserFactory(agency=agency, role=Role.ANALYST),
            uploaded_at=timezone.now(),
            extract_date=day,
            file_name=f"{kind}.csv",
            row_count=table.num_rows,
            checksum=f"{number:064d}",
            is_current=day == latest[(agency.pk, kind)],
        )
        path = extract_store.extract_path(agency_id=agency.pk, kind=kind, extract_id=extract.pk)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path)
    return {"homes": homes, "police": police, "health": health}


def safehold_people(count: int, rng) -> None:
    from safehold.accounts.tests.factories import AgencyFactory
    from safehold.people.models import Person

    council = AgencyFactory(name="Bench Council")
    people = Person.objects.bulk_create(
        [
            Person(owning_agency=council, given_name="Bench", family_name=f"Person{i}")
            for i in range(count)
        ]
    )
    through = Person.vulnerabilities.through
    flags = ["learning_disability", "mental_health", "substance_misuse", "care_leaver"]
    through.objects.bulk_create(
        [
            through(person_id=p.pk, vulnerability_id=flag)
            for p in people
            for flag in rng.choice(flags, rng.integers(0, 3), replace=False)
        ]
    )


def with_pandas(data: dict, agencies: dict, as_of: datetime.date, version) -> dict[str, int]:
    """The same rules, in pandas over the same Parquet files, and the flags by the same query;
    the score of each subject."""
    import pandas as pd
    import pyarrow.parquet as pq

    from safehold.partners import store as extract_store
    from safehold.partners.models import Extract
    from safehold.risk.engine import casework
    from safehold.risk.engine.extracts import months_before
    from safehold.risk.indicators import VULNERABILITY_FLAGS

    on = version.enabled()
    weight = {c: s["weight"] for c, s in on.items()}

    def read(extract) -> pd.DataFrame:
        path = extract_store.extract_path(
            agency_id=extract.owning_agency_id, kind=extract.kind, extract_id=extract.pk
        )
        table = pq.read_table(path)
        if "rent_balance" in table.column_names:
            index = table.column_names.index("rent_balance")
            table = table.set_column(
                index, "rent_balance", table.column("rent_balance").cast(pa.float64())
            )
        return table.to_pandas()

    homes = agencies["homes"]
    n = on["arrears_rising"]["params"]["extracts"]
    series = list(
        Extract.objects.filter(
            owning_agency=homes, kind="tenancies", extract_date__lte=as_of
        ).order_by("-extract_date", "-uploaded_at")[: n + 1]
    )
    frames = [read(e).assign(seq=s) for s, e in enumerate(series)]
    tenancies = pd.concat(frames, ignore_index=True)
    latest = frames[0]
    met: dict[str, set[str]] = {}

    def add(keys, code):
        for key in keys:
            met.setdefault(key, set()).add(code)

    def tenants(rows: pd.DataFrame) -> list[str]:
        return [f"{homes.pk}/{t}" for ids in rows["record_ids"] for t in ids]

    # Rent arrears rising at each of the last n extracts.
    window = tenancies[tenancies.seq <= n].sort_values(["tenancy_ref", "seq"])
    window = window.assign(
        before=window.groupby("tenancy_ref")["rent_balance"].shift(-1),
    )
    window = window.assign(rose=(window.seq < n) & (window.rent_balance > window.before))
    counts = window.groupby("tenancy_ref").agg(rows=("seq", "size"), rises=("rose", "sum"))
    rising = counts[(counts.rows == n + 1) & (counts.rises == n)].index
    add(tenants(latest[latest.tenancy_ref.isin(rising)]), "arrears_rising")
    # Arrears above N weeks; a tenancy started in the last N months.
    add(
        tenants(latest[latest.arrears_weeks > on["arrears_weeks"]["params"]["weeks"]]),
        "arrears_weeks",
    )
    since = months_before(as_of, on["new_tenancy"]["params"]["months"])
    started = latest.start_date.map(lambda d: d is not None and since < d <= as_of)
    ended = latest.end_date.map(lambda d: d is not None and d <= as_of)
    add(tenants(latest[started & ~ended]), "new_tenancy")
    # Incidents at the address: by postcode, against the people extract's homes.
    people = read(Extract.objects.get(owning_agency=homes, kind="people", is_current=True))
    incidents = read(Extract.objects.get(owning_agency=agencies["police"], kind="incidents"))
    days = on["incidents_at_address"]["params"]["days"]
    recent = incidents[
        (incidents.date > as_of - datetime.timedelta(days=days)) & (incidents.date <= as_of)
    ]
    per_postcode = recent.groupby("postcode").size()
    hits = people.assign(hits=people.postcode.map(per_postcode).fillna(0))
    hits = hits[hits.hits >= on["incidents_at_address"]["params"]["count"]]
    add([f"{homes.pk}/{r}" for r in hits.record_id], "incidents_at_address")
    # Repeat A&E attendances.
    health = agencies["health"]
    attendances = read(Extract.objects.get(owning_agency=health, kind="attendances"))
    days = on["repeat_ae"]["params"]["days"]
    ae = attendances[
        attendances.category.str.contains("a&e", case=False)
        & (attendances.date > as_of - datetime.timedelta(days=days))
        & (attendances.date <= as_of)
    ]
    per_person = ae.groupby("record_id").size()
    add(
        [f"{health.pk}/{r}" for r in per_person[per_person >= on["repeat_ae"]["params"]["count"]].index],
        "repeat_ae",
    )  # fmt: skip
    flags = casework.vulnerability_evidence(as_of, [i.code for i in VULNERABILITY_FLAGS])
    for key, code in zip(
        flags.column("subject_key").to_pylist(), flags.column("code").to_pylist(), strict=True
    ):
        add([key], code)
    return {key: sum(weight[c] for c in codes) for key, codes in met.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenancies", type=int, default=200_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="safehold-risk-bench-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DATA_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from safehold.core import dates
    from safehold.risk.engine import score
    from safehold.risk.services import current_version

    rng = np.random.default_rng(18)
    as_of = dates.today()
    began = time.perf_counter()
    data = generate(args.tenancies, args.months, as_of, rng)
    agencies = store(data, as_of)
    safehold_people(2_000, rng)
    made = time.perf_counter()
    version = current_version()

    started = time.perf_counter()
    if os.environ.get("RISK_PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx(
            "score(as_of, None, version)", globals(), locals(), str(Path(workdir) / "risk.prof")
        )
        pstats.Stats(str(Path(workdir) / "risk.prof")).sort_stats("cumulative").print_stats(25)
        started = time.perf_counter()
    listed = score(as_of, None, version)
    engine_seconds = time.perf_counter() - started
    started = time.perf_counter()
    expected = with_pandas(data, agencies, as_of, version)
    pandas_seconds = time.perf_counter() - started

    from safehold.accounts.choices import Role
    from safehold.accounts.tests.factories import UserFactory
    from safehold.risk.selectors import list_for

    analyst = UserFactory(agency=agencies["homes"], role=Role.ANALYST)
    started = time.perf_counter()
    top = list_for(analyst, as_of, None, version, top=50)
    top_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rows = sum(len(r.evidence) for e in listed.entries for r in e.reasons)
    evidence_seconds = time.perf_counter() - started

    ours = {e.subject_ref: e.score for e in listed.entries}
    same = ours == expected
    print(
        f"data: {args.tenancies:,} tenancies x {args.months} monthly extracts, "
        f"{data['people'].num_rows:,} tenants, {data['incidents'].num_rows:,} incidents, "
        f"{data['attendances'].num_rows:,} attendances, 2,000 Safehold people "
        f"(generated in {made - began:.1f} s); database: {os.environ['DATABASE_URL'].split(':')[0]}"
    )
    print(f"entries on the list: {len(listed.entries):,}")
    print(f"safehold risk engine: {engine_seconds:.2f} s (budget 5 s)")
    print(f"pandas, same rules:   {pandas_seconds:.2f} s")
    print(f"ratio (pandas / engine): {pandas_seconds / engine_seconds:.2f}x")
    print(
        f"an analyst's top 50 (list_for, the list made again, visibility, audit): "
        f"{top_seconds:.2f} s, {len(top.entries)} entries"
    )
    print(
        f"reading every entry's evidence ({rows:,} pieces) after the list: {evidence_seconds:.2f} s"
    )
    print(f"same scores for every subject: {'yes' if same else 'NO'}")
    if not same:
        differ = sorted(k for k in set(ours) | set(expected) if ours.get(k) != expected.get(k))
        print(
            f"  {len(differ)} differ, e.g. {[(k, ours.get(k), expected.get(k)) for k in differ[:5]]}"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
