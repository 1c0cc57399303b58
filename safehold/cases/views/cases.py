"""The case list and the case page, and every change made from it."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.accounts.models import User
from safehold.audit.choices import Action, Channel
from safehold.cases import selectors
from safehold.cases.choices import CaseStatus, ExploitationType, RiskLevel
from safehold.cases.deadlines import deadlines_for
from safehold.cases.forms.cases import (
    CloseForm,
    DocumentForm,
    EnforcementForm,
    EnforcementUpdateForm,
    EntryForm,
    InterventionForm,
    LinkPersonForm,
    ReopenForm,
    RiskForm,
    TaskForm,
)
from safehold.cases.models import Case, EnforcementAction, EnforcementDocument
from safehold.cases.services import cases as services
from safehold.cases.services.cases import CaseClosed, CaseError
from safehold.core.exports import append_row, streaming_csv_writer
from safehold.core.visibility import get_visible_or_404
from safehold.geography.models import NeighbourhoodArea
from safehold.people import services as people_services
from safehold.people.models import Person
from safehold.people.selectors import people_visible_to
from safehold.sharing import selectors as sharing_selectors

PAGE_SIZE = 50
SORTS = {
    "reference": "reference",
    "received": "referral_date",
    "subject": "subject__family_name",
    "risk": "risk_rank",
    "status": "status",
}


# The list's filters by the name of their query parameter, for the audit purpose.
PARAMETERS = {
    "query": "q",
    "status": "status",
    "exploitation_type": "type",
    "area_id": "area",
    "risk_level": "risk",
    "lead_officer_id": "officer",
    "overdue_only": "overdue",
}


def _filters(request: HttpRequest) -> dict:
    get = request.GET
    return {
        "query": get.get("q", "").strip()[:100],
        "status": get.get("status", "") if get.get("status") in CaseStatus.values else "",
        "exploitation_type": get.get("type", "")
        if get.get("type") in ExploitationType.values
        else "",
        "area_id": get.get("area", "") if get.get("area", "").isdigit() else "",
        "risk_level": get.get("risk", "") if get.get("risk") in RiskLevel.values else "",
        "lead_officer_id": get.get("officer", "") if len(get.get("officer", "")) == 36 else "",
        "overdue_only": get.get("overdue") == "yes",
    }


def _search_purpose(request: HttpRequest, what: str, **kwargs) -> str:
    """What was searched for, by the names of the filters used: never the words typed."""
    return audit.search_purpose(
        what, [PARAMETERS[name] for name, value in _filters(request).items() if value], **kwargs
    )


def _sorted_cases(request: HttpRequest):
    sort = request.GET.get("sort", "-received")
    key = SORTS.get(sort.lstrip("-"), "referral_date")
    order = f"-{key}" if sort.startswith("-") else key
    return selectors.search_cases(request.user, **_filters(request), order=order), sort


def case_list(request: HttpRequest) -> HttpResponse:
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    cases, sort = _sorted_cases(request)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=page.object_list,
            subjects=[c.subject_id for c in page.object_list],
            purpose=_search_purpose(request, "case list"),
        )
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("sort", None)
    filters = _filters(request)
    context = {
        "page": page,
        "sort": sort,
        "filters": filters,
        "query": urlencode({**params.dict(), "sort": sort}),
        "filter_query": params.urlencode(),
        "statuses": CaseStatus.choices,
        "types": ExploitationType.choices,
        "risks": RiskLevel.choices,
        "areas": NeighbourhoodArea.objects.order_by("name"),
        "officers": User.objects.filter(agency=request.user.agency_id, led_cases__isnull=False)
        .distinct()
        .order_by("full_name"),
        "columns": [
            ("reference", "Reference"),
            ("subject", "Person"),
            ("received", "Referred"),
            ("risk", "Risk"),
            ("status", "Status"),
        ],
        "can_edit": account_rules.can_edit_people(request.user),
    }
    return render(request, "cases/case_list.html", context)


EXPORT_COLUMNS = [
    "reference", "referral_date", "status", "closed_on", "closure_reason", "exploitation_type",
    "risk_level", "area", "subject", "postcode", "lead_officer", "overdue_tasks",
]  # fmt: skip


def _export_rows(cases):
    for c in cases.iterator(chunk_size=2000) if hasattr(cases, "iterator") else cases:
        yield [
            c.reference, c.referral_date.isoformat(), c.status, c.closed_on.isoformat() if c.closed_on else "",
            c.closure_reason, c.exploitation_type, c.risk_level, c.area.name if c.area else "",
            c.subject.full_name, c.location.postcode if c.location else "",
            c.lead_officer.full_name if c.lead_officer else "", "yes" if c.has_overdue else "no",
        ]  # fmt: skip


def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered case list as CSV or XLSX (?format=xlsx); the export is audited."""
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    cases, _ = _sorted_cases(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    ids = list(cases.values_list("pk", "subject_id"))
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        object_type="cases.case",
        object_ids=[pk for pk, _ in ids],
        subjects=[s for _, s in ids],
        purpose=_search_purpose(request, f"case list export ({fmt})", joined_by=": "),
        channel=Channel.EXPORT,
    )
    stamp = datetime.date.today().isoformat()
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Cases")
        append_row(sheet, EXPORT_COLUMNS)
        for row in _export_rows(cases):
            append_row(sheet, row)
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        workbook.save(response)
        response["Content-Disposition"] = f'attachment; filename="safehold-cases-{stamp}.xlsx"'
        return response

    writer = streaming_csv_writer()

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for row in _export_rows(cases):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="safehold-cases-{stamp}.csv"'
    return response


