"""The demo's top indicators list (issue 18): Stockport Homes' extracts carry indicators, so the
list for Brinnington on the day the demo is loaded (and for some months after) shows a tenant
with rising rent arrears, a learning disability and two ASB reports at the address, each reason
with its source, beside a handful of other invented entries.

On top of the linkage demo's extracts (its tenants keep their record ids, so the linkage run's
clusters still hold): a people extract with the tenants' addresses, four monthly tenancies
extracts before the load date (the arrears series), and an incidents extract of the ASB
reports made to the landlord. The tenant's learning disability is recorded on the Safehold
person the linkage run found to be the same tenant. Invented people only; everything through
the services."""

import datetime
import itertools
import zlib

import pyarrow.parquet as pq
from django.utils import timezone

from safehold.accounts.models import User
from safehold.cases.models import Case
from safehold.core import dates
from safehold.demo.linkage import (
    COUNCIL_IG,
    EXTRACT_DATE,
    HOMES_IG,
    PEOPLE_COLUMNS,
    PURPOSE,
    TENANCY_COLUMNS,
    _csv,
)
from safehold.geography.models import Lsoa
from safehold.geography.postcodes import shipped_postcodes_by_lsoa
from safehold.linkage import services as linkage
from safehold.linkage.models import Record, Run
from safehold.partners import store
from safehold.partners.choices import ExtractKind
from safehold.partners.models import Extract
from safehold.partners.services import upload_extract
from safehold.people import services as people
from safehold.people.models import Location, Person, Vulnerability
from safehold.sharing.middleware import unrestricted
from safehold.sharing.models import InformationSharingAgreement

BRINNINGTON = "E05000783"
INCIDENT_COLUMNS = ("record_id", "date", "category", "postcode")
STEP = 40  # pounds the balance of a tenancy in the demo's rising arrears rises each month
# The other invented tenants of Brinnington: (rising arrears, ASB reports, weeks in arrears).
OTHERS = ((True, 2, 2.0), (False, 0, 9.5), (False, 2, 0.0), (True, 0, 3.0))
# The demo's cases are referred from about March 2025 (demo.partnership); the people with no
# case were first recorded in the two years before.
HISTORY_STARTS = datetime.date(2025, 3, 1)


def is_loaded() -> bool:
    return Extract.objects.filter(kind=ExtractKind.INCIDENTS).exists()


