"""At the front door (issue 17, item 4): "possible matches across the partnership" for a referral
in triage and on a person's page, each with its probability and the comparisons that counted.

What the user sees of a matched record follows the sharing rules (ADR 0055):
- in full (name, date of birth, a link) when the record is theirs to see: a Safehold person
  through the people gate, a row of their own agency's extract;
- otherwise its name and agency only, when the record's agency and the user's are parties to a
  live agreement (for an extract, the agreement it was shared under), with a way to ask for it;
- otherwise nothing: not even that there is a match.

A referral (or a person added since the run) is scored against the current run's records with
the run's own model; a person the run holds is read from the run's clusters and pairs."""

import datetime
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.urls import reverse

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases.selectors import cases_visible_to
from safehold.linkage import incoming, selectors
from safehold.linkage.model import TrainedModel
from safehold.linkage.models import SAFEHOLD, Pair, Record, Run
from safehold.linkage.rules import can_see_matches
from safehold.linkage.services import Explainer, raw_records_path, records_path
from safehold.people.selectors import people_visible_to
from safehold.sharing.selectors import live_agreements_of
from safehold.sharing.services import record_access_granted

NEW = "incoming"  # the engine's source of a record scored at the front door
SHOWN = 10  # at most this many matches on a page


@dataclass
class Match:
    agency: str
    kind: str  # "Safehold record" or "people extract"
    probability: float
    reasons: list[str]
    full: bool
    name: str = ""
    date_of_birth: datetime.date | None = None
    href: str = ""
    request_href: str = ""
    same_person: bool = False  # at or above the run's threshold
    record: Record | None = field(default=None, repr=False)


def matches_for_referral(user, referral) -> list[Match]:
    if not can_see_matches(user) or not (
        referral.subject_given_name or referral.subject_family_name
    ):
        return []
    row = {
        "source": NEW,
        "record_id": str(referral.pk),
        "first_name": referral.subject_given_name,
        "surname": referral.subject_family_name,
        "other_names": None,
        "date_of_birth": referral.subject_date_of_birth,
        "sex": None,
        "postcode": referral.postcode or None,
        "address": " ".join(
            p for p in (referral.address_line_1, referral.address_line_2, referral.town) if p
        )
        or None,
        "uprn": None,
    }
    return _scored(user, row, exclude=set(), subject=referral)


def matches_for_person(user, person) -> list[Match]:
    if not can_see_matches(user):
        return []
    run = selectors.current_run()
    if run is None:
        return []
    own = Record.objects.filter(run=run, person=person).first()
    if own is None:  # added since the run: scored as a referral is
        row = {
            "source": NEW,
            "record_id": str(person.pk),
            "first_name": person.given_name,
            "surname": person.family_name,
            "other_names": None,
            "date_of_birth": person.date_of_birth,
            "sex": None,
            "postcode": None,
            "address": None,
            "uprn": None,
        }
        return _scored(user, row, exclude={f"{SAFEHOLD}/{person.pk}"}, subject=person)
    pairs = Pair.objects.filter(run=run, left=own) | Pair.objects.filter(run=run, right=own)
    best: dict[int, tuple[float, list]] = {}
    for pair in pairs:
        other = pair.right_id if pair.left_id == own.pk else pair.left_id
        best[other] = (pair.match_probability, pair.explanation)
    members = Record.objects.filter(run=run, cluster_id=own.cluster_id).exclude(pk=own.pk)
    for member in members:
        if member.pk not in best:
            best[member.pk] = (member.match_probability or run.threshold, [])
    records = Record.objects.filter(pk__in=best).select_related("agency")
    cluster = own.cluster_id
    found = [(r, best[r.pk][0], best[r.pk][1], r.cluster_id == cluster) for r in records]
    return _shown(user, run, found, subject=person)


def _scored(user, row: dict, *, exclude: set[str], subject) -> list[Match]:
    run = selectors.current_run()
    if run is None or not records_path(run).exists():
        return []
    model = TrainedModel.from_json(run.model)
    columns = {
        name: pa.array([value], pa.date32() if name == "date_of_birth" else pa.string())
        for name, value in row.items()
    }
    pairs = incoming.score_new(
        pa.table(columns), existing=records_path(run), model=model, floor=run.review_floor
    )
    if not pairs.num_rows:
        return []
    explain = Explainer(model)
    scored = {}
    for found in pairs.to_pylist():
        key = (
            found["unique_id_l"]
            if found["unique_id_r"].startswith(f"{NEW}/")
            else found["unique_id_r"]
        )
        if key not in exclude:
            scored[key] = (found["match_probability"], explain(found))
    records = {
        r.key: r for r in Record.objects.filter(run=run, key__in=scored).select_related("agency")
    }
    # A record matched at or above the threshold is that person: so is the rest of its cluster.
    sure = {records[k].cluster_id: scored[k][0] for k in records if scored[k][0] >= run.threshold}
    if sure:
        for member in Record.objects.filter(run=run, cluster_id__in=sure).select_related("agency"):
            if member.key not in records and member.key not in exclude:
                records[member.key] = member
                scored[member.key] = (sure[member.cluster_id], [])
    found = [
        (r, scored[key][0], scored[key][1], scored[key][0] >= run.threshold)
        for key, r in records.items()
    ]
    return _shown(user, run, found, subject=subject)


