"""Reading the top indicators list: `list_for(user, as_of, area)`, the engine's list as the user
may see it, with one audit event per read naming the subjects shown.

What the user sees of each piece of evidence follows the front door's rules (ADR 0055):
- in full (its record, date and what it shows) when the record is theirs to see: a Safehold
  person through the people gate, a case through the cases gate, a network link through the
  network's gate, a row of their own agency's extract (or of one their agency was given by an
  approved access request);
- otherwise as "an indicator from <Agency>'s data", with no record, date or detail, and a link
  to ask the agency for the record (the linkage front door's access request) when the run holds
  the subject's record at that agency. A reason whose every piece of evidence is withheld does
  not name its indicator either (an A&E indicator would say what the record is), and the
  withheld reasons from the same agencies are one, their weights summed.

A subject is named (their name) only from a record the user may see in full, and is shown at
all only when the user sees some of its evidence in full or their agency has a live agreement
with an agency whose data is evidence (as the front door shows a name and agency only then).

Also one entry as the user may see it (`entry_for`, for its review) and the reviews' reads
(`last_reviews`, `reviews_visible_to`, ADR 0059): one module past 400 lines, since an entry's
page shows it through the same sight as the list."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import pyarrow as pa
from django.urls import reverse
from django.utils.timezone import localdate

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.analytics.store import connect, sql_string
from safehold.audit.choices import Action
from safehold.cases.selectors import cases_visible_to
from safehold.core.errors import NotPermitted
from safehold.incidents.rules import can_view_incidents
from safehold.linkage.front_door import agreements_of
from safehold.linkage.models import Record, Run
from safehold.networks.selectors import links_visible_to
from safehold.partners import store
from safehold.partners.choices import ExtractKind
from safehold.partners.models import Extract
from safehold.people.selectors import people_visible_to
from safehold.risk import engine
from safehold.risk.choices import Decision
from safehold.risk.engine.evidence import Entry, Evidence
from safehold.risk.models import IndicatorVersion, Review
from safehold.risk.rules import can_see_list
from safehold.sharing.middleware import unrestricted
from safehold.sharing.services import record_access_granted


def possessive(name: str) -> str:
    """ "Stockport Homes' data", "Stockport NHS's data"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@dataclass(frozen=True)
class ShownEvidence:
    """A piece of evidence as the user may see it: in full, or only which agency's data."""

    agency: str
    full: bool
    record_key: str = ""
    date: datetime.date | None = None
    what: str = ""
    request_href: str = ""

    @property
    def label(self) -> str:
        return self.what if self.full else f"An indicator from {possessive(self.agency)} data"


class ShownReason(NamedTuple):
    code: str  # "" when every piece of its evidence is withheld
    name: str
    weight: int
    evidence: tuple[ShownEvidence, ...]


@dataclass
class ShownEntry:
    subject_ref: str
    score: int
    name: str
    reasons: list[ShownReason]
    fingerprint: str
    ward: str | None = None
    person_ids: list[str] = field(default_factory=list)

    @property
    def indicators(self) -> list[tuple[str, int]]:
        return [(r.code or "withheld", r.weight) for r in self.reasons]


@dataclass
class ShownList:
    as_of: datetime.date
    area: str | None
    version: int
    entries: list[ShownEntry]


@dataclass
class _Sight:
    """What the user may see, read once for the whole list (a fixed number of queries)."""

    user: User
    people: set[str]
    cases: set[str]
    links: set[str]
    granted: set[str]
    partners: frozenset
    agencies: dict[str, str]
    records: dict[str, Record]
    logs: bool  # the user sees partners' incident logs (the analytics roles)

    def agency_of(self, evidence: Evidence) -> str:
        """Whose data: the agency's name, or an incident log's source as the partner named it."""
        if evidence.agency_id in self.agencies:
            return self.agencies[evidence.agency_id]
        return evidence.holder_id if evidence.holder == "incident_log" else "another agency"

    def full(self, evidence: Evidence, members: tuple[str, ...]) -> bool:
        own = evidence.agency_id == str(self.user.agency_id)
        # The reader's own agency's records are its own data, as its extracts are (below): a
        # flag on its person or its case closed without engagement reads in full, for the
        # analysts too, whom the people and case gates keep from the records themselves (ADR
        # 0059). What they see is the evidence's line, never the person's name or page.
        if evidence.holder == "person":
            return own or evidence.holder_id in self.people
        if evidence.holder == "case":
            return own or evidence.holder_id in self.cases
        if evidence.holder == "link":
            return evidence.holder_id in self.links
        if evidence.holder == "incident_log":
            return self.logs
        if own:
            return True
        return evidence.record_key in self.granted or any(
            k in self.granted for k in members if k.startswith(f"{evidence.agency_id}/")
        )

    def request_href(self, agency_id: str, members: tuple[str, ...]) -> str:
        for key in members:
            record = self.records.get(key)
            if record is not None and str(record.agency_id) == agency_id:
                return reverse("linkage:request-access", args=[record.pk])
        return ""


