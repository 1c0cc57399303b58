"""The indicators read from the partners' extracts, as SQL over their Parquet files in DuckDB:
vectorised, one statement per indicator, whatever the number of tenancies.

Only extracts dated on or before the list's date are read (a backtest replays history): the
latest of each agency for people, incidents and attendances (each row dated on or before the
list's date), and the last N + 1 of the tenancies series for the arrears trend."""

import datetime

import duckdb
import pyarrow as pa

from safehold.analytics.store import sql_string
from safehold.incidents.store import SCHEMA as INCIDENT_SCHEMA
from safehold.incidents.store import sources_dir as incident_sources_dir
from safehold.partners import store
from safehold.partners.choices import ExtractKind
from safehold.partners.models import Extract
from safehold.partners.validation import schema


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def extracts_as_of(as_of: datetime.date, kind: str, depth: int = 1) -> list[tuple]:
    """(extract id, agency id, seq, extract date, path) of each agency's `depth` latest extracts
    of `kind` dated on or before `as_of`, seq 0 the latest."""
    found, seen = [], {}
    for pk, agency, extract_date in (
        Extract.objects.filter(kind=kind, extract_date__lte=as_of)
        .order_by("owning_agency", "-extract_date", "-uploaded_at")
        .values_list("pk", "owning_agency_id", "extract_date")
    ):
        seq = seen.get(agency, 0)
        if seq < depth:
            path = store.extract_path(agency_id=agency, kind=kind, extract_id=pk)
            found.append((str(pk), str(agency), seq, extract_date, str(path)))
        seen[agency] = seq + 1
    return found


def load(con: duckdb.DuckDBPyConnection, name: str, kind: str, files: list[tuple]) -> None:
    """The table `name`: the rows of `files` with their extract, agency, seq and extract date."""
    con.register(
        f"{name}_files",
        pa.table(
            {
                "extract_id": pa.array([f[0] for f in files], pa.string()),
                "agency_id": pa.array([f[1] for f in files], pa.string()),
                "seq": pa.array([f[2] for f in files], pa.int32()),
                "extract_date": pa.array([f[3] for f in files], pa.date32()),
                "filename": pa.array([f[4] for f in files], pa.string()),
            }
        ),
    )
    if files:
        paths = ", ".join(sql_string(f[4]) for f in files)
        rows = f"read_parquet([{paths}], filename = true, union_by_name = true)"
    else:
        con.register(f"{name}_empty", schema(kind).empty_table())
        rows = f"(select *, ''::varchar as filename from {name}_empty)"
    con.execute(
        f"create table {name} as select f.extract_id, f.agency_id, f.seq, f.extract_date, "
        f"r.* exclude (filename) from {rows} r join {name}_files f using (filename)"
    )


def load_all(con: duckdb.DuckDBPyConnection, as_of: datetime.date, series: int) -> None:
    load(con, "people", ExtractKind.PEOPLE, extracts_as_of(as_of, ExtractKind.PEOPLE))
    load(
        con,
        "tenancies",
        ExtractKind.TENANCIES,
        extracts_as_of(as_of, ExtractKind.TENANCIES, depth=series),
    )
    load(con, "incidents", ExtractKind.INCIDENTS, extracts_as_of(as_of, ExtractKind.INCIDENTS))
    load(
        con, "attendances", ExtractKind.ATTENDANCES, extracts_as_of(as_of, ExtractKind.ATTENDANCES)
    )


# The extracts' homes: a people row's postcode and UPRN, or its latest tenancy's UPRN.
HOMES_SQL = """
    select agency_id || '/' || record_id as key, postcode, uprn,
           null::varchar as location_id, null::varchar as ward
    from people
    union all
    select agency_id || '/' || tenant as key, null, uprn, null, null
    from (select agency_id, uprn, unnest(record_ids) as tenant from tenancies where seq = 0)
"""


def _evidence(code: str, select: str) -> str:
    return f"select subject_key, '{code}' as code, agency_id, record_key, 'extract' as holder, extract_id as holder_id, date, what from ({select})"


def arrears_rising(extracts: int) -> str:
    n = int(extracts)
    return _evidence(
        "arrears_rising",
        f"""
        with series as (
            select agency_id, tenancy_ref, seq, rent_balance,
                   lead(rent_balance) over (
                       partition by agency_id, tenancy_ref order by seq
                   ) as before
            from tenancies where seq <= {n}
        ), rising as (
            select agency_id, tenancy_ref from series group by all
            having count(*) = {n + 1}
               and count(*) filter (where seq < {n} and rent_balance > before) = {n}
        )
        select t.agency_id || '/' || t.tenant as subject_key, t.agency_id,
               t.agency_id || '/tenancy/' || t.tenancy_ref as record_key, t.extract_id,
               t.extract_date as date,
               'Tenancy ' || t.tenancy_ref || ': rent balance rose at each of the last {n} '
                   || 'extracts, to £' || printf('%.2f', t.rent_balance::double) as what
        from (select *, unnest(record_ids) as tenant from tenancies where seq = 0) t
        join rising using (agency_id, tenancy_ref)
        """,
    )


