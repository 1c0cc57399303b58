"""The engine of the top indicators list: `score(as_of, area, version)` gives every subject who
meets at least one indicator, with a score (the sum of the weights of the indicators met) and
each reason's evidence (which agency's data, which record, which date, what).

A subject is a person as the current linkage run resolves them: the records of one cluster
(a tenant in a landlord's extract, the same person in Safehold with their vulnerabilities, and
in other agencies' extracts) are one subject, named by the smallest record key of its cluster
(`<agency id>/<record id>` or `safehold/<person id>`); without a run each record stands alone.

Only data dated on or before `as_of` is read, so a backtest can replay history. The extracts
are read with DuckDB over their Parquet files, Safehold's records with one query per indicator
(safehold.risk.engine.casework); the evidence of all of them is joined, clustered and summed in
DuckDB. The engine reads past the read gates (the partnership's processing, like a linkage
run): what a person is shown goes through `safehold.risk.selectors.list_for`."""

import datetime

import numpy as np
import pyarrow as pa
from django.db.models import Q

from safehold.accounts.models import Agency
from safehold.analytics.store import connect
from safehold.core.errors import ServiceError
from safehold.geography.models import Lsoa, Ward
from safehold.geography.postcodes import find, lsoa_codes_at
from safehold.linkage.models import Record, Run
from safehold.risk.engine import casework, extracts
from safehold.risk.engine.evidence import (
    Entry,
    Evidence,
    EvidenceStore,
    Reason,
    RiskList,
    evidence_table,
)
from safehold.risk.indicators import BY_CODE, VULNERABILITY_FLAGS
from safehold.risk.models import IndicatorVersion
from safehold.sharing.middleware import unrestricted

__all__ = ["Entry", "Evidence", "Reason", "RiskList", "UnknownArea", "score"]


class UnknownArea(ServiceError):
    """The area named is not a ward Safehold knows."""


def ward_of(area: str) -> Ward:
    """The ward by its ONS code or name, or the only ward whose name holds the words given
    ("Brinnington" for "Brinnington and Central")."""
    area = area.strip()
    ward = Ward.objects.filter(Q(code=area) | Q(name__iexact=area)).first()
    if ward is None and area:
        named = list(Ward.objects.filter(name__icontains=area).order_by("name")[:2])
        if len(named) == 1:
            ward = named[0]
        elif named:
            raise UnknownArea(f"“{area}” is part of the name of several wards: give its full name")
    if ward is None:
        raise UnknownArea(f"“{area}” is not a ward: give its name or its ONS code")
    return ward


def score(
    as_of: datetime.date, area: str | None = None, version: IndicatorVersion | None = None
) -> RiskList:
    """The list for `as_of` (data dated on or before it) and a ward (its name or ONS code, or
    every area), with the catalogue `version` (the current one by default)."""
    from safehold.risk.services import current_version

    version = version or current_version()
    ward = ward_of(area) if area else None
    enabled = version.enabled()
    with unrestricted():
        con = connect()
        try:
            entries = _score(con, as_of, enabled, ward)
        finally:
            con.close()
    return RiskList(
        as_of=as_of, area=ward.code if ward else None, version=version.number, entries=entries
    )


def _param(enabled: dict, code: str, name: str) -> int:
    return int(enabled[code].get("params", {}).get(name, BY_CODE[code].params[name]))


