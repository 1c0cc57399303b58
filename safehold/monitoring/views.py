"""Protective monitoring pages: who looked at a record, and alerts for IG officers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.accounts.choices import Role
from safehold.audit.choices import Action
from safehold.audit.selectors import redacted
from safehold.cases.selectors import cases_visible_to
from safehold.core.visibility import NotVisible, get_visible_or_404
from safehold.monitoring import selectors, services
from safehold.monitoring.forms import AcknowledgeForm
from safehold.monitoring.rules import can_acknowledge_alerts, can_review_alerts
from safehold.people.selectors import people_visible_to

PAGE_SIZE = 50
ROLE_NAMES = dict(Role.choices)


def _require_owner(request: HttpRequest, record, pk) -> None:
    """Only the agency that holds a record sees who looked at it: for a partner it was
    disclosed to, the page does not exist. The read gate has already limited the roles to
    casework and governance (referrers and analysts never get this far)."""
    if record.owning_agency_id != request.user.agency_id:
        raise NotVisible(type(record), {"pk": pk})


def _record_views(request: HttpRequest, *, record, subject_id, events, context) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=record,
        subjects=[subject_id],
        purpose="who looked at this record",
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(redacted(request.user, page.object_list))
    for event in page.object_list:
        # Roles are stored as codes; the page shows their names.
        event.actor_role_label = ROLE_NAMES.get(event.actor_role, event.actor_role)
    return render(request, "monitoring/record_views.html", {**context, "page": page, "query": ""})


def case_views(request: HttpRequest, pk) -> HttpResponse:
    """Everyone who opened, changed, shared or exported a case, or was refused it."""
    case = get_visible_or_404(cases_visible_to(request.user).select_related("subject"), pk=pk)
    _require_owner(request, case, pk)
    return _record_views(
        request,
        record=case,
        subject_id=case.subject_id,
        events=selectors.events_on_record(request.user, case),
        context={
            "caption": case.reference,
            "name": case.subject.full_name,
            "back": reverse("cases:detail", args=[case.pk]),
            "noun": "case",
        },
    )


def person_views(request: HttpRequest, pk) -> HttpResponse:
    """Everyone who opened, changed, shared or exported a person, or a case about them."""
    person = get_visible_or_404(people_visible_to(request.user), pk=pk)
    _require_owner(request, person, pk)
    return _record_views(
        request,
        record=person,
        subject_id=person.pk,
        # Opening the holder's own case about them shows them too: those events are listed.
        events=selectors.events_on_record(
            request.user,
            person,
            related_ids=cases_visible_to(request.user)
            .filter(
                Q(subject=person) | Q(links__person=person), owning_agency=person.owning_agency_id
            )
            .values_list("pk", flat=True),
        ),
        context={
            "caption": "Person",
            "name": person.full_name,
            "back": reverse("people:detail", args=[person.pk]),
            "noun": "person",
        },
    )


def alert_list(request: HttpRequest) -> HttpResponse:
    if not can_review_alerts(request.user):
        raise PermissionDenied
    page = Paginator(selectors.alert_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if page.object_list:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=page.object_list,
            purpose="monitoring alert list",
        )
    return render(request, "monitoring/alert_list.html", {"page": page, "query": ""})


def alert_detail(request: HttpRequest, pk) -> HttpResponse:
    """One alert; its agency's IG officers acknowledge it here once they have reviewed it."""
    alert = get_visible_or_404(selectors.alerts_visible_to(request.user), pk=pk)
    may_acknowledge = (
        can_acknowledge_alerts(request.user)
        and not alert.is_acknowledged
        and alert.user_id != request.user.pk
    )
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_acknowledge:
            raise PermissionDenied
        if form.is_valid():
            services.acknowledge_alert(alert=alert, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, "The alert has been acknowledged")
            return redirect("monitoring:alert-list")
    else:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            target=alert,
            object_ids=[alert.user_id],
            purpose="view monitoring alert",
        )
    window = timezone.localdate(alert.window_start), timezone.localdate(alert.window_end)
    context = {
        "alert": alert,
        "form": form,
        "may_acknowledge": may_acknowledge,
        "can_search_audit": account_rules.can_search_audit(request.user),
        "audit_query": (
            f"actor={alert.user_id}&date_from_day={window[0].day}"
            f"&date_from_month={window[0].month}&date_from_year={window[0].year}"
            f"&date_to_day={window[1].day}&date_to_month={window[1].month}"
            f"&date_to_year={window[1].year}"
        ),
    }
    return render(request, "monitoring/alert_detail.html", context)