def arrears_weeks(weeks: int) -> str:
    return _evidence(
        "arrears_weeks",
        f"""
        select agency_id || '/' || tenant as subject_key, agency_id,
               agency_id || '/tenancy/' || tenancy_ref as record_key, extract_id,
               extract_date as date,
               'Tenancy ' || tenancy_ref || ': ' || printf('%g', arrears_weeks)
                   || ' weeks of rent in arrears' as what
        from (select *, unnest(record_ids) as tenant from tenancies where seq = 0)
        where arrears_weeks > {int(weeks)}
        """,
    )


def new_tenancy(since: datetime.date, as_of: datetime.date) -> str:
    return _evidence(
        "new_tenancy",
        f"""
        select agency_id || '/' || tenant as subject_key, agency_id,
               agency_id || '/tenancy/' || tenancy_ref as record_key, extract_id,
               start_date as date,
               'Tenancy ' || tenancy_ref || ' started on ' || strftime(start_date, '%-d %B %Y')
                   as what
        from (select *, unnest(record_ids) as tenant from tenancies where seq = 0)
        where start_date > DATE '{since.isoformat()}' and start_date <= DATE '{as_of.isoformat()}'
          and (end_date is null or end_date > DATE '{as_of.isoformat()}')
        """,
    )


def load_logs(con: duckdb.DuckDBPyConnection, agencies: dict[str, str]) -> None:
    """The table `logs`: every partner incident log (safehold.incidents' store) with each
    incident's UK date and postcode, and the agency whose name its source is, if one is."""
    folder = incident_sources_dir()
    files = sorted(folder.glob("*.parquet")) if folder.exists() else []
    if files:
        paths = ", ".join(sql_string(f) for f in files)
        rows = f"read_parquet([{paths}], union_by_name = true)"
    else:
        con.register("logs_empty", INCIDENT_SCHEMA.empty_table())
        rows = "logs_empty"
    con.register(
        "log_agencies",
        pa.table(
            {
                "name": pa.array([n.casefold() for n in agencies.values()], pa.string()),
                "agency_id": pa.array(list(agencies), pa.string()),
            }
        ),
    )
    con.execute(
        f"""
        create table logs as
        select coalesce(a.agency_id, '') as agency_id, l.source, l.reference, l.type,
               timezone('Europe/London', l.occurred_at)::date as date,
               upper(trim(l.postcode)) as postcode
        from {rows} l left join log_agencies a on lower(l.source) = a.name
        where l.postcode is not null
        """
    )


def incidents_at_address(since: datetime.date, as_of: datetime.date, count: int) -> str:
    """Incidents at the home's postcode, from the partners' incidents extracts and their
    incident logs (safehold.incidents) alike."""
    return f"""
        with rows as (
            select agency_id, 'extract' as holder, extract_id as holder_id,
                   agency_id || '/' || record_id as record_key, date, category, postcode
            from incidents
            union all
            select agency_id, 'incident_log', source, 'incidents/' || source || '/' || reference,
                   date, type, postcode
            from logs
        ), hits as (
            select h.key, r.*
            from rows r join homes h on h.postcode = r.postcode
            where r.date > DATE '{since.isoformat()}' and r.date <= DATE '{as_of.isoformat()}'
        ), enough as (
            select key from hits group by key having count(*) >= {int(count)}
        )
        select key as subject_key, 'incidents_at_address' as code, agency_id, record_key,
               holder, holder_id, date,
               category || ' reported at the address on ' || strftime(date, '%-d %B %Y') as what
        from hits join enough using (key)
    """


def repeat_ae(since: datetime.date, as_of: datetime.date, count: int) -> str:
    return _evidence(
        "repeat_ae",
        f"""
        with hits as (
            select * from attendances
            where category ilike '%a&e%'
              and date > DATE '{since.isoformat()}' and date <= DATE '{as_of.isoformat()}'
        ), enough as (
            select agency_id, record_id from hits group by all having count(*) >= {int(count)}
        )
        select agency_id || '/' || record_id as subject_key, agency_id,
               agency_id || '/' || record_id as record_key, extract_id, date,
               category || ' attendance on ' || strftime(date, '%-d %B %Y') as what
        from hits join enough using (agency_id, record_id)
        """,
    )
