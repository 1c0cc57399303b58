"""Reading partner extracts: which a user may see (their own agency's, for its information
governance officers, analysts and administrators) and an extract's rows, read only through
the gate and recorded in the audit log."""

import pyarrow as pa
from django.db.models import QuerySet

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.partners import store
from safehold.partners.models import Extract
from safehold.partners.rules import can_see_extracts


def extracts_visible_to(user: User) -> QuerySet[Extract]:
    """The extracts of the user's own agency, current and superseded, if their role may see
    extracts; none otherwise. (Sharing extracts' rows with other agencies comes with linkage.)"""
    if not can_see_extracts(user):
        return Extract.objects.none()
    return Extract.objects.filter(owning_agency=user.agency_id)


def extract_rows(
    *, extract: Extract, user: User, purpose: str, limit: int | None = None
) -> pa.Table:
    """The rows of an extract the user may see, with one consult event naming it; an extract
    outside the user's gate is Extract.DoesNotExist (a view's 404)."""
    if not extracts_visible_to(user).filter(pk=extract.pk).exists():
        raise Extract.DoesNotExist(extract.pk)
    rows = store.read_rows(
        store.extract_path(
            agency_id=extract.owning_agency_id, kind=extract.kind, extract_id=extract.pk
        ),
        limit=limit,
    )
    audit.record(
        action=Action.CONSULT,
        actor=user,
        target=extract,
        purpose=f"rows of a partner extract ({extract.kind}): {purpose}"[:500],
        agreement_id=extract.agreement_id,
    )
    return rows


def extract_record(*, extract: Extract, user: User, record_id: str, purpose: str) -> dict | None:
    """One record (row) of an extract the user may see, by its record_id, with one consult event
    naming the extract and the record; an extract outside the user's gate is
    Extract.DoesNotExist, as for `extract_rows`. None when the extract has no such record."""
    if not extracts_visible_to(user).filter(pk=extract.pk).exists():
        raise Extract.DoesNotExist(extract.pk)
    row = store.read_record(
        store.extract_path(
            agency_id=extract.owning_agency_id, kind=extract.kind, extract_id=extract.pk
        ),
        record_id=record_id,
    )
    audit.record(
        action=Action.CONSULT,
        actor=user,
        target=extract,
        object_ids=[f"{extract.pk}/{record_id}"],
        purpose=f"one record of a partner extract ({extract.kind}): {purpose}"[:500],
        agreement_id=extract.agreement_id,
    )
    return row
