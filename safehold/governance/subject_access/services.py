"""Answering a subject access request: the export for the request, audited as a consultation
on the export channel; the first complete export marks the request answered."""

from dataclasses import dataclass

from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action, Channel
from safehold.core import dates
from safehold.governance.models import SubjectAccessRequest
from safehold.governance.services import complete_subject_access_request, require_controller
from safehold.governance.subject_access.formats import build_zip
from safehold.governance.subject_access.selectors import held_about


@dataclass(frozen=True)
class SubjectAccessExport:
    content: bytes
    filename: str
    complete: bool  # False when restricted fields were withheld from this user's export


@transaction.atomic
def export_subject_access(*, request: SubjectAccessRequest, by: User) -> SubjectAccessExport:
    """The subject access zip for a request, audited (consult, export channel); the first
    complete export marks the request answered."""
    person = request.person
    require_controller(by, person.owning_agency_id)
    data, cases = held_about(person=person, by=by, request=request)
    content = build_zip(data, cases)
    audit.record(
        action=Action.CONSULT,
        actor=by,
        target=person,
        object_ids=[request.pk, *(c.pk for c in cases)],
        subjects=[person],
        purpose="subject access export",
        channel=Channel.EXPORT,
    )
    complete = not data["withheld"]
    if complete:
        complete_subject_access_request(request=request, by=by)
    stamp = dates.today().isoformat()
    return SubjectAccessExport(content, f"subject-access-{person.pk}-{stamp}.zip", complete)
