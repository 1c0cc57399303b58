"""Enforcement on a case: actions (warnings, notices, orders, arrests) with their documents.

Adding an action with its documents is one use case and one transaction: a document that is
refused leaves no action behind, so the action is never recorded without the papers it came
with.
"""

import datetime
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from safehold.accounts.models import Agency, User
from safehold.audit.choices import Action
from safehold.cases import rules
from safehold.cases.models import Case, EnforcementAction, EnforcementDocument
from safehold.cases.services.cases import (
    CaseError,
    audit_change,
    record_event,
    require_open,
    require_open_for,
    require_visible,
)
from safehold.core.errors import NotPermitted
from safehold.people.models import Person


def _require_ends_after_start(started_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < started_on:
        raise CaseError("An enforcement action cannot end before it starts")


@transaction.atomic
def add_enforcement(
    *,
    case: Case,
    by: User,
    kind: str,
    status: str,
    agency: Agency,
    started_on: datetime.date,
    served_at: datetime.datetime | None = None,
    ends_on: datetime.date | None = None,
    against: Person | None = None,
    notes: str = "",
    documents: Iterable[UploadedFile] = (),
) -> EnforcementAction:
    """Record an enforcement action, and the documents that came with it.

    The agency holding the case records any agency's action; a partner with the case in full
    records only what its own agency served (ADR 0048)."""
    require_open_for(by, case, rules.can_add_enforcement, case, "record enforcement")
    if by is not None and by.agency_id not in (case.owning_agency_id, agency.pk):
        raise NotPermitted(
            f"You can record on case {case.reference} only the enforcement {by.agency} served"
        )
    require_visible(by, against)
    _require_ends_after_start(started_on, ends_on)
    action = EnforcementAction.objects.create(
        case=case, kind=kind, status=status, agency=agency, started_on=started_on,
        served_at=served_at, ends_on=ends_on, against=against, notes=notes,
    )  # fmt: skip
    record_event(
        case,
        f"Enforcement: {action.get_kind_display()} ({action.get_status_display().lower()}, {agency.name})",
        by,
    )
    audit_change(case, by, f"enforcement {kind} added", action=Action.COLLECT, target=action)
    for file in documents:
        add_document(action=action, by=by, file=file)
    return action


@transaction.atomic
def update_enforcement(
    *, action: EnforcementAction, by: User, status: str, ends_on: datetime.date | None
) -> EnforcementAction:
    """Change an action's status or end date (an order made, extended or ended)."""
    require_open(action.case, by)
    _require_ends_after_start(action.started_on, ends_on)
    changed = []
    if action.status != status:
        action.status = status
        changed.append("status")
    if action.ends_on != ends_on:
        action.ends_on = ends_on
        changed.append("ends_on")
    if changed:
        action.save(update_fields=[*changed, "modified_at"])
        record_event(
            action.case,
            f"Enforcement updated: {action.get_kind_display()} now {action.get_status_display().lower()}",
            by,
        )
        audit_change(action.case, by, f"enforcement changed: {', '.join(changed)}", target=action)
    return action


@transaction.atomic
def add_document(
    *, action: EnforcementAction, by: User, file: UploadedFile, name: str = ""
) -> EnforcementDocument:
    """Hold a document (a notice, an order, a court bundle) against an action."""
    require_open(action.case, by)
    if not file.size:
        raise CaseError("The selected file is empty")
    document = EnforcementDocument.objects.create(
        action=action, file=file, name=name or file.name, uploaded_by=by
    )
    audit_change(
        action.case, by, "enforcement document added", action=Action.COLLECT, target=document
    )
    return document
