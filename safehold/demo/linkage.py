"""The demo's partner extracts and a linkage run (issue 17): Stockport Homes' people and
tenancies extracts (its tenants: the demo's invented people it holds, as its housing system has
them, and tenants Safehold does not hold) and Greater Manchester Police's people extract (some of
the same invented people, recorded with the slips real extracts have: a typo, a nickname, a
missing date of birth; a father and son of one name at one flat; people no one else knows), all
under the partnership's agreement; then one linkage run. Invented people only.

Everything goes through the services, as the agencies' officers would on the pages."""

import csv
import datetime
import io
import random

from faker import Faker

from safehold.accounts.models import User
from safehold.cases.models import Case
from safehold.linkage import services as linkage
from safehold.linkage.models import Run
from safehold.partners.services import upload_extract
from safehold.people.models import Person
from safehold.sharing.models import InformationSharingAgreement

HOMES_IG = "ig@homes.demo.safehold.test"
GMP_ANALYST = "analyst@gmp.demo.safehold.test"
COUNCIL_IG = "ig@council.demo.safehold.test"
PURPOSE = "Finding people known to more than one agency, to protect them (cuckooing)"
EXTRACT_DATE = datetime.date(2026, 10, 31)
PEOPLE_COLUMNS = (
    "record_id", "first_name", "surname", "other_names", "date_of_birth", "sex", "postcode",
    "address", "uprn",
)  # fmt: skip
TENANCY_COLUMNS = (
    "tenancy_ref", "record_ids", "uprn", "address", "start_date", "end_date", "tenure",
    "rent_balance", "arrears_weeks",
)  # fmt: skip
NICKNAMES = {"Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Michael": "Mike"}


def is_loaded() -> bool:
    return Run.objects.exists()


def load(*, seed: int = 2022) -> Run:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed + 17)
    agreement = InformationSharingAgreement.objects.order_by("created_at").first()
    homes_ig = User.objects.select_related("agency").get(email=HOMES_IG)
    analyst = User.objects.select_related("agency").get(email=GMP_ANALYST)
    people = list(
        Person.objects.select_related("owning_agency").order_by("family_name", "given_name", "pk")
    )
    homes = [p for p in people if p.owning_agency_id == homes_ig.agency_id]
    address = _addresses()

    # Stockport Homes: every tenant it holds in Safehold, as its housing system spells them,
    # and tenants it alone knows.
    tenants, tenancies = [], []
    for n, person in enumerate(homes, start=1):
        line, postcode, uprn = address.get(person.pk, (fake.street_address(), "SK5 7AA", ""))
        tenants.append(_row(f"SH-{n:05d}", person, line, postcode, uprn))
    for n in range(len(homes) + 1, len(homes) + 41):
        tenants.append(_invented(rng, fake, f"SH-{n:05d}"))
    for n, tenant in enumerate(tenants, start=1):
        arrears = rng.choice([0, 0, 0, 0.5, 1.5, 3, 6, 9])
        tenancies.append(
            {
                "tenancy_ref": f"T-{n:05d}",
                "record_ids": tenant["record_id"],
                "uprn": tenant["uprn"],
                "address": f"{tenant['address']}",
                "start_date": (
                    EXTRACT_DATE - datetime.timedelta(days=rng.randint(90, 4000))
                ).isoformat(),
                "end_date": "",
                "tenure": "Secure",
                "rent_balance": f"{arrears * 98.5:.2f}",
                "arrears_weeks": arrears,
            }
        )
    for tenant in tenants:  # the address is on the tenancy, as a housing system holds it
        tenant["address"] = tenant["postcode"] = tenant["uprn"] = ""

    # Greater Manchester Police: a third of the partnership's people, with slips; a father and
    # son of one name at one flat; people only the police know.
    nominals = []
    for n, person in enumerate(rng.sample(people, k=len(people) // 3), start=1):
        line, postcode, uprn = address.get(person.pk, ("", "", ""))
        nominals.append(_slipped(rng, _row(f"GMP-{n:06d}", person, line, postcode, "")))
    father = _invented(rng, fake, f"GMP-{len(nominals) + 1:06d}", sex="M", born=1968)
    son = dict(father, record_id=f"GMP-{len(nominals) + 2:06d}", date_of_birth="1994-07-19")
    nominals += [father, son]
    for n in range(len(nominals) + 1, len(nominals) + 31):
        nominals.append(_invented(rng, fake, f"GMP-{n:06d}"))

    for by, kind, rows, columns in (
        (homes_ig, "people", tenants, PEOPLE_COLUMNS),
        (homes_ig, "tenancies", tenancies, TENANCY_COLUMNS),
        (analyst, "people", nominals, PEOPLE_COLUMNS),
    ):
        upload_extract(
            agency=by.agency,
            kind=kind,
            agreement=agreement,
            purpose=PURPOSE,
            data=_csv(rows, columns),
            file_name=f"{by.agency.name} {kind}.csv",
            by=by,
            extract_date=EXTRACT_DATE,
        )
    return linkage.run_linkage(by=User.objects.get(email=COUNCIL_IG))


def _addresses() -> dict:
    """Each person's address as their latest case (as subject) has it."""
    found = {}
    for subject, line, town, postcode, uprn in (
        Case.objects.filter(location__isnull=False)
        .order_by("referral_date")
        .values_list(
            "subject_id",
            "location__address_line_1",
            "location__town",
            "location__postcode",
            "location__uprn",
        )
    ):
        found[subject] = (f"{line} {town}".strip(), postcode, uprn)
    return found


def _row(record_id: str, person: Person, line: str, postcode: str, uprn: str) -> dict:
    return {
        "record_id": record_id,
        "first_name": person.given_name,
        "surname": person.family_name,
        "other_names": "",
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "sex": {"male": "M", "female": "F"}.get(person.gender, ""),
        "postcode": postcode,
        "address": line,
        "uprn": uprn,
    }


def _invented(rng, fake, record_id: str, *, sex: str | None = None, born: int | None = None):
    sex = sex or rng.choice("MF")
    first = fake.first_name_male() if sex == "M" else fake.first_name_female()
    year = born or rng.randint(1950, 2004)
    return {
        "record_id": record_id,
        "first_name": first,
        "surname": fake.last_name(),
        "other_names": "",
        "date_of_birth": datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
        "sex": sex,
        "postcode": f"SK{rng.randint(1, 8)} {rng.randint(1, 9)}{rng.choice('ABDEHJLNPRSTWXY')}"
        f"{rng.choice('ABDEHJLNPRSTWXY')}",
        "address": f"{rng.randint(1, 120)} {fake.street_name()} Stockport",
        "uprn": "",
    }


def _slipped(rng, row: dict) -> dict:
    """A police record of someone: sometimes a typo, a nickname, no date of birth."""
    roll = rng.random()
    if roll < 0.2 and len(row["surname"]) > 3:
        i = rng.randrange(1, len(row["surname"]) - 1)
        s = row["surname"]
        row["surname"] = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    elif roll < 0.3 and row["first_name"] in NICKNAMES:
        row["other_names"] = row["first_name"]
        row["first_name"] = NICKNAMES[row["first_name"]]
    elif roll < 0.4:
        row["date_of_birth"] = ""
    return row


def _csv(rows: list[dict], columns) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()