def _shown(user, run: Run, found: list, *, subject) -> list[Match]:
    """The matches as the user may see them (see the module's rules), strongest first."""
    found.sort(key=lambda f: (-f[1], f[0].key))
    person_ids = [r.person_id for r, *_ in found if r.person_id]
    visible = set(people_visible_to(user).filter(pk__in=person_ids).values_list("pk", flat=True))
    agreements = agreements_of(user)
    names = _names(run, [r.key for r, *_ in found])
    granted = record_access_granted(
        agency_id=user.agency_id, record_keys=[r.key for r, *_ in found if r.extract_id]
    )
    matches = []
    for record, probability, explanation, same in found:
        full = may_see_in_full(user, record, visible_people=visible, granted=granted)
        if not (full or may_see_name(user, record, agreements=agreements)):
            continue
        name, born = names.get(record.key, ("", None))
        matches.append(
            Match(
                agency=record.agency.name,
                kind="Safehold record" if record.person_id else f"{record.extract_kind} extract",
                probability=probability,
                reasons=_reasons(explanation),
                full=full,
                name=name,
                date_of_birth=born if full else None,
                href=reverse("people:detail", args=[record.person_id])
                if full and record.person_id
                else "",
                request_href="" if full else reverse("linkage:request-access", args=[record.pk]),
                same_person=same,
                record=record,
            )
        )
        if len(matches) == SHOWN:
            break
    if matches:
        audit.record(
            action=Action.CONSULT,
            actor=user,
            targets=[m.record for m in matches],
            subjects=[m.record.person_id for m in matches if m.record.person_id and m.full],
            purpose=f"possible matches across the partnership for {subject._meta.verbose_name}",
        )
    return matches


def may_see_in_full(user, record: Record, *, visible_people: set, granted: set) -> bool:
    """A Safehold person through the people gate; an extract's row by its own agency, or by an
    agency whose access request for it was approved."""
    if record.person_id:
        return record.person_id in visible_people
    return record.agency_id == user.agency_id or record.key in granted


@dataclass(frozen=True)
class Agreements:
    """The live agreements the user's agency is party to (ids), and the agencies party to one
    of them with it: read once for a page, whatever the number of matches."""

    ids: frozenset
    partners: frozenset


def agreements_of(user) -> Agreements:
    live = list(live_agreements_of(user.agency_id).prefetch_related("parties"))
    return Agreements(
        ids=frozenset(a.pk for a in live),
        partners=frozenset(p.pk for a in live for p in a.parties.all()),
    )


def may_see_name(user, record: Record, *, agreements: Agreements) -> bool:
    """The name and agency of a record the user may not see in full: an extract's row when the
    user's agency is party to the live agreement it was shared under; a Safehold person when
    the two agencies have a live agreement."""
    if record.extract_id:
        return record.agreement_id in agreements.ids
    return record.agency_id in agreements.partners


def record_name(run: Run, record: Record) -> str:
    return _names(run, [record.key]).get(record.key, ("", None))[0]


def _names(run: Run, keys: list[str]) -> dict[str, tuple[str, datetime.date | None]]:
    """The name and date of birth each record has, as the run read it."""
    path = raw_records_path(run)
    if not keys or not path.exists():
        return {}
    table = pq.read_table(path, columns=["key", "first_name", "surname", "date_of_birth"])
    table = table.filter(pc.is_in(table.column("key"), pa.array(keys)))
    return {
        row["key"]: (
            " ".join(p for p in (row["first_name"], row["surname"]) if p),
            row["date_of_birth"],
        )
        for row in table.to_pylist()
    }


def _reasons(explanation: list[dict]) -> list[str]:
    """The comparisons that counted most for a match, in words."""
    parts = [p for p in explanation if p["comparison"] not in ("prior", "frequency")]
    parts.sort(key=lambda p: -(p["weight"] or 0))
    labels = {
        "first_name": "First name",
        "surname": "Surname",
        "date_of_birth": "Date of birth",
        "home": "Home",
        "sex": "Sex",
        "identifier": "Identifier",
    }
    return [
        f"{labels.get(p['comparison'], p['comparison'])}: {p['label'].lower()}"
        for p in parts[:3]
        if (p["weight"] or 0) > 0
    ]


def referral_panel(user, referral) -> dict:
    matches = matches_for_referral(user, referral)
    if not matches:
        return {}
    return {"matches": matches, "run": selectors.current_run(), "repeats": repeats(user, matches)}


def repeats(user, matches: list[Match]) -> list[tuple[str, list[str]]]:
    """The repeat-referral flag by resolved identity: the Safehold people the run holds to be
    this referral's subject (at or above the threshold) whom the user may see, with the
    references of their cases the user may see."""
    people = {m.record.person_id: m.name for m in matches if m.same_person and m.full}
    people = {k: v for k, v in people.items() if k}
    if not people:
        return []
    found: dict = {}
    for subject, reference in (
        cases_visible_to(user)
        .filter(subject__in=list(people))
        .order_by("referral_date")
        .values_list("subject_id", "reference")
    ):
        found.setdefault(subject, []).append(reference)
    return [(people[subject], references) for subject, references in found.items()]


def person_panel(user, person) -> dict:
    matches = matches_for_person(user, person)
    return {"matches": matches, "run": selectors.current_run()} if matches else {}