def _score(con, as_of: datetime.date, enabled: dict, ward: Ward | None) -> list[Entry]:
    series = _param(enabled, "arrears_rising", "extracts") + 1 if "arrears_rising" in enabled else 1
    extracts.load_all(con, as_of, series)
    if "incidents_at_address" in enabled:
        extracts.load_logs(
            con, {str(pk): name for pk, name in Agency.objects.values_list("pk", "name")}
        )
    con.register("safehold_homes", casework.safehold_homes(as_of))
    con.execute(
        f"create table homes as {extracts.HOMES_SQL} union all select * from safehold_homes"
    )
    parts = _extract_indicators(as_of, enabled)
    tables = _casework_indicators(as_of, enabled)
    for i, table in enumerate(tables):
        con.register(f"casework_{i}", table)
        parts.append(f"select * from casework_{i}")
    if "new_associates" in enabled:
        days = _param(enabled, "new_associates", "days")
        con.register("casework_links", casework.new_associates(as_of, days))
        parts.append("select * from casework_links")
        # A link to a home counts for whoever lives there.
        parts.append(
            "select h.key as subject_key, e.* exclude (subject_key) from casework_links e "
            "join homes h on e.subject_key = 'location/' || h.location_id"
        )
    if "ocg_or_cuckooing_link" in enabled:
        con.register("premises", casework.cuckooing_premises(as_of))
        parts.append(
            """
            select distinct h.key as subject_key, 'ocg_or_cuckooing_link' as code, p.agency_id,
                   p.record_key, 'case' as holder, p.holder_id, p.date,
                   'A cuckooing case at the same premises' as what
            from premises p join homes h
              on h.location_id = p.location_id or (p.uprn is not null and h.uprn = p.uprn)
            """
        )
    con.register("no_evidence", evidence_table([]))
    parts.append("select * from no_evidence")
    con.execute(
        "create view evidence as select * from ("
        + " union all by name ".join(f"({p})" for p in parts)
        + ") where subject_key not like 'location/%'"
    )
    con.register("clusters", _clusters())
    con.register(
        "weights",
        pa.table(
            {
                "code": pa.array(list(enabled), pa.string()),
                "weight": pa.array([int(s["weight"]) for s in enabled.values()], pa.int64()),
            }
        ),
    )
    con.execute(
        """
        create table subjected as
        select coalesce(c.cluster_id, e.subject_key) as subject, e.*, w.weight
        from evidence e join weights w using (code) left join clusters c on c.key = e.subject_key
        """
    )
    # The scores and indicators, vectorised, in the list's order; the evidence
    # stays in one Arrow table in the same order, read by each entry when asked.
    con.execute(
        """
        create table ranked as
        with reasons as (
            select subject, code, any_value(weight) as weight, count(*) as n
            from subjected group by all
        ), totals as (
            select subject, sum(weight)::bigint as score, sum(n)::bigint as n,
                   string_agg(code || ':' || weight, ';' order by weight desc, code) as indicators
            from reasons group by subject
        )
        select subject, score, n, indicators,
               row_number() over (order by score desc, subject) as rank
        from totals
        """
    )
    where = ""
    if ward is not None:
        con.register("in_ward", _in_ward(con, ward))
        where = "where subject in (select subject from in_ward)"
    ranked = con.sql(
        f"select subject, score, n, indicators from ranked {where} order by rank"
    ).fetchnumpy()
    evidence = con.sql(
        f"""
        select e.subject_key, e.code, e.agency_id, e.record_key, e.holder, e.holder_id, e.date,
               e.what
        from subjected e join ranked r using (subject) {where}
        order by r.rank, e.weight desc, e.code, e.date, e.record_key, e.what
        """
    ).to_arrow_table()
    store = EvidenceStore(
        evidence,
        names={code: BY_CODE[code].name for code in enabled},
        weights={code: int(s["weight"]) for code, s in enabled.items()},
    )
    members = _members(con)
    stops = np.cumsum(ranked["n"]).tolist()
    starts = [0, *stops[:-1]] if stops else []
    code = ward.code if ward is not None else None
    return [
        Entry(
            subject_ref=subject,
            score=total,
            indicators_cell=indicators,
            store=store,
            start=start,
            stop=stop,
            cluster=tuple(members.get(subject, ())),
            ward=code,
        )
        for subject, total, indicators, start, stop in zip(
            ranked["subject"].tolist(),
            ranked["score"].tolist(),
            ranked["indicators"].tolist(),
            starts,
            stops,
            strict=True,
        )
    ]


