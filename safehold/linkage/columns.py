"""The standard input columns of record linkage (docs/formats/linkage-input.md) and their
standardisation in DuckDB, the one place a value is cleaned before it is compared."""

import duckdb
import pyarrow as pa

# Every input has these columns, in any order; a blank is a missing value. `source` and
# `record_id` together name a record (`source` is "safehold" or the agency of an extract).
STANDARD_COLUMNS = (
    "source",
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
REQUIRED_COLUMNS = ("source", "record_id")
# Optional: a national identifier both sides use for the person (an NHS number, a National
# Insurance number, a PNC id), when the extracts carry one. Absent means blank.
OPTIONAL_COLUMNS = ("identifier",)

# A UK postcode without its space: the outward code (area and district), then the inward
# code (sector digit and unit letters). District and sector levels apply only to these.
UK_POSTCODE = "^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$"


class InvalidRecords(ValueError):
    """The records cannot be linked as given (a missing column, a blank or repeated id)."""


def _name(expression: str) -> str:
    """A name for comparing: lower case, letters only (hyphens and apostrophes dropped: O'Neil
    and ONEIL are one name; a hyphen joins), blank as missing."""
    return (
        f"nullif(regexp_replace(lower(trim(cast({expression} as varchar))), '[^a-z]', '', 'g'), '')"
    )


def _date(expression: str) -> str:
    """A date of birth as a DATE whatever it came as: a date, ISO text (2001-02-03),
    compact text (20010203) or UK text (03/02/2001); anything else is missing."""
    text = f"trim(cast({expression} as varchar))"
    return (
        f"coalesce(try_strptime({text}, '%Y-%m-%d'), try_strptime({text}, '%Y%m%d'),"
        f" try_strptime({text}, '%d/%m/%Y'))::date"
    )


def standardise_sql(table: str) -> str:
    """SELECT over `table` (the standard columns) giving the columns the model compares."""
    postcode = "nullif(regexp_replace(upper(cast(postcode as varchar)), '[^A-Z0-9]', '', 'g'), '')"
    address = (
        "nullif(trim(regexp_replace(lower(cast(address as varchar)), '[^a-z0-9]+', ' ', 'g')), '')"
    )
    return f"""
    with cleaned as (
        select
            cast(source as varchar) || '/' || cast(record_id as varchar) as unique_id,
            cast(source as varchar) as source,
            cast(record_id as varchar) as record_id,
            {_name("first_name")} as first_name,
            {_name("surname")} as surname,
            case when other_names is not null then list_filter(
                list_transform(
                    string_split_regex(cast(other_names as varchar), '[;,/|]| +'),
                    lambda n: nullif(regexp_replace(lower(n), '[^a-z]', '', 'g'), '')
                ),
                lambda n: n is not null
            ) end as other_names,
            {_date("date_of_birth")} as date_of_birth,
            case upper(left(trim(cast(sex as varchar)), 1))
                when 'M' then 'm' when 'F' then 'f' end as sex,
            {postcode} as postcode,
            {address} as address,
            nullif(regexp_replace(cast(uprn as varchar), '[^0-9]', '', 'g'), '') as uprn,
            nullif(regexp_replace(upper(cast(identifier as varchar)), '[^A-Z0-9]', '', 'g'), '')
                as identifier
        from {table}
    )
    select
        * replace (if(len(other_names) = 0, null, other_names) as other_names),
        if(regexp_matches(postcode, '{UK_POSTCODE}'), left(postcode, length(postcode) - 3), null)
            as postcode_district,
        if(regexp_matches(postcode, '{UK_POSTCODE}'), left(postcode, length(postcode) - 2), null)
            as postcode_sector,
        strftime(date_of_birth, '%Y%m%d') as dob_text,
        year(date_of_birth) as birth_year
    from cleaned
    """


def standardise(con: duckdb.DuckDBPyConnection, records: pa.Table, *, name: str) -> None:
    """Check `records` and make the table `name` of standardised records in `con`."""
    missing = [c for c in STANDARD_COLUMNS if c not in records.column_names]
    if missing:
        raise InvalidRecords(f"The records have no column {', '.join(missing)}")
    for column in OPTIONAL_COLUMNS:
        if column not in records.column_names:
            records = records.append_column(column, pa.nulls(records.num_rows, pa.string()))
    con.register(f"{name}_input", records.select([*STANDARD_COLUMNS, *OPTIONAL_COLUMNS]))
    for column in REQUIRED_COLUMNS:
        (blanks,) = con.sql(
            f"select count(*) from {name}_input where nullif(trim(cast({column} as varchar)), '') is null"
        ).fetchall()[0]
        if blanks:
            raise InvalidRecords(f"{blanks} records have no {column}")
    con.sql(f"create or replace table {name} as {standardise_sql(f'{name}_input')}")
    (repeated,) = con.sql(
        f"select count(*) from (select unique_id from {name} group by 1 having count(*) > 1)"
    ).fetchall()[0]
    if repeated:
        raise InvalidRecords(f"{repeated} record ids appear more than once in one source")
    con.unregister(f"{name}_input")
