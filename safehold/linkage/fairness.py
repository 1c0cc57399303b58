"""The fairness of matching (issue 17, item 6): match rates and review outcomes by ethnic group,
where the partners' people extracts carry one, and by how common the surname is, always (false
matches fall unevenly on common surnames: two strangers called Khan or Smith agree on a name
that tells little). The report says in words where a group differs from the whole.

Counts only; a group of fewer than MIN_GROUP records is shown as "fewer than 10", never as a
rate (a rate over a handful of people says nothing and could point at someone)."""

from collections import Counter
from dataclasses import dataclass, field

import pyarrow.parquet as pq

from safehold.linkage.choices import Decision, Outcome
from safehold.linkage.models import PairDecision, Record, Run
from safehold.linkage.services import raw_records_path
from safehold.partners import store

MIN_GROUP = 10
# A group whose rate differs from everyone's by this many percentage points is named in words.
NOTABLE_POINTS = 5.0
COMMON_SURNAMES = 20  # the most common surnames of the run: "among the 20 most common"
USUAL_SURNAMES = 200
NOT_RECORDED = "Not recorded"


@dataclass
class Row:
    group: str
    records: int = 0
    linked: int = 0  # records in a cluster with another record
    offered: int = 0  # pairs for review (or kept apart) with a record of the group
    same: int = 0  # reviewers' decisions in force on pairs with a record of the group
    different: int = 0
    unsure: int = 0

    @property
    def shown(self) -> bool:
        return self.records >= MIN_GROUP

    @property
    def linked_rate(self) -> float | None:
        return 100 * self.linked / self.records if self.records else None

    @property
    def decided(self) -> int:
        return self.same + self.different

    @property
    def rejected_rate(self) -> float | None:
        """Of the pairs reviewers decided, the share they found were two people: the model's
        false matches among those it was unsure of."""
        return 100 * self.different / self.decided if self.decided else None


@dataclass
class Table:
    title: str
    rows: list[Row]
    everyone: Row
    findings: list[str] = field(default_factory=list)


@dataclass
class FairnessReport:
    run: Run
    by_surname: Table
    by_ethnicity: Table | None  # None: no extract carries an ethnic group
    extracts_with_ethnicity: list[str]


def fairness_report(run: Run) -> FairnessReport:
    records = list(Record.objects.filter(run=run).values_list("key", "cluster_id", "extract_id"))
    sizes = Counter(cluster for _, cluster, _ in records)
    linked = {key for key, cluster, _ in records if sizes[cluster] > 1}
    offered = list(run.pairs.exclude(outcome=Outcome.LINKED).values_list("left__key", "right__key"))
    decisions = list(
        PairDecision.objects.filter(reversed_at__isnull=True).values_list(
            "left_key", "right_key", "decision"
        )
    )
    keys = [key for key, _, _ in records]
    bands = _surname_bands(run, keys)
    by_surname = _table(
        "By how common the surname is", keys, bands, linked, offered, decisions,
        order=[f"Among the {COMMON_SURNAMES} most common", f"The next {USUAL_SURNAMES - COMMON_SURNAMES}", "Rarer", NOT_RECORDED],
    )  # fmt: skip
    groups, named = _ethnic_groups(run)
    by_ethnicity = None
    if groups:
        by_ethnicity = _table(
            "By ethnic group (as the partners record it)",
            [k for k in keys if k in groups],
            groups,
            linked,
            offered,
            decisions,
            order=[*sorted(set(groups.values()) - {NOT_RECORDED}), NOT_RECORDED],
        )
    return FairnessReport(run, by_surname, by_ethnicity, named)


def _table(title, keys, group_of, linked, offered, decisions, *, order) -> Table:
    rows = {name: Row(name) for name in order}
    everyone = Row("Everyone")
    for key in keys:
        for row in (rows[group_of.get(key, NOT_RECORDED)], everyone):
            row.records += 1
            row.linked += key in linked
    wanted = set(keys)
    for left, right in offered:
        for row in _rows_of(left, right, group_of, rows, wanted):
            row.offered += 1
        if left in wanted or right in wanted:
            everyone.offered += 1
    for left, right, decision in decisions:
        touched = list(_rows_of(left, right, group_of, rows, wanted))
        if left in wanted or right in wanted:
            touched.append(everyone)
        for row in touched:
            if decision == Decision.SAME:
                row.same += 1
            elif decision == Decision.DIFFERENT:
                row.different += 1
            else:
                row.unsure += 1
    table = Table(title, [r for r in rows.values() if r.records], everyone)
    table.findings = _findings(table)
    return table


