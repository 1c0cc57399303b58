import datetime

import pytest

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.choices import RiskLevel
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.meetings.tests.factories import MeetingFactory, SeriesFactory
from safehold.people.tests.factories import PersonFactory

HELD_ON = datetime.date(2023, 6, 6)


class Partnership:
    """The chair (the council), the police and a landlord at a monthly meeting: the landlord
    holds two high-risk cases referred the week before, one of which it flags."""

    def __init__(self):
        self.council, self.police, self.landlord = (
            AgencyFactory(name="Council"), AgencyFactory(name="Police"), AgencyFactory(name="Landlord"),
        )  # fmt: skip
        self.series = SeriesFactory(
            agency=self.council, parties=[self.police, self.landlord],
            name="Wigan organised crime partnership meeting",
        )  # fmt: skip
        self.chair = UserFactory(agency=self.council, role=Role.CASEWORKER)
        self.officer = UserFactory(agency=self.police, role=Role.CASEWORKER)
        self.housing = UserFactory(agency=self.landlord, role=Role.CASEWORKER)
        self.meeting = MeetingFactory(
            series=self.series, chair=self.chair, attending=[self.police, self.landlord],
            held_on=HELD_ON,
        )  # fmt: skip
        programme = ProgrammeFactory(lead_agency=self.landlord)
        self.flagged_case = self.case(programme, "Flagwell", "LAN-2023-0001")
        self.unshared_case = self.case(programme, "Hiddenly", "LAN-2023-0002")

    def case(self, programme, family_name, reference):
        return CaseFactory(
            programme=programme, reference=reference, risk_level=RiskLevel.HIGH,
            referral_date=HELD_ON - datetime.timedelta(days=7),
            subject=PersonFactory(owning_agency=self.landlord, family_name=family_name),
        )  # fmt: skip


@pytest.fixture
def world(db):
    return Partnership()
