"""Repeat referrals and re-referrals after a closure, for the evaluation report: one query for
the cases of people referred more than once, the rest worked out in Python."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Func, IntegerField, Q, QuerySet

from safehold.cases.models import Case
from safehold.core.registry import joined_people

# Re-referral windows, in months, and how many days each means (a fixed number of days, so the
# rule is the same in every database and in every month: 3 months = 91 days, 6 = 182, 12 = 365).
RE_REFERRAL_DAYS = {3: 91, 6: 182, 12: 365}


class DaysBetween(Func):
    """Whole days from one date column to another, in SQLite and PostgreSQL alike."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        (start, p1), (end, p2) = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", [*p1, *p2]

    def as_postgresql(self, compiler, connection, **extra_context):
        (start, p1), (end, p2) = (compiler.compile(e) for e in self.source_expressions)
        return f"({end} - {start})", [*p1, *p2]


@dataclass(frozen=True)
class Repeats:
    """People referred more than once in the period, and re-referrals after a closure."""

    people: int
    cases: int
    re_referrals: dict[int, int]


def _cases_of_repeat_people(cases: QuerySet[Case], fields: tuple) -> tuple[dict, list]:
    """The cases (as `fields`, the subject second) of the people who may have more than one:
    subjects of two or more, and the Safehold people linkage holds to be one person with
    another (core's identity resolver: two records of one person are one person's repeat). And
    that map of subject to identity."""
    identity = joined_people()
    repeat_subjects = (
        cases.values("subject").annotate(n=Count("pk")).filter(n__gt=1).values("subject")
    )
    chosen = Q(subject__in=repeat_subjects)
    if identity:
        chosen |= Q(subject__in=list(identity))
    return identity, list(cases.filter(chosen).values_list(*fields))


def repeat_referral_counts(period: QuerySet[Case]) -> dict:
    """People (resolved identities) who are the subject of two or more of `period`'s cases, and
    those cases."""
    identity, rows = _cases_of_repeat_people(period, ("pk", "subject_id"))
    cases: dict = {}
    for pk, subject in rows:
        cases.setdefault(identity.get(subject, subject), []).append(pk)
    repeated = [c for c in cases.values() if len(c) > 1]
    return {"people": len(repeated), "cases": sum(len(c) for c in repeated)}


def repeats(
    everything: QuerySet[Case], *, date_from: datetime.date, date_to: datetime.date
) -> Repeats:
    """Repeat referrals and re-referrals, from one query: every (visible) case of the people
    who have more than one, whatever its date (a person being a resolved identity: two
    Safehold records linkage holds to be one person count as one).

    Only the cases of repeat subjects come back (a small set), and both figures are worked
    out over them in Python: a correlated subquery per case was far slower.
    """
    identity, rows = _cases_of_repeat_people(
        everything, ("pk", "subject_id", "referral_date", "closed_on")
    )
    in_period: dict = {}  # person -> their cases referred in the period
    closures: dict = {}  # person -> (case, closed on) for every closed case
    for pk, subject, referred, closed in rows:
        subject = identity.get(subject, subject)
        if date_from <= referred <= date_to:
            in_period.setdefault(subject, []).append((pk, referred))
        if closed is not None:
            closures.setdefault(subject, []).append((pk, closed))
    repeated = [cases for cases in in_period.values() if len(cases) > 1]
    counts = dict.fromkeys(RE_REFERRAL_DAYS, 0)
    for subject, cases in in_period.items():
        for pk, referred in cases:
            for months, days in RE_REFERRAL_DAYS.items():
                earliest = referred - datetime.timedelta(days=days)
                if any(
                    other != pk and earliest <= closed <= referred
                    for other, closed in closures.get(subject, ())
                ):
                    counts[months] += 1
    return Repeats(
        people=len(repeated), cases=sum(len(cases) for cases in repeated), re_referrals=counts
    )
