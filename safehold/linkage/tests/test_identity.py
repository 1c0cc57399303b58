"""The repeat-referral figures count a resolved identity once: two Safehold records of one
person (a council's and a police force's, say), each the subject of a case in the period, are one
person referred twice once linkage has joined them, and two people before (issue 17, item 4)."""

import datetime

from safehold.cases.models import Case
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.linkage import selectors, services
from safehold.linkage.tests.partnership import make_partnership
from safehold.people.models import Person
from safehold.reports.repeats import repeat_referral_counts, repeats

FROM, TO = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)


def test_two_records_of_one_person_are_one_repeat_once_linked(db):
    partnership = make_partnership()
    programme = ProgrammeFactory(lead_agency=partnership.council)
    born = datetime.date(1987, 3, 14)
    one = Person.objects.create(
        owning_agency=partnership.council, given_name="Ottoline", family_name="Quennell",
        date_of_birth=born, gender="female",
    )  # fmt: skip
    two = Person.objects.create(
        owning_agency=partnership.police, given_name="Ottoline", family_name="Quenell",
        date_of_birth=born, gender="female",
    )  # fmt: skip
    stranger = Person.objects.create(
        owning_agency=partnership.council, given_name="Bartholomew", family_name="Ashdown",
        date_of_birth=datetime.date(1961, 9, 2), gender="male",
    )  # fmt: skip
    for subject, day in ((one, 10), (two, 20), (stranger, 25)):
        CaseFactory(
            programme=programme,
            owning_agency=subject.owning_agency,
            subject=subject,
            referral_date=datetime.date(2023, 5, day),
        )
    cases = Case.objects.all()
    assert repeat_referral_counts(cases) == {"people": 0, "cases": 0}  # before linkage
    assert repeats(cases, date_from=FROM, date_to=TO).people == 0
    services.run_linkage(by=None)
    joined = selectors.joined_people()
    assert joined[one.pk] == joined[two.pk] and stranger.pk not in joined
    assert repeat_referral_counts(cases) == {"people": 1, "cases": 2}
    found = repeats(cases, date_from=FROM, date_to=TO)
    assert (found.people, found.cases) == (1, 2)
