"""The records a linkage run reads, in the standard columns (docs/formats/linkage-input.md):
Safehold's own people, and the rows of every current `people` extract, whose blank addresses
are filled from the same agency's current `tenancies` extract (the tenancy of the record's
tenant, the latest starting first).

A record's engine `source` is "safehold" or its agency's id, so its key ("<source>/<record_id>",
the engine's unique_id) stays the same when an agency is renamed: people's decisions are kept
by key and outlive runs."""

from dataclasses import dataclass

import pyarrow as pa
from django.db.models import OuterRef, Subquery

from safehold.cases.models import Case
from safehold.linkage.columns import OPTIONAL_COLUMNS, STANDARD_COLUMNS
from safehold.linkage.models import SAFEHOLD
from safehold.partners import store
from safehold.partners.choices import ExtractKind
from safehold.partners.models import Extract
from safehold.people.models import Person, PersonAlias

COLUMNS = (*STANDARD_COLUMNS, *OPTIONAL_COLUMNS)


@dataclass
class Sources:
    """The records (standard columns), and what each source is: the extracts read (by their
    agency's id) and each Safehold person's owning agency."""

    records: pa.Table
    extracts: dict[str, Extract]  # by agency id (the engine's source)
    person_agency: dict[str, str]  # person id -> owning agency id


def key_of(source: str, record_id: str) -> str:
    return f"{source}/{record_id}"


def gather() -> Sources:
    """Every record a run links. This reads past the people's read gate on purpose: linkage is
    the partnership's processing under its agreements, recorded as one "combined" audit event
    naming the run; what a person then sees of any record goes through that record's gate."""
    people, person_agency = _people()
    tables = [people]
    extracts = {}
    for extract in (
        Extract.objects.filter(kind=ExtractKind.PEOPLE, is_current=True)
        .select_related("owning_agency")
        .order_by("owning_agency__name")
    ):
        extracts[str(extract.owning_agency_id)] = extract
        tables.append(_extract_records(extract))
    return Sources(
        records=pa.concat_tables(tables, promote_options="permissive"),
        extracts=extracts,
        person_agency=person_agency,
    )


def _people() -> tuple[pa.Table, dict[str, str]]:
    latest_case = Case.objects.filter(subject=OuterRef("pk")).order_by(
        "-referral_date", "-created_at"
    )
    rows = list(
        Person.objects.annotate(
            address_1=Subquery(latest_case.values("location__address_line_1")[:1]),
            address_2=Subquery(latest_case.values("location__address_line_2")[:1]),
            town=Subquery(latest_case.values("location__town")[:1]),
            postcode=Subquery(latest_case.values("location__postcode")[:1]),
            uprn=Subquery(latest_case.values("location__uprn")[:1]),
        )
        .order_by("pk")
        .values(
            "pk",
            "owning_agency_id",
            "given_name",
            "family_name",
            "date_of_birth",
            "gender",
            "address_1",
            "address_2",
            "town",
            "postcode",
            "uprn",
        )
    )
    aliases: dict = {}
    for person_id, name in PersonAlias.objects.values_list("person_id", "name").order_by("name"):
        aliases.setdefault(person_id, []).append(name)
    columns = {
        "source": [SAFEHOLD] * len(rows),
        "record_id": [str(r["pk"]) for r in rows],
        "first_name": [r["given_name"] for r in rows],
        "surname": [r["family_name"] for r in rows],
        "other_names": ["; ".join(aliases.get(r["pk"], [])) or None for r in rows],
        "date_of_birth": [r["date_of_birth"] for r in rows],
        "sex": [_sex(r["gender"]) for r in rows],
        "postcode": [r["postcode"] or None for r in rows],
        "address": [
            " ".join(p for p in (r["address_1"], r["address_2"], r["town"]) if p) or None
            for r in rows
        ],
        "uprn": [r["uprn"] or None for r in rows],
        "identifier": [None] * len(rows),
    }
    table = pa.table(
        {
            name: pa.array(values, pa.date32() if name == "date_of_birth" else pa.string())
            for name, values in columns.items()
        }
    )
    return table, {str(r["pk"]): str(r["owning_agency_id"]) for r in rows}


def _sex(gender: str) -> str | None:
    return {"male": "M", "female": "F"}.get(gender)


def _extract_records(extract: Extract) -> pa.Table:
    rows = store.read_rows(
        store.extract_path(
            agency_id=extract.owning_agency_id, kind=extract.kind, extract_id=extract.pk
        )
    )
    rows = _with_tenancy_addresses(rows, extract)
    columns = {
        "source": pa.array([str(extract.owning_agency_id)] * rows.num_rows, pa.string()),
        **{name: rows.column(name) for name in COLUMNS[1:] if name in rows.column_names},
    }
    for name in COLUMNS:
        if name not in columns:
            columns[name] = pa.nulls(rows.num_rows, pa.string())
    return pa.table({name: _cast(columns[name], name) for name in COLUMNS})


def _cast(column, name: str):
    return column.cast(pa.date32() if name == "date_of_birth" else pa.string())


def _with_tenancy_addresses(rows: pa.Table, extract: Extract) -> pa.Table:
    """The people rows with a blank address, postcode and UPRN filled from the agency's current
    tenancies extract: each record's tenancy that started last."""
    tenancies = Extract.objects.filter(
        owning_agency=extract.owning_agency_id, kind=ExtractKind.TENANCIES, is_current=True
    ).first()
    if tenancies is None:
        return rows
    con = store.connect()
    try:
        con.register("people", rows)
        path = store.extract_path(
            agency_id=tenancies.owning_agency_id, kind=tenancies.kind, extract_id=tenancies.pk
        )
        describe = f"describe select * from read_parquet({store.sql_string(path)})"  # noqa: S608
        present = set(con.sql(describe).fetchnumpy()["column_name"])
        fill = [
            c for c in ("address", "postcode", "uprn") if c in present and c in rows.column_names
        ]
        if not fill:
            return rows
        return con.sql(
            f"""
            with homes as (
                select tenant as record_id, {", ".join(fill)}
                from (
                    select unnest(record_ids) as tenant, {", ".join(fill)}, start_date
                    from read_parquet({store.sql_string(path)})
                )
                qualify row_number() over (
                    partition by tenant order by start_date desc nulls last
                ) = 1
            )
            select people.* replace (
                {", ".join(f"coalesce(nullif(people.{c}, ''), homes.{c}) as {c}" for c in fill)}
            )
            from people left join homes using (record_id)
            order by people.record_id
            """  # noqa: S608 -- our own names and path
        ).to_arrow_table()
    finally:
        con.close()
