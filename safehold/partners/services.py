"""Writing partner extracts: an upload is checked whole, then recorded and stored all or
nothing; the same file again changes nothing; a newer extract supersedes the current one and
the older ones are kept (docs/formats/partner-extracts.md)."""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from safehold import audit
from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.core import dates
from safehold.core.csvfiles import ImportInvalid, RowError
from safehold.partners import store
from safehold.partners.choices import ExtractKind
from safehold.partners.models import Extract
from safehold.partners.validation import validate_extract
from safehold.sharing.choices import AgreementStatus
from safehold.sharing.models import InformationSharingAgreement

__all__ = ["AgreementNotUsable", "ExtractRefused", "ImportInvalid", "RowError", "upload_extract"]


class ExtractRefused(ValueError):
    """The upload cannot be accepted as asked (not the file's content: who, under what)."""


class AgreementNotUsable(ExtractRefused):
    """The agreement named is not live today, or the agency is not one of its parties."""


@dataclass(frozen=True)
class UploadResult:
    extract: Extract
    created: bool  # False: the same file was already uploaded, nothing changed
    superseded: Extract | None = None


def checksum_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_agreement(*, agreement: InformationSharingAgreement, agency: Agency) -> None:
    if not agreement.is_live():
        status = AgreementStatus(agreement.status).label.lower()
        raise AgreementNotUsable(f"The agreement “{agreement.title}” is not live: {status}")
    if not agreement.parties.filter(pk=agency.pk).exists():
        raise AgreementNotUsable(
            f"{agency.name} is not a party to the agreement “{agreement.title}”"
        )


def upload_extract(
    *, then: Callable[[UploadResult], None] | None = None, **arguments
) -> UploadResult:
    """Check an extract file whole and store it as the agency's extract of `kind` (below);
    `then(result)` runs in the same transaction (an import run recording its result).

    The store's lock is held from before the transaction until after its commit: the file is
    renamed into place inside the transaction, so a process killed between the rename and the
    commit leaves a file without its extract, which the next upload of the agency's extracts
    of that kind (the run's retry, after a crash) removes under the lock (ADR 0063)."""
    with store.locked():
        store.remove_strays(
            agency_id=arguments["agency"].pk,
            kind=arguments["kind"],
            extract_ids=Extract.objects.filter(
                owning_agency=arguments["agency"], kind=arguments["kind"]
            ).values_list("pk", flat=True),
        )
        with transaction.atomic():
            result = _upload_extract(**arguments)
            if then is not None:
                then(result)
        return result


@transaction.atomic
def _upload_extract(
    *,
    agency: Agency,
    kind: str,
    agreement: InformationSharingAgreement,
    purpose: str,
    data: bytes,
    file_name: str,
    by: User,
    extract_date: datetime.date | None = None,
) -> UploadResult:
    """Check an extract file whole and store it as the agency's extract of `kind`.

    Raises ImportInvalid (every problem by row and column: nothing stored), or ExtractRefused
    (the user is not of the agency, the agreement is not live or the agency not a party).
    Uploading the same file again for the same agency and kind returns the stored extract and
    changes nothing. An extract dated on or after the current one supersedes it; an older one
    (history filled in later) is kept as superseded by the current one."""
    if kind not in ExtractKind.values:
        raise ExtractRefused(f"“{kind}” is not a kind of extract: {', '.join(ExtractKind.values)}")
    if by.agency_id != agency.pk:
        raise ExtractRefused(f"{by.email} is not a user of {agency.name}")
    purpose = " ".join(purpose.split())
    if not purpose:
        raise ExtractRefused("Enter the purpose the extract is shared for")
    check_agreement(agreement=agreement, agency=agency)
    checksum = checksum_of(data)
    existing = Extract.objects.filter(owning_agency=agency, kind=kind, checksum=checksum).first()
    if existing is not None:
        return UploadResult(extract=existing, created=False)
    rows = validate_extract(kind=kind, data=data)  # raises ImportInvalid: nothing written yet

    extract_date = extract_date or dates.today()
    current = (
        Extract.objects.select_for_update()
        .filter(owning_agency=agency, kind=kind, is_current=True)
        .first()
    )
    newest = current is None or extract_date >= current.extract_date
    if current is not None and newest:
        current.is_current = False
        current.save(update_fields=["is_current", "modified_at"])
    extract = Extract.objects.create(
        owning_agency=agency,
        kind=kind,
        agreement=agreement,
        purpose=purpose,
        uploaded_by=by,
        uploaded_at=timezone.now(),
        extract_date=extract_date,
        file_name=file_name[:200],
        row_count=rows.num_rows,
        checksum=checksum,
        is_current=newest,
        superseded_by=None if newest else current,
    )
    if current is not None and newest:
        current.superseded_by = extract
        current.save(update_fields=["superseded_by", "modified_at"])
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=extract,
        purpose=f"partner extract ({kind}, {rows.num_rows} rows): {purpose}"[:500],
        agreement_id=agreement.pk,
        legal_gateway=agreement.legal_gateway,
    )
    # Last, inside the transaction: if the file cannot be written, nothing is recorded.
    store.write_rows(
        store.extract_path(agency_id=agency.pk, kind=kind, extract_id=extract.pk), rows
    )
    return UploadResult(extract=extract, created=True, superseded=current if newest else None)