def _case(request: HttpRequest, pk) -> Case:
    return get_visible_or_404(
        selectors.cases_visible_to(request.user).select_related(
            "subject", "programme", "owning_agency"
        ),
        pk=pk,
    )


def _may_edit(request: HttpRequest, case: Case) -> bool:
    """Casework roles of the agency that holds the case; a shared case is read-only."""
    return (
        account_rules.can_edit_people(request.user)
        and case.owning_agency_id == request.user.agency_id
    )


def _require_edit(request: HttpRequest, case: Case) -> None:
    if not _may_edit(request, case):
        raise PermissionDenied


def case_detail(request: HttpRequest, pk) -> HttpResponse:
    case = get_visible_or_404(selectors.case_detail(request.user, pk), pk=pk)
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=case,
        subjects=[case.subject_id],
        purpose="view case",
    )
    today = datetime.date.today()
    tasks = list(case.tasks.all())
    enforcement = [(action, deadlines_for(action)) for action in case.enforcement.all()]
    # A person another agency shared and then stopped sharing stays linked, but unnamed here.
    linked = [link.person_id for link in case.links.all()]
    context = {
        "case": case,
        "named_people": set(
            people_visible_to(request.user).filter(pk__in=linked).values_list("pk", flat=True)
        ),
        "chronology": list(case.chronology.all()),
        "tasks": tasks,
        "open_tasks": [t for t in tasks if t.status == "open"],
        "overdue": [t for t in tasks if t.status == "open" and t.due_on < today],
        "enforcement": enforcement,
        "can_edit": _may_edit(request, case) and not case.is_closed,
        "can_reopen": _may_edit(request, case) and case.is_closed,
        "today": today,
        # Who the case is shared with: everyone for its holder, only themselves for a recipient.
        "disclosures": list(sharing_selectors.shared_with(request.user, case=case)),
        "holds_record": case.owning_agency_id == request.user.agency_id,
        "can_share": _may_edit(request, case),
    }
    return render(request, "cases/case_detail.html", context)