def list_for(
    user: User,
    as_of: datetime.date,
    area: str | None = None,
    version: IndicatorVersion | None = None,
    top: int | None = None,
    keep: Callable[[ShownEntry], bool] | None = None,
) -> ShownList:
    """The list of `as_of` for a ward (or every area) as `user` may see it, the `top` entries
    they may see (all without), recorded as one consultation naming the subjects shown.
    `keep` leaves out the entries it refuses before the count and the record (the pages leave
    out entries reviewed since nothing new appeared). NotPermitted for a role that does not
    see it.

    The entries are read in the list's order a batch at a time (each batch's visibility read
    in a fixed number of queries), so the top 50 of a list of 150,000 reads a few hundred."""
    if not can_see_list(user):
        raise NotPermitted("The top indicators list is not available to you")
    made = engine.score(as_of, area, version)
    batch = len(made.entries) if top is None else max(4 * top, 200)
    shown: list[ShownEntry] = []
    for start in range(0, len(made.entries), batch or 1):
        entries = made.entries[start : start + batch]
        sight = _sight(user, entries)
        names = _names(user, sight, entries)
        for entry in entries:
            found = _shown(entry, sight, names)
            if found is not None and (keep is None or keep(found)):
                shown.append(found)
        if top is not None and len(shown) >= top:
            shown = shown[:top]
            break
    return _read(made, shown, actor=user)


def _shown(entry: Entry, sight: _Sight, names: dict[str, str]) -> ShownEntry | None:
    reasons, any_full, agencies = [], False, set()
    for reason in entry.reasons:
        evidence = []
        for item in reason.evidence:
            if item.agency_id:
                agencies.add(item.agency_id)
            agency = sight.agency_of(item)
            if sight.full(item, entry.members):
                any_full = True
                evidence.append(
                    ShownEvidence(
                        agency=agency,
                        full=True,
                        record_key=item.record_key,
                        date=item.date,
                        what=item.what,
                    )
                )
            else:
                evidence.append(
                    ShownEvidence(
                        agency=agency,
                        full=False,
                        request_href=sight.request_href(item.agency_id, entry.members),
                    )
                )
        evidence = _deduplicated(evidence)
        if any(e.full for e in evidence):
            reasons.append(ShownReason(reason.code, reason.name, reason.weight, tuple(evidence)))
        else:
            withheld = " and ".join(sorted({possessive(e.agency) for e in evidence}))
            name = f"An indicator from {withheld} data"
            same = next((i for i, r in enumerate(reasons) if not r.code and r.name == name), None)
            if same is None:
                reasons.append(ShownReason("", name, reason.weight, tuple(evidence)))
            else:
                # The withheld indicators of the same agencies are one reason with their weights
                # summed: a weight of its own would say which indicator it was.
                kept = reasons[same]
                reasons[same] = kept._replace(weight=kept.weight + reason.weight)
    partnered = any(_uuid_in(a, sight.partners) for a in agencies)
    if not (any_full or partnered):
        return None
    return ShownEntry(
        subject_ref=entry.subject_ref,
        score=entry.score,
        name=next((names[k] for k in entry.members if names.get(k)), ""),
        reasons=reasons,
        fingerprint=entry.fingerprint,
        ward=entry.ward,
        person_ids=[p for p in entry.person_ids if p in sight.people],
    )


