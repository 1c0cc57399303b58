"""Partner extracts for tests, made through the service (the file is validated and stored)."""

import datetime

from safehold.accounts.choices import Role
from safehold.accounts.tests.factories import AgencyFactory, UserFactory
from safehold.partners.services import upload_extract
from safehold.sharing.tests.factories import AgreementFactory

PEOPLE_CSV = (
    "record_id,first_name,surname,other_names,date_of_birth,sex,postcode,address,uprn\n"
    "H-1,Ada,Lovelace,,1990-12-10,F,SK1 3XE,1 Mill Lane,100011223344\n"
    "H-2,Alan,Turing,Al,23/06/1992,M,,,\n"
)


def ExtractFactory(
    *,
    owning_agency=None,
    kind: str = "people",
    data: str = PEOPLE_CSV,
    by=None,
    agreement=None,
    extract_date: datetime.date | None = None,
    purpose: str = "Finding people known to more than one agency",
):
    agency = owning_agency or AgencyFactory()
    by = by or UserFactory(agency=agency, role=Role.IG_OFFICER)
    agreement = agreement or AgreementFactory(parties=[agency])
    return upload_extract(
        agency=agency,
        kind=kind,
        agreement=agreement,
        purpose=purpose,
        data=data.encode(),
        file_name=f"{kind}.csv",
        by=by,
        extract_date=extract_date,
    ).extract
