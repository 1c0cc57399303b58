"""A small generated partnership for linkage tests: the generator's "safehold" records as
Safehold people (held by the council), its "landlord" and "police" records as those agencies'
people extracts, and the truth (which records are one person) by linkage key."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from safehold.accounts.choices import AgencyKind, Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.linkage.generate import generate
from safehold.partners.services import upload_extract
from safehold.people.models import Person
from safehold.sharing.tests.factories import AgreementFactory

EXTRACT_COLUMNS = (
    "record_id",
    "first_name",
    "surname",
    "other_names",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "uprn",
)


@dataclass
class Partnership:
    council: object
    landlord: object
    police: object
    agreement: object
    users: dict  # "council_ig", "landlord_ig", "police_ig", "council_caseworker", …
    truth: dict  # linkage key -> the generated person's id
    people: dict  # generated safehold record id -> Person


SOUTH_ASIAN_SURNAMES = {
    "khan",
    "patel",
    "hussain",
    "ali",
    "ahmed",
    "begum",
    "shah",
    "singh",
    "kaur",
}


def make_partnership(
    people: int = 250, *, seed: int = 5, household_traps: int = 6, ethnicity: bool = False
) -> Partnership:
    """`ethnicity`: the landlord's extract carries an ethnic group (made up, for the fairness
    report's tests: every third record of the extract one group, the others another)."""
    records, truth = generate(people, seed=seed, household_traps=household_traps)
    council = AgencyFactory(name="Stockport Council", kind=AgencyKind.COUNCIL)
    landlord = AgencyFactory(name="Stockport Homes", kind=AgencyKind.HOUSING)
    police = AgencyFactory(name="Greater Manchester Police", kind=AgencyKind.POLICE)
    agreement = AgreementFactory(parties=[council, landlord, police])
    users = {
        f"{name}_{role}": UserFactory(agency=agency, role=getattr(Role, role.upper()))
        for name, agency in (("council", council), ("landlord", landlord), ("police", police))
        for role in ("ig_officer", "caseworker", "analyst")
    }
    rows = records.to_pylist()
    made = {}
    for row in rows:
        if row["source"] != "safehold":
            continue
        made[row["record_id"]] = Person(
            owning_agency=council,
            given_name=row["first_name"] or "",
            family_name=row["surname"] or "",
            date_of_birth=date.fromisoformat(row["date_of_birth"])
            if row["date_of_birth"]
            else None,
            gender={"M": "male", "F": "female"}.get(row["sex"] or "", "not_known"),
        )
    Person.objects.bulk_create(made.values())
    by_source = {"landlord": landlord, "police": police}
    for source, agency in by_source.items():
        out = io.StringIO()
        writer = csv.writer(out)
        with_group = ethnicity and source == "landlord"
        writer.writerow([*EXTRACT_COLUMNS, *(["ethnicity"] if with_group else [])])
        for n, row in enumerate(r for r in rows if r["source"] == source):
            group = ["Asian or Asian British"] if n % 3 == 0 else ["White"]
            writer.writerow(
                ["" if row[c] is None else row[c] for c in EXTRACT_COLUMNS]
                + (group if with_group else [])
            )
        upload_extract(
            agency=agency,
            kind="people",
            agreement=agreement,
            purpose="Finding people known to more than one agency",
            data=out.getvalue().encode(),
            file_name=f"{source}-people.csv",
            by=users[f"{'landlord' if source == 'landlord' else 'police'}_ig_officer"],
        )
    keys = {}
    for record, person in truth.items():
        source, record_id = record.split("/", 1)
        if source == "safehold":
            keys[f"safehold/{made[record_id].pk}"] = person
        else:
            keys[f"{by_source[source].pk}/{record_id}"] = person
    return Partnership(council, landlord, police, agreement, users, keys, made)
