"""This app's URLs for the access test (safehold/core/tests/test_access.py).

Every casework URL must be listed here: RECORD_URLS with the kind of record its `pk` names
(and a factory for that kind), OTHER_URLS for lists and forms, PUBLIC for pages anyone may open.
"""

from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory, ReferralFactory


def _referral(agency):
    return ReferralFactory(programme=ProgrammeFactory(lead_agency=agency), referrer_agency=agency)


RECORD_FACTORIES = {
    "case": lambda agency: CaseFactory(programme=ProgrammeFactory(lead_agency=agency)),
    "referral": _referral,
}
RECORD_URLS: dict[str, str] = {}
OTHER_URLS: set[str] = set()
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
