"""Property test: in any world of agencies, agreements, disclosures, expiries and revocations,
the read gates return exactly what a small reference model says each user may see."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.models import Case
from safehold.cases.selectors import cases_visible_to
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.models import Person
from safehold.people.selectors import people_visible_to
from safehold.people.tests.factories import PersonFactory
from safehold.sharing.models import Disclosure
from safehold.sharing.tests.factories import AgreementFactory

CASEWORK_ROLES = {Role.CASEWORKER, Role.SUPERVISOR, Role.IG_OFFICER, Role.ADMINISTRATOR}
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class AgreementSpec:
    parties: frozenset[int]
    starts: int  # days from today (negative: in the past)
    ends: int | None


@dataclass(frozen=True)
class DisclosureSpec:
    agreement: int
    record: int  # index into cases (even) or people (odd), see below
    to: int
    full: bool
    expires: int | None
    revoked: bool


worlds = st.integers(min_value=2, max_value=4).flatmap(
    lambda n: st.fixed_dictionaries(
        {
            "agencies": st.just(n),
            "cases": st.lists(st.integers(0, n - 1), min_size=1, max_size=4),
            "people": st.lists(st.integers(0, n - 1), max_size=3),
            "agreements": st.lists(
                st.builds(
                    AgreementSpec,
                    parties=st.frozensets(st.integers(0, n - 1), min_size=2, max_size=n),
                    starts=st.integers(-30, 5),
                    ends=st.none() | st.integers(-10, 30),
                ),
                min_size=1,
                max_size=3,
            ),
            "disclosures": st.lists(
                st.builds(
                    DisclosureSpec,
                    agreement=st.integers(0, 2),
                    record=st.integers(0, 7),
                    to=st.integers(0, n - 1),
                    full=st.booleans(),
                    expires=st.none() | st.integers(-5, 5),
                    revoked=st.booleans(),
                ),
                max_size=6,
            ),
            "roles": st.lists(st.sampled_from(list(Role)), min_size=n, max_size=n),
        }
    )
)


def live(spec: DisclosureSpec, agreement: AgreementSpec) -> bool:
    """The reference model of a disclosure that gives access today."""
    return (
        not spec.revoked
        and (spec.expires is None or spec.expires >= 0)
        and agreement.starts <= 0
        and (agreement.ends is None or agreement.ends >= 0)
    )


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds)
def test_the_read_gates_agree_with_the_reference_model(db, world):
    today = timezone.localdate()
    with transaction.atomic():
        agencies = [AgencyFactory() for _ in range(world["agencies"])]
        cases = [
            CaseFactory(programme=ProgrammeFactory(lead_agency=agencies[a])) for a in world["cases"]
        ]
        people = [PersonFactory(owning_agency=agencies[a]) for a in world["people"]]
        agreements = [
            AgreementFactory(
                parties=[agencies[p] for p in sorted(spec.parties)],
                start_date=today + spec.starts * DAY,
                end_date=None if spec.ends is None else today + spec.ends * DAY,
                review_date=today + 365 * DAY,
            )
            for spec in world["agreements"]
        ]
        # Records a disclosure can name: cases first, then people.
        records = [("case", c) for c in cases] + [("person", p) for p in people]
        made = []
        for spec in world["disclosures"]:
            kind, record = records[spec.record % len(records)]
            agreement_spec = world["agreements"][spec.agreement % len(agreements)]
            Disclosure.objects.create(
                agreement=agreements[spec.agreement % len(agreements)],
                from_agency=record.owning_agency,
                to_agency=agencies[spec.to],
                case=record if kind == "case" else None,
                person=record if kind == "person" else None,
                level="full" if spec.full else "name_only",
                purpose="generated",
                expires_on=None if spec.expires is None else today + spec.expires * DAY,
                revoked_at=timezone.now() if spec.revoked else None,
            )
            made.append((kind, record, spec, agreement_spec))
        users = [
            UserFactory(agency=agencies[i], role=role) for i, role in enumerate(world["roles"])
        ]

        for user in users:
            may_browse = user.role in CASEWORK_ROLES
            shared = [
                (kind, record)
                for kind, record, spec, agreement_spec in made
                if spec.full and record.owning_agency_id != user.agency_id and agencies[spec.to].pk == user.agency_id
                and live(spec, agreement_spec)
            ]  # fmt: skip
            expected_cases = {
                c.pk for c in cases if c.owning_agency_id == user.agency_id or ("case", c) in shared
            } if may_browse else set()  # fmt: skip
            expected_people = set()
            if may_browse:
                expected_people |= {
                    p.pk for p in Person.objects.filter(owning_agency=user.agency_id)
                }
                expected_people |= {r.pk for kind, r in shared if kind == "person"}
                expected_people |= {r.subject_id for kind, r in shared if kind == "case"}
            assert set(cases_visible_to(user).values_list("pk", flat=True)) == expected_cases
            assert set(people_visible_to(user).values_list("pk", flat=True)) == expected_people
            # Counts and searches come from the same gate: nothing more can be counted.
            assert cases_visible_to(user).count() == len(expected_cases)
            assert Case.objects.count() >= len(expected_cases)
        transaction.set_rollback(True)
