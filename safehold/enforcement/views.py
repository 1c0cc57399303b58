"""The "Build the application bundle" page of an enforcement action: a form (who it is for,
which parts), and on sending it the PDF, built now and audited by the service."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.audit.choices import Action
from safehold.core import dates
from safehold.core.visibility import get_visible_or_404
from safehold.enforcement import rules, selectors, services
from safehold.enforcement.forms import BundleForm


def file_name(action) -> str:
    kind = action.kind.replace("_", "-")
    return f"bundle-{action.case.reference}-{kind}-{dates.today().isoformat()}.pdf"


def bundle(request: HttpRequest, pk) -> HttpResponse:
    action = get_visible_or_404(selectors.bundle_actions_visible_to(request.user), pk=pk)
    if not rules.can_build_bundle(request.user, action):
        raise PermissionDenied
    form = BundleForm(request.POST if request.method == "POST" else None, kind=action.kind)
    if request.method == "POST" and form.is_valid():
        try:
            pdf = services.build_bundle(
                action=action,
                by=request.user,
                recipients=form.cleaned_data["recipients"],
                sections=form.cleaned_data["sections"],
            )
        except services.BundleError as error:
            form.add_error(None, str(error))
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{file_name(action)}"'
            return response
    documents = list(action.documents.order_by("created_at"))
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=action,
        object_ids=[action.case_id, *(d.pk for d in documents)],
        purpose=f"{action.case.reference}: application bundle form",
    )
    return render(
        request,
        "enforcement/bundle_form.html",
        {"action": action, "case": action.case, "form": form, "documents": documents},
        status=400 if form.errors else 200,
    )