def _form_page(
    request, case, form, *, title: str, submit: str, status: int = 200, multipart: bool = False
):
    """A form about a case: it shows the case's subject (and any people offered in its lists),
    so showing it is a consultation of them."""
    offered = [
        field.queryset.values_list("pk", flat=True)
        for field in form.fields.values()
        if getattr(field, "queryset", None) is not None and field.queryset.model is Person
    ]
    audit.record(
        action=Action.CONSULT, actor=request.user, target=case,
        subjects=[case.subject_id, *(pk for people in offered for pk in people)],
        purpose=f"case form: {title}",
    )  # fmt: skip
    return render(
        request,
        "cases/case_form.html",
        {"case": case, "form": form, "title": title, "submit": submit, "multipart": multipart},
        status=status,
    )


def _run(request: HttpRequest, case: Case, action) -> HttpResponse | None:
    """Call a service; a closed case or a refused change becomes a message, not an error page."""
    try:
        action()
    except (CaseClosed, CaseError) as error:
        messages.error(request, str(error))
        return redirect("cases:detail", pk=case.pk)
    return None


def _action(
    title: str, submit: str, form_class, apply, *, form_kwargs=None, multipart: bool = False
):
    """A page with one form that changes a case: GET shows it, POST applies it."""

    def view(request: HttpRequest, pk) -> HttpResponse:
        case = _case(request, pk)
        _require_edit(request, case)
        if case.is_closed:
            messages.error(request, f"Case {case.reference} is closed: reopen it to make changes")
            return redirect("cases:detail", pk=case.pk)
        kwargs = form_kwargs(request, case) if form_kwargs else {}
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, **kwargs)
            if form.is_valid():
                failed = _run(request, case, lambda: apply(request, case, form))
                if failed:
                    return failed
                messages.success(request, f"{title}: saved")
                return redirect("cases:detail", pk=case.pk)
            return _form_page(request, case, form, title=title, submit=submit, multipart=multipart)
        return _form_page(
            request, case, form_class(**kwargs), title=title, submit=submit, multipart=multipart
        )

    return view


def _add_entry(request, case, form):
    data = form.cleaned_data
    services.add_entry(
        case=case,
        by=request.user,
        kind=data["kind"],
        occurred_at=form.occurred_at(),
        summary=data["summary"],
        item=data["item"],
    )


def _people_kwargs(request, case):
    return {
        "people": people_visible_to(request.user)
        .exclude(pk=case.subject_id)
        .order_by("family_name", "given_name")
    }


def _link_person(request, case, form):
    data = form.cleaned_data
    person = data["person"] or people_services.create_person(
        owning_agency=case.owning_agency,
        given_name=data["given_name"],
        family_name=data["family_name"],
        by=request.user,
    )
    services.link_person(
        case=case, by=request.user, person=person, role=data["role"], notes=data["notes"]
    )


def _add_intervention(request, case, form):
    services.add_intervention(case=case, by=request.user, **form.cleaned_data)


def _add_enforcement(request, case, form):
    data = form.cleaned_data
    action = services.add_enforcement(
        case=case, by=request.user, kind=data["kind"], status=data["status"], agency=data["agency"],
        started_on=data["started_on"], served_at=form.served_at(), ends_on=data["ends_on"],
        against=data["against"], notes=data["notes"],
    )  # fmt: skip
    if data.get("document"):
        services.add_document(action=action, by=request.user, file=data["document"])


def _add_task(request, case, form):
    data = form.cleaned_data
    services.add_task(
        case=case, by=request.user, title=data["title"], due_on=data["due_on"], owner=data["owner"]
    )


def _change_risk(request, case, form):
    services.change_risk(case=case, by=request.user, **form.cleaned_data)


def _close(request, case, form):
    data = form.cleaned_data
    services.close_case(
        case=case, by=request.user, reason=data["reason"], closed_on=data["closed_on"],
        tenancy_sustained=form.tenancy(), notes=data["notes"],
    )  # fmt: skip