def _deduplicated(evidence: list[ShownEvidence]) -> list[ShownEvidence]:
    """Withheld pieces from one agency are one line: their number would say too much."""
    seen, kept = set(), []
    for item in evidence:
        marker = None if item.full else item.agency
        if marker is not None and marker in seen:
            continue
        seen.add(marker)
        kept.append(item)
    return kept


def _uuid_in(agency_id: str, partners: frozenset) -> bool:
    return any(str(p) == agency_id for p in partners)


def _sight(user: User, entries: list[Entry]) -> _Sight:
    held: dict[str, set[str]] = {"person": set(), "case": set(), "link": set()}
    agency_ids, members = set(), set()
    for entry in entries:
        members.update(entry.members)
        for reason in entry.reasons:
            for item in reason.evidence:
                if item.agency_id:
                    agency_ids.add(item.agency_id)
                if item.holder in held:
                    held[item.holder].add(item.holder_id)
        held["person"].update(entry.person_ids)
    run = Run.objects.filter(is_current=True).first()
    records = (
        {r.key: r for r in Record.objects.filter(run=run, key__in=list(members))} if run else {}
    )
    return _Sight(
        user=user,
        people=_visible(people_visible_to(user), held["person"]),
        cases=_visible(cases_visible_to(user), held["case"]),
        links=_visible(links_visible_to(user), held["link"]),
        granted=record_access_granted(agency_id=user.agency_id, record_keys=members),
        partners=agreements_of(user).partners,
        agencies={
            str(pk): name
            for pk, name in Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name")
        },
        records=records,
        logs=bool(can_view_incidents(user)),
    )


def _visible(queryset, ids: set[str]) -> set[str]:
    if not ids:
        return set()
    return {str(pk) for pk in queryset.filter(pk__in=list(ids)).values_list("pk", flat=True)}


def _names(user: User, sight: _Sight, entries: list[Entry]) -> dict[str, str]:
    """The names of the subjects' records the user may see: Safehold people through the people
    gate, and rows of the user's own agency's current people extract."""
    names = {
        f"safehold/{pk}": f"{given} {family}".strip()
        for pk, given, family in people_visible_to(user)
        .filter(pk__in=list(sight.people))
        .values_list("pk", "given_name", "family_name")
    }
    own = f"{user.agency_id}/"
    wanted = sorted({k[len(own) :] for e in entries for k in e.members if k.startswith(own)})
    extract = Extract.objects.filter(
        owning_agency=user.agency_id, kind=ExtractKind.PEOPLE, is_current=True
    ).first()
    if not wanted or extract is None:
        return names
    path = store.extract_path(
        agency_id=extract.owning_agency_id, kind=extract.kind, extract_id=extract.pk
    )
    con = connect()
    try:
        con.register("wanted", _table(wanted))
        sql = f"select record_id, first_name, surname from read_parquet({sql_string(path)}) where record_id in (select record_id from wanted)"  # noqa: S608 -- our own path, quoted
        for record_id, first, surname in con.execute(sql).fetchall():
            names[f"{own}{record_id}"] = " ".join(p for p in (first, surname) if p)
    finally:
        con.close()
    return names


def _table(record_ids: list[str]) -> pa.Table:
    return pa.table({"record_id": pa.array(record_ids, pa.string())})


def whole_list(
    as_of: datetime.date,
    area: str | None = None,
    version: IndicatorVersion | None = None,
    top: int | None = None,
) -> ShownList:
    """The list with every piece of evidence in full, for the command line run without a user
    (the partnership's processing, as a linkage run is), recorded as one consultation."""
    made = engine.score(as_of, area, version)
    agencies = {str(pk): name for pk, name in Agency.objects.values_list("pk", "name")}
    shown = [
        ShownEntry(
            subject_ref=e.subject_ref,
            score=e.score,
            name="",
            reasons=[
                ShownReason(
                    r.code,
                    r.name,
                    r.weight,
                    tuple(
                        ShownEvidence(
                            agency=agencies.get(x.agency_id) or x.holder_id,
                            full=True,
                            record_key=x.record_key,
                            date=x.date,
                            what=x.what,
                        )
                        for x in r.evidence
                    ),
                )
                for r in e.reasons
            ],
            fingerprint=e.fingerprint,
            ward=e.ward,
            person_ids=e.person_ids,
        )
        for e in made.entries[:top]
    ]
    return _read(made, shown, actor_label="safehold risk list", how=", in full on the command line")