def _extract_indicators(as_of: datetime.date, enabled: dict) -> list[str]:
    parts = []
    if "arrears_rising" in enabled:
        parts.append(extracts.arrears_rising(_param(enabled, "arrears_rising", "extracts")))
    if "arrears_weeks" in enabled:
        parts.append(extracts.arrears_weeks(_param(enabled, "arrears_weeks", "weeks")))
    if "new_tenancy" in enabled:
        since = extracts.months_before(as_of, _param(enabled, "new_tenancy", "months"))
        parts.append(extracts.new_tenancy(since, as_of))
    if "incidents_at_address" in enabled:
        days = _param(enabled, "incidents_at_address", "days")
        count = _param(enabled, "incidents_at_address", "count")
        since = as_of - datetime.timedelta(days=days)
        parts.append(extracts.incidents_at_address(since, as_of, count))
    if "repeat_ae" in enabled:
        days, count = _param(enabled, "repeat_ae", "days"), _param(enabled, "repeat_ae", "count")
        parts.append(extracts.repeat_ae(as_of - datetime.timedelta(days=days), as_of, count))
    return parts


def _casework_indicators(as_of: datetime.date, enabled: dict) -> list[pa.Table]:
    tables = []
    flags = [i.code for i in VULNERABILITY_FLAGS if i.code in enabled]
    if flags:
        tables.append(casework.vulnerability_evidence(as_of, flags))
    if "closed_without_engagement" in enabled:
        days = _param(enabled, "closed_without_engagement", "days")
        tables.append(casework.closed_without_engagement(as_of, days))
    if "ocg_or_cuckooing_link" in enabled:
        tables.append(casework.ocg_links(as_of))
    return tables


def _clusters() -> pa.Table:
    """The current linkage run's record keys and their clusters (empty without a run)."""
    run = Run.objects.filter(is_current=True).first()
    pairs = list(Record.objects.filter(run=run).values_list("key", "cluster_id")) if run else []
    return pa.table(
        {
            "key": pa.array([p[0] for p in pairs], pa.string()),
            "cluster_id": pa.array([p[1] for p in pairs], pa.string()),
        }
    )


def _members(con) -> dict[str, list[str]]:
    """The record keys of each clustered subject on the list (every record of the cluster)."""
    table = con.sql(
        """
        select cluster_id, list(key order by key) as keys from clusters
        where cluster_id in (select subject from subjected) group by cluster_id
        """
    ).to_arrow_table()
    return dict(
        zip(table.column("cluster_id").to_pylist(), table.column("keys").to_pylist(), strict=True)
    )


def postcode_wards(postcodes: set[str]) -> dict[str, str | None]:
    """The ward (ONS code) each postcode lies in, through the geography app (its point, its
    2021 LSOA, the LSOA's best-fit ward); None for a postcode or point Safehold does not know."""
    places = find(postcodes) if postcodes else {}
    names = sorted(places)
    codes = (
        lsoa_codes_at([places[p].longitude for p in names], [places[p].latitude for p in names])
        if names
        else []
    )
    lsoa_ward = dict(Lsoa.objects.filter(code__in=set(codes) - {None}).values_list("code", "ward"))
    return {p: lsoa_ward.get(c) for p, c in zip(names, codes, strict=True)}


def _in_ward(con, ward: Ward) -> pa.Table:
    """The subjects living in the ward: of their records' homes, a Safehold place's ward, else
    the ward its postcode lies in (found through the geography app), the smallest key first."""
    homes = con.sql(
        """
        with member as (
            select distinct subject, subject_key as key from subjected
            union select cluster_id, key from clusters
            where cluster_id in (select subject from subjected)
        )
        select m.subject, h.key, h.postcode, h.ward from member m join homes h using (key)
        where h.postcode is not null or h.ward is not null
        order by m.subject, h.ward is null, h.key
        """
    ).fetchall()
    postcode_ward = postcode_wards({p for _, _, p, w in homes if w is None and p})
    found: dict[str, str] = {}
    for subject, _key, postcode, known in homes:
        if subject not in found:
            value = known or postcode_ward.get(postcode)
            if value:
                found[subject] = value
    inside = [subject for subject, code in found.items() if code == ward.code]
    return pa.table({"subject": pa.array(inside, pa.string())})
