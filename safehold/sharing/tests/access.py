"""This app's URLs for the access test (safehold/core/tests/test_access.py).

Share pages name a case or a person (the kinds the cases and people registries make); the
owner check opens them as the holding agency's administrator, and everyone else gets 404.
"""

from django.core.files.base import ContentFile

from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.sharing.models import AccessRequest, Disclosure
from safehold.sharing.tests.factories import AgreementFactory


def _agreement(agency):
    """An agreement the agency manages, with its signed copy (so the download answers)."""
    agreement = AgreementFactory(parties=[agency, AgencyFactory()])
    agreement.signed_document.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"), save=True)
    return agreement


def _disclosure(agency):
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=agency))
    other = AgencyFactory()
    return Disclosure.objects.create(
        agreement=AgreementFactory(parties=[agency, other]), from_agency=agency, to_agency=other,
        case=case, level="name_only", purpose="awareness",
    )  # fmt: skip


def _access_request(agency):
    case = CaseFactory(programme=ProgrammeFactory(lead_agency=agency))
    other = AgencyFactory()
    return AccessRequest.objects.create(
        requested_by=UserFactory(agency=other), requesting_agency=other, owning_agency=agency,
        case=case, reason="Joint visit",
    )  # fmt: skip


RECORD_FACTORIES = {
    "agreement": _agreement,
    "disclosure": _disclosure,
    "access_request": _access_request,
}
RECORD_URLS = {
    "sharing:agreement": "agreement",
    "sharing:agreement-signatory": "agreement",
    "sharing:agreement-dates": "agreement",
    "sharing:agreement-document": "agreement",
    "sharing:agreement-upload": "agreement",
    "sharing:share-case": "case",
    "sharing:share-person": "person",
    "sharing:revoke": "disclosure",
    # The holder asking for its own record is sent to it; nobody else may name it.
    "sharing:request-case": "case",
    "sharing:request-person": "person",
    "sharing:request-approve": "access_request",
    "sharing:request-decline": "access_request",
}
OTHER_URLS = {
    "sharing:agreements",
    "sharing:agreement-create",
    "sharing:record-of-processing",
    "sharing:record-of-processing-pdf",
    "sharing:who-else",
    "sharing:requests",
    "sharing:requests-sent",
}
PUBLIC: set[str] = set()
POST_ONLY: set[str] = set()
# Agreements and the record of processing are about agreements, not records.
NO_RECORDS = {
    "sharing:agreement-create", "sharing:agreements", "sharing:record-of-processing",
    "sharing:record-of-processing-pdf",
}  # fmt: skip
