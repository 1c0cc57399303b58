"""Asking for the full record of a match the front door showed by name and agency only: the
sharing app's access request (for a Safehold person, the usual one; for a row of a partner's
extract, one naming the record by its key), offered only for a match the user was shown."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.visibility import NotVisible
from safehold.linkage import front_door, selectors
from safehold.linkage.models import Record
from safehold.linkage.rules import can_see_matches
from safehold.partners.rules import can_see_extracts
from safehold.people.selectors import people_visible_to
from safehold.sharing import selectors as sharing_selectors
from safehold.sharing import services as sharing
from safehold.sharing.choices import AccessRequestStatus
from safehold.sharing.forms import access_request_form
from safehold.sharing.services import SharingError, record_access_granted


@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest, pk) -> HttpResponse:
    """Ask for a match shown by name and agency only. The record must be of the current run and
    shown to this user by name only (front_door's rules); anything else is a 404."""
    user = request.user
    run = selectors.current_run()
    if not str(pk).isdigit():  # a record's number, taken as text: anything else is unknown
        raise NotVisible(Record, {"pk": pk})
    record = (
        Record.objects.filter(run=run, pk=int(pk)).select_related("agency", "person").first()
        if run and can_see_matches(user)
        else None
    )
    if record is None:
        raise NotVisible(Record, {"pk": pk})
    if record.agency_id == user.agency_id:
        # The holder has nothing to ask for: to its own record (as sharing's request pages do).
        messages.info(request, "Your organisation already holds this record")
        if record.person_id:
            return redirect("people:detail", pk=record.person_id)
        return redirect("partners:extracts" if can_see_extracts(user) else "/")
    visible = (
        set(people_visible_to(user).filter(pk=record.person_id).values_list("pk", flat=True))
        if record.person_id
        else set()
    )
    granted = record_access_granted(agency_id=user.agency_id, record_keys=[record.key])
    if front_door.may_see_in_full(
        user, record, visible_people=visible, granted=granted
    ) or not front_door.may_see_name(user, record, agreements=front_door.agreements_of(user)):
        raise NotVisible(Record, {"pk": pk})
    owner = record.agency
    name = front_door.record_name(run, record)
    pending = sharing_selectors.access_requests_by(user).filter(status=AccessRequestStatus.PENDING)
    pending = (
        pending.filter(person=record.person_id)
        if record.person_id
        else pending.filter(record_key=record.key)
    )
    if pending.exists():
        messages.info(request, f"You have already asked {owner.name} for this record")
        return redirect("sharing:requests-sent")
    form = access_request_form(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if record.person_id:
                sharing.request_access(by=user, reason=reason, person=record.person)
            else:
                sharing.request_record_access(
                    by=user,
                    reason=reason,
                    owning_agency=owner,
                    record_key=record.key,
                    record_label=(
                        f"{name}: {record.extract_kind} extract, record {record.record_id}"
                    ),
                )
        except SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your request has been sent to {owner.name}")
            return redirect("sharing:requests-sent")
    audit.record(
        action=Action.CONSULT,
        actor=user,
        target=record,
        subjects=[record.person_id] if record.person_id else [],
        purpose="access request page (a possible match across the partnership)",
    )
    return render(
        request,
        "sharing/request_access.html",
        {
            "form": form,
            "name": name,
            "owner": owner,
            "back": "/",
            "intro": (
                f"Linkage found that {owner.name} may hold a record of this person. If they "
                "approve, your organisation can see the record in full where it was found."
            ),
        },
        status=400 if form.errors else 200,
    )
