"""Partner extracts, people and casework for the risk tests, made through the services and the
other apps' factories (the extracts validated and stored as any upload is)."""

import datetime

from safehold.partners.tests.factories import ExtractFactory

AS_OF = datetime.date(2026, 6, 30)

PEOPLE = "record_id,first_name,surname,date_of_birth,postcode,uprn\n"
TENANCIES = "tenancy_ref,record_ids,uprn,start_date,end_date,rent_balance,arrears_weeks\n"
INCIDENTS = "record_id,date,category,postcode\n"
ATTENDANCES = "record_id,date,category\n"
HEADERS = {
    "people": PEOPLE,
    "tenancies": TENANCIES,
    "incidents": INCIDENTS,
    "attendances": ATTENDANCES,
}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def extract(agency, kind: str, rows: list[tuple], *, on: datetime.date = AS_OF, agreement=None):
    """An extract of `kind` by `agency` dated `on`, from rows in the order of HEADERS[kind]."""
    data = HEADERS[kind] + "".join(",".join(_cell(c) for c in row) + "\n" for row in rows)
    return ExtractFactory(
        owning_agency=agency, kind=kind, data=data, extract_date=on, agreement=agreement
    )


def tenancy(ref: str, tenants: str, *, start=None, end=None, balance="0", weeks="0", uprn=""):
    """A tenancies row (tenants: record ids separated by `;`)."""
    return (ref, tenants, uprn, start, end, balance, weeks)


def months_ago(months: int, day: datetime.date = AS_OF) -> datetime.date:
    """The last day of the month `months` before `day`'s."""
    first = day.replace(day=1)
    for _ in range(months):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    return nxt - datetime.timedelta(days=1)


def flagged(*flags: str, recorded: datetime.date = datetime.date(2025, 1, 6), **fields):
    """A Safehold person with vulnerability flags, recorded on `recorded` (a flag's date is its
    person's record's)."""
    from django.utils import timezone

    from safehold.people.models import Person
    from safehold.people.tests.factories import PersonFactory

    person = PersonFactory(**fields)
    person.vulnerabilities.add(*flags)
    when = timezone.make_aware(datetime.datetime.combine(recorded, datetime.time(9)))
    Person.objects.filter(pk=person.pk).update(created_at=when)
    person.refresh_from_db()
    return person