def _read(made, shown: list[ShownEntry], *, how: str = "", **actor) -> ShownList:
    """The list as read, with the one audit event that names the subjects shown (the
    Safehold people among them the reader may see), never a reason or a value."""
    audit.record(
        action=Action.CONSULT,
        object_type="risk.entry",
        object_ids=[e.subject_ref for e in shown],
        subjects=[p for e in shown for p in e.person_ids],
        purpose=(
            f"the top indicators list of {made.as_of.isoformat()} "
            f"({'ward ' + made.area if made.area else 'every area'}), indicators version "
            f"{made.version}{how}: {len(shown)} entries"
        ),
        **actor,
    )
    return ShownList(as_of=made.as_of, area=made.area, version=made.version, entries=shown)


def entry_for(
    user: User, as_of: datetime.date, subject_ref: str, *, purpose: str
) -> tuple[ShownList, ShownEntry] | None:
    """One entry of the list of `as_of` (every area) as `user` may see it, recorded as a
    consultation of that entry; None when it is not on the list or not theirs to see (a 404 for
    the pages). NotPermitted for a role that does not see the list."""
    if not can_see_list(user):
        raise NotPermitted("The top indicators list is not available to you")
    made = engine.score(as_of)
    entry = next((e for e in made.entries if e.subject_ref == subject_ref), None)
    if entry is None:
        return None
    sight = _sight(user, [entry])
    shown = _shown(entry, sight, _names(user, sight, [entry]))
    if shown is None:
        return None
    audit.record(
        action=Action.CONSULT,
        actor=user,
        object_type="risk.entry",
        object_ids=[shown.subject_ref],
        subjects=shown.person_ids,
        purpose=f"the top indicators list of {as_of.isoformat()}: one entry, {purpose}",
    )
    made_shown = ShownList(as_of=as_of, area=None, version=made.version, entries=[shown])
    return made_shown, shown


@dataclass(frozen=True)
class ReviewState:
    """The latest decision on a subject, as every reader of its entry sees it: which decision,
    by which agency, when, on which evidence (its fingerprint). Never the reason: that is the
    deciding agency's (`reviews_visible_to`)."""

    decision: str
    label: str
    fingerprint: str
    agency: str
    decided_on: datetime.date

    def takes_off(self, entry: ShownEntry) -> bool:
        """The entry leaves the list: decided on this very evidence, and not to watch it."""
        return self.fingerprint == entry.fingerprint and self.decision != Decision.WATCH

    def new_since(self, entry: ShownEntry) -> bool:
        return self.fingerprint != entry.fingerprint


MANY_REFS = 500


def last_reviews(subject_refs: list[str] | None) -> dict[str, ReviewState]:
    """The latest review of each subject named (of every subject with None), in one query, read
    past the agencies' row policy (the list is the partnership's: a decision by one officer
    takes the entry off for all, ADR 0059); only the decision, the agency and the date leave
    this function."""
    if subject_refs is not None and not subject_refs:
        return {}
    rows = Review.objects.order_by("subject_ref", "-created_at")
    if subject_refs is not None and len(subject_refs) <= MANY_REFS:
        rows = rows.filter(subject_ref__in=subject_refs)
    labels = dict(Decision.choices)
    found: dict[str, ReviewState] = {}
    with unrestricted():
        for ref, decision, fingerprint, agency, at in rows.values_list(
            "subject_ref", "decision", "fingerprint", "agency__name", "created_at"
        ):
            if ref not in found:
                found[ref] = ReviewState(
                    decision, labels.get(decision, decision), fingerprint, agency, localdate(at)
                )
    return found


def reviews_visible_to(user: User):
    """The reviews the user's agency made (with their reasons and referrals), for the list's
    readers of that agency; none for anyone else."""
    if not can_see_list(user):
        return Review.objects.none()
    return Review.objects.filter(agency=user.agency_id).select_related(
        "decided_by", "agency", "referral"
    )
