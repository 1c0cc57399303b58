"""Subject access requests: log one, see its due date, download the export."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold.core import dates
from safehold.governance import selectors, services
from safehold.governance.forms import SubjectAccessRequestForm
from safehold.governance.services import GovernanceError
from safehold.governance.subject_access.services import export_subject_access
from safehold.governance.views.common import consult, held, person_of, require_govern

# --- Overview --------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    require_govern(request)
    return render(request, "governance/index.html")


# --- Subject access --------------------------------------------------------------------------


def subject_access(request: HttpRequest, pk) -> HttpResponse:
    """A person's subject access requests, holds and erasure; POST logs a new request."""
    person = person_of(request, pk)
    form = SubjectAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sar = services.log_subject_access_request(
                person=person, by=request.user, **form.cleaned_data
            )
        except GovernanceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"The request has been logged: it is due by {sar.due_on:%-d %B %Y}"
            )
            return redirect("governance:sar-detail", pk=sar.pk)
    consult(request, [person], subjects=[person], purpose="subject access: person")
    today = dates.today()
    return render(
        request,
        "governance/person.html",
        {
            "person": person,
            "form": form,
            "requests": list(person.subject_access_requests.select_related("created_by")),
            "holds": list(selectors.holds_visible_to(request.user).filter(person=person)),
            "today": today,
        },
        status=400 if form.errors else 200,
    )


def _sar(request: HttpRequest, pk):
    return held(request, selectors.subject_access_requests_held_by(request.user), pk)


def sar_detail(request: HttpRequest, pk) -> HttpResponse:
    sar = _sar(request, pk)
    consult(request, [sar], subjects=[sar.person_id], purpose="subject access request viewed")
    return render(
        request,
        "governance/sar_detail.html",
        {
            "sar": sar,
            "days_left": sar.days_left(dates.today()),
            "days_overdue": -sar.days_left(dates.today()),
        },
    )


def sar_download(request: HttpRequest, pk) -> HttpResponse:
    """The export (POST, since it answers the request); a GET goes back to the request page."""
    sar = _sar(request, pk)
    if request.method != "POST":
        return redirect("governance:sar-detail", pk=sar.pk)
    export = export_subject_access(request=sar, by=request.user)
    response = HttpResponse(export.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def sar_list(request: HttpRequest) -> HttpResponse:
    require_govern(request)
    requests = selectors.subject_access_requests_visible_to(request.user)
    open_requests = list(requests.filter(completed_at__isnull=True).order_by("due_on"))
    completed = list(requests.filter(completed_at__isnull=False).order_by("-completed_at")[:50])
    listed = open_requests + completed
    today = dates.today()
    for r in open_requests:
        r.days_left_now = r.days_left(today)
    consult(
        request,
        listed,
        subjects=[r.person_id for r in listed],
        purpose="subject access request list",
    )
    return render(
        request,
        "governance/sar_list.html",
        {"open": open_requests, "completed": completed, "today": today},
    )