def load(*, today: datetime.date | None = None) -> str | None:
    """Load the extracts and the flag; the tenant's name, or None when there is no linkage run
    to build on (or it is already loaded)."""
    run = Run.objects.filter(is_current=True).first()
    if run is None or is_loaded():
        return None
    today = today or dates.today()
    homes_ig = User.objects.select_related("agency").get(email=HOMES_IG)
    agreement = InformationSharingAgreement.objects.order_by("created_at").first()
    tenants = _demo_rows(homes_ig.agency_id, ExtractKind.PEOPLE)
    tenancies = _demo_rows(homes_ig.agency_id, ExtractKind.TENANCIES)
    person, record_id = _the_tenant(run, homes_ig.agency_id)
    postcodes = sorted(
        set(
            Location.objects.filter(ward_id=BRINNINGTON)
            .exclude(postcode="")
            .values_list("postcode", flat=True)
        )
    )
    at_home = {record_id: (postcodes[0], "14 Brinnington Crescent Stockport")}
    invented = [t["record_id"] for t in tenants if not _linked(run, homes_ig, t)]
    # The others' homes: a postcode of Brinnington each, none a Safehold place's or another
    # tenant's, so that the ASB reports at one home (matched by postcode) are its own.
    taken = {t["postcode"] for t in tenants} | set(
        Location.objects.values_list("postcode", flat=True)
    )
    around = _free_postcodes(taken)
    for n, other in enumerate(invented[: len(OTHERS)]):
        at_home[other] = (around[n], f"{n + 3} Brinnington Road Stockport")
    for tenant in tenants:
        if tenant["record_id"] in at_home:
            tenant["postcode"], tenant["address"] = at_home[tenant["record_id"]]

    # Four tenancies extracts before today, monthly, all after the linkage demo's (closer
    # together when the demo is loaded soon after it), so they are the arrears series.
    gap = (today - EXTRACT_DATE).days
    step = 30 if gap < 0 or gap > 92 else max(1, (gap - 2) // 3)
    days = [today - datetime.timedelta(days=1 + step * k) for k in range(4)]
    rising = {record_id} | {r for r, o in zip(invented, OTHERS, strict=False) if o[0]}
    weeks = {record_id: 2.5} | {r: o[2] for r, o in zip(invented, OTHERS, strict=False)}
    uploads = []
    for day in days:
        rows = []
        for tenancy in tenancies:
            row = dict(tenancy)
            tenant = row["record_ids"].split(";")[0]
            if tenant in weeks:
                row["arrears_weeks"] = weeks[tenant]
                row["start_date"] = "2019-04-01"
            if tenant in rising:
                # The latest at the tenancy's weeks of rent, each earlier one STEP less.
                latest = 98.5 * weeks[tenant] + STEP * 3
                row["rent_balance"] = f"{latest - STEP * days.index(day):.2f}"
            rows.append(row)
        uploads.append((ExtractKind.TENANCIES, rows, TENANCY_COLUMNS, day))
    uploads.append((ExtractKind.PEOPLE, tenants, PEOPLE_COLUMNS, days[0]))
    reports = []
    for n, (other, o) in enumerate(zip(invented, OTHERS, strict=False)):
        for k in range(o[1]):
            reports.append(
                (
                    f"ASB-{n}{k}",
                    today - datetime.timedelta(days=9 + 17 * k),
                    "ASB: noise and visitors",
                    at_home[other][0],
                )
            )
    reports += [
        (
            "ASB-T1",
            today - datetime.timedelta(days=12),
            "ASB: people coming and going at night",
            at_home[record_id][0],
        ),
        (
            "ASB-T2",
            today - datetime.timedelta(days=41),
            "ASB: drug litter on the landing",
            at_home[record_id][0],
        ),
    ]
    uploads.append(
        (
            ExtractKind.INCIDENTS,
            [dict(zip(INCIDENT_COLUMNS, r, strict=True)) for r in reports],
            INCIDENT_COLUMNS,
            days[0],
        )
    )
    for kind, rows, columns, day in uploads:
        upload_extract(
            agency=homes_ig.agency, kind=kind, agreement=agreement, purpose=PURPOSE,
            data=_csv(rows, columns), file_name=f"Stockport Homes {kind} {day.isoformat()}.csv",
            by=homes_ig, extract_date=day,
        )  # fmt: skip
    _known_before(today)
    epo = User.objects.get(email="epo@homes.demo.safehold.test")
    flag = Vulnerability.objects.get(code="learning_disability")
    people.update_person(
        person=person, by=epo, vulnerabilities=[*person.vulnerabilities.all(), flag]
    )
    return person.full_name


def _free_postcodes(taken: set[str]) -> list[str]:
    """Brinnington's real postcodes (the shipped extract's, in the ward's LSOAs) that no one in
    the demo lives at, spread over the ward, as many as the other tenants."""
    by_lsoa = shipped_postcodes_by_lsoa()
    lsoas = Lsoa.objects.filter(ward_id=BRINNINGTON).order_by("code").values_list("code", flat=True)
    free = [[p for p in by_lsoa.get(code, []) if p not in taken] for code in lsoas]
    spread = [p for row in itertools.zip_longest(*free) for p in row if p]
    if len(spread) < len(OTHERS):
        raise LookupError("Brinnington has too few free postcodes for the demo's tenants")
    return spread[: len(OTHERS)]


def _known_before(today: datetime.date) -> None:
    """The demo's history: when each person's record was first made (the date that stands for
    their vulnerability flags in a list of the past, see `risk.engine.casework`). The demo's
    records are all made on the day it is loaded; a real partnership's were made over years, and
    many of the people whose exploitation case opened were known to an agency before it did.
    So, to give the backtest a history to replay: of the people with a case, two in three were
    recorded 1 to 9 months before their first case was referred, the others on its day; the
    people with no case between two years and a year before the demo's cases begin. Invented,
    like the rest, and the same on every load (from the case's reference, not a random draw).
    Every person in the database: the demo loads into one of its own. A system's own dates,
    written once by the demo loader and not through a service: nothing a user does changes
    when a record was made."""
    first_case = {
        subject: (referred, reference)
        for subject, referred, reference in Case.objects.order_by(
            "-referral_date", "-reference"
        ).values_list("subject_id", "referral_date", "reference")
    }  # the last written is each subject's first case
    with unrestricted():
        people = Person.objects.values_list("pk", "given_name", "family_name")
        for pk, given, family in people:
            if pk in first_case:
                referred, reference = first_case[pk]
                draw = zlib.crc32(reference.encode())
                months = 0 if draw % 3 == 0 else 1 + draw // 3 % 9
                day = min(referred, today) - datetime.timedelta(days=30 * months)
            else:
                draw = zlib.crc32(f"{given} {family}".encode())
                day = HISTORY_STARTS - datetime.timedelta(days=365 + draw % 365)
            made = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
            Person.objects.filter(pk=pk).update(created_at=made)


def _the_tenant(run: Run, agency_id) -> tuple[Person, str]:
    """A Stockport Homes tenant the linkage run found in Safehold too, with no case at a place
    (whose ward would come first) and no vulnerability yet: the first by name."""
    housed = set(Case.objects.filter(location__isnull=False).values_list("subject_id", flat=True))
    clusters: dict[str, list[str]] = {}
    for key, cluster in Record.objects.filter(run=run).values_list("key", "cluster_id"):
        clusters.setdefault(cluster, []).append(key)
    prefix = f"{agency_id}/"
    for person in Person.objects.filter(owning_agency=agency_id).order_by("family_name", "pk"):
        if person.pk in housed or person.vulnerabilities.exists():
            continue
        own = f"safehold/{person.pk}"
        cluster = next((c for c, keys in clusters.items() if own in keys), None)
        tenants = [k for k in clusters.get(cluster, []) if k.startswith(prefix)]
        if len(tenants) == 1 and len(clusters[cluster]) == 2:
            return person, tenants[0][len(prefix) :]
    raise LookupError("No Stockport Homes tenant is linked to a Safehold person")


def _linked(run: Run, homes_ig: User, tenant: dict) -> bool:
    record = Record.objects.filter(
        run=run, key=f"{homes_ig.agency_id}/{tenant['record_id']}"
    ).first()
    return (
        record is None or Record.objects.filter(run=run, cluster_id=record.cluster_id).count() > 1
    )


def put_back(*, today: datetime.date | None = None) -> None:
    """Make the demo's extracts of this module Stockport Homes' latest again, and link again:
    for a browser journey that runs after others which uploaded newer extracts of the landlord
    and ran linkage (the journeys share one server). Each is uploaded again as today's, its rows
    in the reverse order (a new file: the same file again would change nothing), oldest first,
    so the arrears series keeps its order."""
    today = today or dates.today()
    homes_ig = User.objects.select_related("agency").get(email=HOMES_IG)
    agreement = InformationSharingAgreement.objects.order_by("created_at").first()
    columns = {ExtractKind.PEOPLE: PEOPLE_COLUMNS, ExtractKind.TENANCIES: TENANCY_COLUMNS}
    ours = Extract.objects.filter(
        owning_agency=homes_ig.agency,
        kind__in=list(columns),
        file_name__startswith="Stockport Homes ",
        extract_date__gt=EXTRACT_DATE,
    ).order_by("kind", "extract_date", "uploaded_at")
    latest_people = [e for e in ours if e.kind == ExtractKind.PEOPLE][-1:]
    for extract in [*(e for e in ours if e.kind == ExtractKind.TENANCIES), *latest_people]:
        upload_extract(
            agency=homes_ig.agency, kind=extract.kind, agreement=agreement, purpose=PURPOSE,
            data=_csv(list(reversed(_rows(extract))), columns[extract.kind]),
            file_name=f"{extract.file_name} (again)", by=homes_ig, extract_date=today,
        )  # fmt: skip
    linkage.run_linkage(by=User.objects.get(email=COUNCIL_IG))


def _demo_rows(agency_id, kind: str) -> list[dict]:
    """The linkage demo's extract of `kind`, as CSV rows again."""
    return _rows(Extract.objects.get(owning_agency=agency_id, kind=kind, extract_date=EXTRACT_DATE))


def _rows(extract: Extract) -> list[dict]:
    """An extract's rows, as CSV rows again."""
    path = store.extract_path(
        agency_id=extract.owning_agency_id, kind=extract.kind, extract_id=extract.pk
    )
    table = pq.read_table(path)
    rows = []
    for row in table.to_pylist():
        out = {}
        for name, value in row.items():
            if isinstance(value, list):
                value = ";".join(value)
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            out[name] = "" if value is None else str(value)
        rows.append(out)
    return rows
