import datetime
import itertools

from safehold.sharing.models import InformationSharingAgreement

_numbers = itertools.count(1)


def AgreementFactory(*, parties, **fields) -> InformationSharingAgreement:
    """A live agreement between `parties` (the first manages it)."""
    values = {
        "title": f"Community safety information sharing agreement {next(_numbers)}",
        "purpose": "Preventing and reducing exploitation and anti-social behaviour",
        "lawful_basis": "UK GDPR Article 6(1)(e): public task",
        "legal_gateway": "Crime and Disorder Act 1998, section 115",
        "data_categories": ["identity", "casework"],
        "start_date": datetime.date(2020, 1, 1),
        "review_date": datetime.date(2099, 1, 1),
        "managed_by": parties[0],
        **fields,
    }
    agreement = InformationSharingAgreement.objects.create(**values)
    agreement.parties.set(parties)
    return agreement