add_entry = _action("Add to the chronology", "Save", EntryForm, _add_entry)
link_person = _action(
    "Link a person", "Link person", LinkPersonForm, _link_person, form_kwargs=_people_kwargs
)
add_intervention = _action("Add an intervention", "Save", InterventionForm, _add_intervention)
add_enforcement = _action(
    "Add an enforcement action",
    "Save",
    EnforcementForm,
    _add_enforcement,
    form_kwargs=_people_kwargs,
    multipart=True,
)
add_task = _action(
    "Add a task",
    "Save",
    TaskForm,
    _add_task,
    form_kwargs=lambda request, case: {"agency_id": case.owning_agency_id},
)
change_risk = _action("Change the risk level", "Save", RiskForm, _change_risk)
close = _action("Close the case", "Close case", CloseForm, _close)


def reopen(request: HttpRequest, pk) -> HttpResponse:
    case = _case(request, pk)
    _require_edit(request, case)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        failed = _run(
            request,
            case,
            lambda: services.reopen_case(
                case=case, by=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if failed:
            return failed
        messages.success(request, f"Case {case.reference} reopened")
        return redirect("cases:detail", pk=case.pk)
    return _form_page(request, case, form, title="Reopen the case", submit="Reopen case")


def _enforcement(request: HttpRequest, pk) -> EnforcementAction:
    return get_visible_or_404(
        EnforcementAction.objects.filter(
            case__in=selectors.cases_visible_to(request.user)
        ).select_related("case"),
        pk=pk,
    )


def enforcement_update(request: HttpRequest, pk) -> HttpResponse:
    action = _enforcement(request, pk)
    _require_edit(request, action.case)
    initial = {"status": action.status, "ends_on": action.ends_on}
    form = EnforcementUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        failed = _run(
            request,
            action.case,
            lambda: services.update_enforcement(
                action=action, by=request.user, **form.cleaned_data
            ),
        )
        if failed:
            return failed
        messages.success(request, f"{action.get_kind_display()}: saved")
        return redirect("cases:detail", pk=action.case_id)
    return _form_page(
        request, action.case, form, title=f"Update: {action.get_kind_display()}", submit="Save"
    )


def enforcement_document(request: HttpRequest, pk) -> HttpResponse:
    action = _enforcement(request, pk)
    _require_edit(request, action.case)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        failed = _run(
            request,
            action.case,
            lambda: services.add_document(
                action=action,
                by=request.user,
                file=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
            ),
        )
        if failed:
            return failed
        messages.success(request, "Document added")
        return redirect("cases:detail", pk=action.case_id)
    return _form_page(
        request,
        action.case,
        form,
        title=f"Add a document: {action.get_kind_display()}",
        submit="Upload",
        multipart=True,
    )


def document(request: HttpRequest, pk) -> HttpResponse:
    """Download an enforcement document: visible cases only, and audited."""
    doc = get_visible_or_404(
        EnforcementDocument.objects.filter(
            action__case__in=selectors.cases_visible_to(request.user)
        ).select_related("action__case"),
        pk=pk,
    )
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=doc,
        object_ids=[doc.action.case_id],
        subjects=[doc.action.case.subject_id],
        purpose=f"{doc.action.case.reference}: document downloaded",
        channel=Channel.EXPORT,
    )
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


urlpatterns = [
    path("", case_list, name="list"),
    path("export/", case_export, name="export"),
    path("<uuid:pk>/", case_detail, name="detail"),
    path("<uuid:pk>/chronology/add/", add_entry, name="add-entry"),
    path("<uuid:pk>/people/add/", link_person, name="link-person"),
    path("<uuid:pk>/interventions/add/", add_intervention, name="add-intervention"),
    path("<uuid:pk>/enforcement/add/", add_enforcement, name="add-enforcement"),
    path("<uuid:pk>/tasks/add/", add_task, name="add-task"),
    path("<uuid:pk>/risk/", change_risk, name="change-risk"),
    path("<uuid:pk>/close/", close, name="close"),
    path("<uuid:pk>/reopen/", reopen, name="reopen"),
    path("enforcement/<uuid:pk>/", enforcement_update, name="enforcement-update"),
    path("enforcement/<uuid:pk>/documents/add/", enforcement_document, name="enforcement-document"),
    path("documents/<uuid:pk>/", document, name="document"),
]
