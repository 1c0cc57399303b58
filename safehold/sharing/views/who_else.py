"""“Who else is working with this person?”: a name search over what other agencies have shared
with the user's agency, and asking for the full record of one found by name only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.registry import record_kind
from safehold.core.visibility import NotVisible
from safehold.sharing import rules, selectors, services
from safehold.sharing.choices import AccessRequestStatus
from safehold.sharing.forms import access_request_form
from safehold.sharing.services import SharingError

MAX_QUERY = 100


def who_else(request: HttpRequest) -> HttpResponse:
    """Search by name. Only records shared with the user's agency can be found, and a search is
    a consultation: it is recorded with the records it revealed."""
    if not rules.can_search_who_else(request.user):
        raise PermissionDenied
    searched = "q" in request.GET
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    error = "Enter a name to search for" if searched and not query else ""
    results, pending = None, set()
    if query:
        results = selectors.who_else(request.user, query=query)
        # One event per kind of record found (one if none was): the ids of what the search
        # revealed, never the name searched for (ADR 0025).
        for record_type, object_type in (("person", "people.person"), ("case", "cases.case")):
            found = [r for r in results if r.record_type == record_type]
            if found or (record_type == "person" and not results):
                audit.record(
                    action=Action.CONSULT,
                    actor=request.user,
                    object_type=object_type if found else "",
                    object_ids=[r.record_id for r in found],
                    subjects=[r.subject_id for r in found],
                    purpose=audit.search_purpose("who else", ["q"]),
                )
        asked = selectors.access_requests_by(request.user).filter(
            status=AccessRequestStatus.PENDING
        )
        pending = {
            str(pk)
            for pair in asked.values_list("case_id", "person_id")
            for pk in pair
            if pk is not None
        }
    return render(
        request,
        "sharing/who_else.html",
        {"q": query, "results": results, "error": error, "pending": pending},
    )


def _request_access(request: HttpRequest, pk, *, noun: str) -> HttpResponse:
    lookup = {"case_id": pk} if noun == "case" else {"person_id": pk}
    disclosure = selectors.disclosed_record(request.user, **lookup)
    if disclosure is None:
        # The holder already has it; for anyone else a record not shared with them does not exist.
        kind = record_kind(noun)
        if kind.model.objects.filter(pk=pk, owning_agency=request.user.agency_id).exists():
            messages.info(request, "Your organisation already holds this record")
            return redirect(kind.detail_url, pk=pk)
        raise NotVisible(kind.model, {"pk": pk})
    if not rules.can_search_who_else(request.user):
        # A role that may not ask is told nothing more than a stranger: the record's existence
        # is its agency's knowledge, not this user's.
        raise NotVisible(record_kind(noun).model, {"pk": pk})
    record = disclosure.record
    subject = record.subject if noun == "case" else record
    owner = disclosure.from_agency
    already = selectors.access_requests_by(request.user).filter(
        status=AccessRequestStatus.PENDING, **lookup
    )
    if already.exists():
        messages.info(request, f"You have already asked {owner.name} for this record")
        return redirect("sharing:requests-sent")
    form = access_request_form(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_access(
                by=request.user, reason=form.cleaned_data["reason"], **{noun: record}
            )
        except SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your request has been sent to {owner.name}")
            return redirect("sharing:requests-sent")
    # The page names the person: a consultation of what was shared by name only.
    audit.record(
        action=Action.CONSULT, actor=request.user, target=record, subjects=[subject],
        agreement_id=disclosure.agreement_id, purpose="access request page",
    )  # fmt: skip
    return render(
        request,
        "sharing/request_access.html",
        {
            "form": form,
            "name": subject.full_name,
            "owner": owner,
            "back": f"{reverse('sharing:who-else')}?{urlencode({'q': subject.family_name})}",
        },
    )


def request_case(request: HttpRequest, pk) -> HttpResponse:
    return _request_access(request, pk, noun="case")


def request_person(request: HttpRequest, pk) -> HttpResponse:
    return _request_access(request, pk, noun="person")
