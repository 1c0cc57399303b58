"""The leak matrix in worlds of partial sharing, each check with its positive control.

An agency (the holder) has a case about a person at an address, with a chronology note. A
second agency (the viewer) stands in one partial relation to it: the person shared but not the
case, the case shared by name only, its own person linked to the holder's case, a share revoked,
expired or under a lapsed agreement, an access request pending or refused. A third agency (the
recipient) has the case and the person in full in every world.

Users of the viewer's roles then request every page, list, search and export (in every format
the URL declares) and every API read, and the holder's record URLs: what the world does not
give the viewer must not be in any response, and record URLs it does not give are 404.

Each "must not see" check has its positive control: the holder's or the recipient's user of
the same role makes the same request and does see the marker. A URL whose control shows no
marker in any world and role must be declared in its registry's NO_RECORDS (pages that never
show a record); so a renamed search parameter, an ignored format or a file the test cannot read
fails here instead of passing silently.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, TeamFactory, UserFactory
from safehold.cases.choices import CaseStatus, ClosureReason
from safehold.cases.models import AsbHandover, Task
from safehold.cases.services import casework as casework_services
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory
from safehold.core.tests.readable import body, text_of_bytes
from safehold.core.tests.selection import in_this_pass
from safehold.core.tests.test_access import (
    API_OPERATIONS,
    API_URLS,
    EXPORT_FORMATS,
    NO_RECORDS,
    ON_CASE,
    OTHER_URLS,
    POST_ONLY,
    PRE_SIGN_IN,
    PUBLIC,
    RECORD_FACTORIES,
    RECORD_OPERATIONS,
    RECORD_QUERIES,
    RECORD_URLS,
    SCHEMA_OPERATIONS,
    URL_KWARGS,
    _api_url,
)
from safehold.governance import services as governance_services
from safehold.governance.models import LegalHold, SubjectAccessRequest
from safehold.people.tests.factories import LocationFactory, PersonFactory
from safehold.sharing.choices import AccessRequestStatus
from safehold.sharing.models import AccessRequest, Disclosure
from safehold.sharing.tests.factories import AgreementFactory

# One search word finds every marked record: the person by name, the place by its address,
# the case by its subject (and the note and reference come with the case's row).
WORD = "Qzxm"
SEARCH = {"q": WORD, "search": WORD, "query": WORD, "name": WORD, "record": WORD}


class Markers:
    """A holder's marked values. Each holder of the leak test has its own `tag` (a letter), so
    a marker seen names the holder, and so the relation, it came from; the one-world tests use
    the untagged ones. The postcode's last letter is the tag (inward codes use no C, I, K, M,
    O or V), W untagged."""

    def __init__(self, tag: str = ""):
        word, upper = f"{WORD}{tag}", f"{WORD.upper()}{tag.upper()}"
        postcode = f"SK9 9Q{tag.upper() or 'W'}"
        self.given, self.family = f"{word}given", f"{word}family"
        self.reference, self.old_reference = f"{upper}-2099-0001", f"{upper}-2010-0002"
        self.note = f"{word}note: keys cut for the dealers"
        self.address, self.postcode = f"1 {word}address Street", postcode
        self.case = {f"{upper}-20", f"{word}note", f"{word}address", postcode}
        self.name = {self.given, self.family}


UNTAGGED = Markers()
CASE_MARKERS, NAME_MARKERS = UNTAGGED.case, UNTAGGED.name
# Roles that read records or aggregates of them (test_no_leaks covers every role in the
# unrelated world).
ROLES = [Role.CASEWORKER, Role.IG_OFFICER, Role.ADMINISTRATOR, Role.ANALYST]
MAGIC = {"xlsx": b"PK\x03\x04", "pdf": b"%PDF", "zip": b"PK\x03\x04"}

# What the viewer may legitimately see in each world: the name where a disclosure names it.
WORLDS = {
    "unrelated": set(),
    "person shared, case not": {"person"},
    "case shared by name only": {"name"},
    "case links the viewer's person": set(),
    "case shared, then revoked": set(),
    "case shared, expired": set(),
    "case shared under a lapsed agreement": set(),
    "access request pending": {"name"},
    "access request refused": {"name"},
}


class World:
    """The holder's marked records, the viewer's relation to them, and who may see what.

    The holder's work around the case is there too (a task, a referral waiting in triage, an
    ASB handover, a legal hold, a subject access request, an access request from the recipient,
    audit events naming the case) so that its work queues and governance pages have something
    to show its own users, and nothing to show the viewer's.
    """

    def __init__(self, relation: str, *, markers: Markers = UNTAGGED, viewer=None):
        today = timezone.localdate()
        self.relation, self.markers = relation, markers
        m = markers
        self.holder, self.recipient = AgencyFactory(), AgencyFactory()
        self.viewer = viewer or AgencyFactory()
        self.team = TeamFactory(agency=self.holder)
        programme = ProgrammeFactory(
            lead_agency=self.holder, triage_team=self.team, asb_team=self.team
        )
        worker = UserFactory(agency=self.holder, role=Role.CASEWORKER)
        self.person = PersonFactory(
            owning_agency=self.holder, given_name=m.given, family_name=m.family
        )
        self.location = LocationFactory(
            owning_agency=self.holder, address_line_1=m.address, postcode=m.postcode
        )
        self.case = CaseFactory(
            programme=programme, reference=m.reference, subject=self.person,
            location=self.location,
        )  # fmt: skip
        # Through the service, so the audit log names the case by its reference too.
        casework_services.add_entry(
            case=self.case, by=worker, kind="note", occurred_at=timezone.now(), summary=m.note
        )
        self.task = Task.objects.create(
            case=self.case, title="Check the locks", owner_agency=self.holder, due_on=today
        )
        old = CaseFactory(
            programme=programme, reference=m.old_reference, subject=self.person,
            location=self.location, referral_date=datetime.date(2009, 1, 5),
            status=CaseStatus.CLOSED, closed_on=datetime.date(2010, 1, 5),
            closure_reason=ClosureReason.POSITIVELY_RESOLVED,
        )  # fmt: skip
        AsbHandover.objects.create(case=old, team=self.team)
        ReferralFactory(
            programme=programme, subject_given_name=m.given, subject_family_name=m.family,
            address_line_1=m.address, postcode=m.postcode,
        )  # fmt: skip
        ig = UserFactory(agency=self.holder, role=Role.IG_OFFICER)
        LegalHold.objects.create(
            case=self.case, reason="Claim", placed_by=ig, placed_at=timezone.now()
        )
        SubjectAccessRequest.objects.create(
            person=self.person, received_on=today, due_on=today, requested_by="Them", created_by=ig
        )
        live = AgreementFactory(parties=[self.holder, self.viewer, self.recipient])
        for record in ("case", "person"):
            self.share(live, self.recipient, **{record: getattr(self, record)})
        # The recipient knows the old case by name only, and asks for it in full.
        self.share(live, self.recipient, case=old, level="name_only")
        AccessRequest.objects.create(
            requested_by=UserFactory(agency=self.recipient, role=Role.CASEWORKER),
            requesting_agency=self.recipient, owning_agency=self.holder, case=old,
            reason="Joint visit",
        )  # fmt: skip
        # The viewer's own person (linked to the holder's case in one world): its subject
        # access export holds only the viewer's records.
        self.viewers_person = PersonFactory(
            owning_agency=self.viewer, given_name="Vmine", family_name="Vown"
        )
        self.records = {kind: make(self.holder) for kind, make in RECORD_FACTORIES.items()}
        for make in ON_CASE.values():
            make(self.case)
        self.records |= {"case": self.case, "person": self.person, "location": self.location}
        self.visible_kinds: set[str] = set()
        # Record URLs the world opens to the viewer although the record is not visible: a case
        # known by name may be asked for in full.
        self.open_urls: set[str] = {"sharing:request-case"} if "name" in WORLDS[relation] else set()
        self.hidden = set(m.case)
        if not WORLDS[relation] & {"person", "name"}:
            self.hidden |= m.name
        yesterday = today - datetime.timedelta(days=1)
        if relation == "person shared, case not":
            self.share(live, self.viewer, person=self.person)
            self.visible_kinds.add("person")
        elif relation in ("case shared by name only", "access request pending",
                          "access request refused"):  # fmt: skip
            self.share(live, self.viewer, case=self.case, level="name_only")
            if relation != "case shared by name only":
                AccessRequest.objects.create(
                    requested_by=UserFactory(agency=self.viewer, role=Role.CASEWORKER),
                    requesting_agency=self.viewer, owning_agency=self.holder, case=self.case,
                    reason="Joint visit",
                    status=AccessRequestStatus.PENDING if relation.endswith("pending")
                    else AccessRequestStatus.DECLINED,
                )  # fmt: skip
        elif relation == "case links the viewer's person":
            self.case.links.create(person=self.viewers_person, role="associate")
        elif relation == "case shared, then revoked":
            self.share(live, self.viewer, case=self.case, revoked_at=timezone.now())
        elif relation == "case shared, expired":
            self.share(live, self.viewer, case=self.case, expires_on=yesterday)
        elif relation == "case shared under a lapsed agreement":
            lapsed = AgreementFactory(
                parties=[self.holder, self.viewer], end_date=yesterday,
                start_date=yesterday - datetime.timedelta(days=400),
            )  # fmt: skip
            self.share(lapsed, self.viewer, case=self.case)

    def share(self, agreement, to, *, level="full", **fields):
        Disclosure.objects.create(
            agreement=agreement, from_agency=self.holder, to_agency=to, level=level,
            purpose="joint work", **fields,
        )  # fmt: skip

    def user(self, agency, role):
        """A user with work of their own: in the holder's team, a task and a referral of theirs
        (the pages of one's own work show it)."""
        user = UserFactory(agency=agency, role=role)
        if agency == self.holder:
            user.teams.add(self.team)
            Task.objects.create(
                case=self.case, title="Visit", owner=user, owner_agency=agency,
                due_on=self.task.due_on,
            )  # fmt: skip
        ReferralFactory(
            programme=self.case.programme, referrer=user, referrer_agency=agency,
            subject_given_name=self.markers.given, subject_family_name=self.markers.family,
        )  # fmt: skip
        return user

    def queries(self, name: str) -> list[dict]:
        """What to ask each URL: nothing, the search word, and for a URL that takes a record's
        id (the audit search) the case's and the person's."""
        variants = [{}, SEARCH]
        if name in RECORD_QUERIES:
            variants += [{RECORD_QUERIES[name]: str(r.pk)} for r in (self.case, self.person)]
        return variants


def _formats(name: str) -> list[dict]:
    return [{}, *({"format": f} for f in EXPORT_FORMATS.get(name, ()))]


def _queries(worlds, name: str) -> list[dict]:
    """Each distinct query of `name` the worlds ask (nothing and the search word once)."""
    variants = []
    for world in worlds:
        variants += [v for v in world.queries(name) if v not in variants]
    return variants


def _requests(*worlds: World):
    """Every (url name, url, params) a user makes that names no record in its path."""
    for name in sorted(filter(in_this_pass, OTHER_URLS | PUBLIC | PRE_SIGN_IN)):
        url = reverse(name, kwargs=URL_KWARGS.get(name))
        for fmt in _formats(name) if name not in API_URLS else [{}]:
            for variant in _queries(worlds, name):
                yield name, url, {**variant, **fmt}
    for method, path in SCHEMA_OPERATIONS:
        if method == "GET" and (method, path) not in RECORD_OPERATIONS and in_this_pass(path):
            for variant in _queries(worlds, f"{method} {path}"):
                yield f"{method} {path}", path, variant


# The holders' tags: a letter each (Markers).
TAGS = dict(zip(sorted(WORLDS), "abdefghjl", strict=True))


@pytest.mark.gates_alone
def test_what_a_partial_relation_does_not_give_is_never_shown(client, db):
    """One viewing agency stands in every partial relation at once, each to a holder of its
    own with markers of its own (ADR 0067): every request its users make is checked for every
    holder's hidden markers, so one sweep a role covers the nine relations (the unrelated
    viewer with no relation at all is test_no_leaks's). A marker seen names its relation."""
    viewer = AgencyFactory()
    worlds = [
        World(relation, viewer=viewer, markers=Markers(tag)) for relation, tag in TAGS.items()
    ]
    hidden = set().union(*(world.hidden for world in worlds))
    leaks = []
    for role in ROLES:
        user = UserFactory(agency=viewer, role=role)
        client.force_login(user)
        for name, url, params in _requests(*worlds):
            if name in NO_RECORDS:
                continue  # shows no record to anyone (test_the_positive_controls_see_the_markers)
            seen = _markers(body(client.get(url, params)), hidden)
            if seen:
                leaks.append(f"{role} GET {url} {params}: {_named(seen, worlds)}")
        for world in worlds:
            found = _record_url_leaks(client, world, user, hidden, worlds)
            leaks += [f"{role}, {world.relation}: {leak}" for leak in found]
    assert leaks == []


def _named(seen: set[str], worlds) -> list[str]:
    """Each marker seen with the relation of the holder it belongs to."""
    return sorted(
        f"{marker} ({world.relation})"
        for marker in seen
        for world in worlds
        if marker in world.hidden
    )


@pytest.mark.owner_sees
def test_the_positive_controls_see_the_markers(client, db):
    """The other half of every check above: the holder's and the recipient's users, making the
    same requests, do see the markers. A URL where none of them does must be in NO_RECORDS (and
    a URL in NO_RECORDS must really show none), and each declared export format must be what
    comes back."""
    world = World("unrelated")
    controlled, wrong_format = set(), []
    for agency in (world.holder, world.recipient):
        for role in ROLES:
            client.force_login(world.user(agency, role))
            for name, url, params in _requests(world):
                fmt = params.get("format")
                if name in controlled and fmt not in MAGIC:
                    continue  # shown by an earlier user: asking again proves nothing more
                response = client.get(url, params)
                content = body(response)
                if world.hidden & _markers(content):
                    controlled.add(name)
                if (
                    fmt in MAGIC
                    and response.status_code == 200
                    and not content.startswith(MAGIC[fmt])
                ):
                    wrong_format.append(f"{url} format={fmt} as {role}")
    names = {n for n, _, _ in _requests(world)}
    uncontrolled = sorted(names - controlled - NO_RECORDS)
    assert uncontrolled == [], (
        "no control request showed a marker: declare these in NO_RECORDS if they never show "
        f"records, or fix the request the test makes: {', '.join(uncontrolled)}"
    )
    assert controlled & NO_RECORDS == set(), "these show records: take them out of NO_RECORDS"
    assert wrong_format == [], "a declared export format was not what came back"


def _record_url_leaks(client, world: World, viewer, hidden: set[str], worlds) -> list[str]:
    """The holder's case, person and place (and referral) pages: 404 unless the world gives
    the viewer the record, and never a `hidden` marker (any holder's)."""
    leaks = []
    client.force_login(viewer)
    for name, kind in sorted(RECORD_URLS.items()):
        if kind not in ("case", "person", "location", "referral") or not in_this_pass(name):
            continue  # the other kinds stand in no relation to the viewer (test_no_leaks)
        url = reverse(name, kwargs={"pk": world.records[kind].pk})
        for method in ["post"] if name in POST_ONLY else ["get", "post"]:
            if method == "post" and name in API_URLS:
                continue
            response = getattr(client, method)(url)
            opened = kind in world.visible_kinds or name in world.open_urls
            if not opened and response.status_code != 404:
                leaks.append(f"{method.upper()} {name}: {response.status_code}, not 404")
            seen = _markers(body(response), hidden)
            if seen:
                leaks.append(f"{method.upper()} {name}: {_named(seen, worlds)}")
    for operation, kind in API_OPERATIONS.items():
        method, path = operation.split(" ", 1)
        if (
            method == "GET"
            and kind in ("case", "person", "location", "referral")
            and in_this_pass(path)
        ):
            response = client.get(_api_url(path, kind, world.records))
            if kind not in world.visible_kinds and response.status_code != 404:
                leaks.append(f"{operation}: {response.status_code}, not 404")
            seen = _markers(body(response), hidden)
            if seen:
                leaks.append(f"{operation}: {_named(seen, worlds)}")
    return leaks


def _markers(content: bytes, markers: set[str] = CASE_MARKERS | NAME_MARKERS) -> set[str]:
    text = text_of_bytes(content)
    return {m for m in markers if m in text}


@pytest.mark.parametrize("relation", sorted(WORLDS))
def test_a_partial_relation_never_counts_the_holders_cases_in_a_report(client, db, relation):
    """What the viewer may not open is never counted in its totals either: the evaluation
    report over the holder's programme counts none of its cases for the viewer (and two, the
    marked case and the old one, for the holder: the positive control)."""
    world = World(relation)
    params = {
        "programme": world.case.programme.name, "from": "2000-01-01",
        "to": timezone.localdate().isoformat(),
    }  # fmt: skip
    received = {}
    for agency in (world.viewer, world.holder):
        client.force_login(UserFactory(agency=agency, role=Role.ANALYST))
        response = client.get(reverse("api:report-evaluation"), params)
        assert response.status_code == 200
        received[agency] = response.json()["cases_received"]
    assert received == {world.viewer: 0, world.holder: 2}


@pytest.mark.parametrize("relation", sorted(WORLDS))
def test_the_viewers_subject_access_export_holds_nothing_of_the_holders(client, db, relation):
    """The zip a subject access request produces (JSON, PDF, documents): the viewer's export
    for its own person never copies the holder's case, whatever the relation; the holder's
    export for its person does hold it (the positive control)."""
    world = World(relation)
    exports = {}
    for agency, person in ((world.viewer, world.viewers_person), (world.holder, world.person)):
        ig = UserFactory(agency=agency, role=Role.IG_OFFICER)
        request = governance_services.log_subject_access_request(
            person=person, received_on=timezone.localdate(), requested_by="Them", by=ig
        )
        client.force_login(ig)
        response = client.post(reverse("governance:sar-download", args=[request.pk]))
        content = body(response)  # a streamed response can be read once
        assert response.status_code == 200 and content.startswith(MAGIC["zip"])
        assert person.family_name in text_of_bytes(content)  # the export was read, and is theirs
        exports[agency] = _markers(content)
    assert exports[world.viewer] & world.hidden == set()
    assert {"QZXM-20", "Qzxmnote"} <= exports[world.holder]