def _rows_of(left, right, group_of, rows, wanted):
    """The groups a pair touches (once each, when both records are of one group)."""
    groups = {group_of.get(k, NOT_RECORDED) for k in (left, right) if k in wanted}
    return [rows[g] for g in groups]


def _findings(table: Table) -> list[str]:
    """Sentences naming the groups whose rates differ from everyone's by NOTABLE_POINTS or more."""
    said = []
    overall = table.everyone
    for row in table.rows:
        if not row.shown or row.group == NOT_RECORDED:
            continue
        if row.linked_rate is not None and overall.linked_rate is not None:
            gap = row.linked_rate - overall.linked_rate
            if abs(gap) >= NOTABLE_POINTS:
                said.append(
                    f"{row.group}: {row.linked_rate:.0f}% of records were linked to another, "
                    f"against {overall.linked_rate:.0f}% of all records "
                    f"({'more' if gap > 0 else 'fewer'} links: "
                    f"{'check these for false matches' if gap > 0 else 'check these for missed matches'})."
                )
        if (
            row.rejected_rate is not None
            and overall.rejected_rate is not None
            and row.decided >= MIN_GROUP
        ):
            gap = row.rejected_rate - overall.rejected_rate
            if abs(gap) >= NOTABLE_POINTS:
                said.append(
                    f"{row.group}: reviewers found {row.rejected_rate:.0f}% of the pairs they "
                    f"decided were two people, against {overall.rejected_rate:.0f}% overall: the "
                    f"model offers {'more' if gap > 0 else 'fewer'} false matches here."
                )
    if not said:
        said.append(
            "No group's share of linked records or of pairs rejected by reviewers differs from "
            f"everyone's by {NOTABLE_POINTS:.0f} percentage points or more (groups of fewer than "
            f"{MIN_GROUP} records are not compared)."
        )
    return said


def _surname_bands(run: Run, keys: list[str]) -> dict[str, str]:
    path = raw_records_path(run)
    if not path.exists():
        return {}
    table = pq.read_table(path, columns=["key", "surname"]).to_pylist()
    surname = {row["key"]: (row["surname"] or "").strip().lower() or None for row in table}
    ranks = {
        name: rank
        for rank, (name, _) in enumerate(Counter(s for s in surname.values() if s).most_common())
    }
    bands = {}
    for key in keys:
        name = surname.get(key)
        if name is None:
            bands[key] = NOT_RECORDED
        elif ranks[name] < COMMON_SURNAMES:
            bands[key] = f"Among the {COMMON_SURNAMES} most common"
        elif ranks[name] < USUAL_SURNAMES:
            bands[key] = f"The next {USUAL_SURNAMES - COMMON_SURNAMES}"
        else:
            bands[key] = "Rarer"
    return bands


def _ethnic_groups(run: Run) -> tuple[dict[str, str], list[str]]:
    """Record key -> ethnic group, for the rows of the run's extracts that have the column; and
    the names of the agencies whose extracts have it."""
    groups: dict[str, str] = {}
    named = []
    for source in sorted(run.sources, key=lambda source: source["agency_name"]):
        path = store.extract_path(
            agency_id=source["agency"], kind=source["kind"], extract_id=source["extract"]
        )
        if not path.exists() or "ethnicity" not in pq.read_schema(path).names:
            continue
        rows = pq.read_table(path, columns=["record_id", "ethnicity"]).to_pylist()
        if not any(r["ethnicity"] for r in rows):
            continue
        named.append(source["agency_name"])
        for row in rows:
            groups[f"{source['agency']}/{row['record_id']}"] = (
                row["ethnicity"] or ""
            ).strip() or NOT_RECORDED
    return groups, named


def group_totals(table: Table) -> dict:  # for the CSV and tests
    return {row.group: row for row in table.rows}
