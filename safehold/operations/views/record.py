"""Recording an operation's results, and what it hands to the casework: a safeguarding
referral (into triage) and a closure notice served (onto its case)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases.selectors import cases_visible_to
from safehold.core.errors import NotPermitted, ServiceError
from safehold.operations import selectors
from safehold.operations.forms import ClosureNoticeForm, ReferralForm, ResultsForm
from safehold.operations.services import casework, results
from safehold.operations.views.common import (
    chosen_premises,
    operation_taken_part_in,
    premises_choices,
)


def _form_page(request, operation, form_class, template, save):
    """A form about the operation: on a valid POST, `save(form)` (a service call) and back to
    the operation's page; a service's refusal shown in the error summary."""
    premises = selectors.premises_of(request.user, operation)
    choices = premises_choices(premises)
    form = form_class(request.POST if request.method == "POST" else None, premises_choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            done = save(form, chosen_premises(operation, form.cleaned_data.get("premises")))
        except NotPermitted:
            raise
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("operations:detail", pk=operation.pk)
    # The premises' addresses are shown in the form: a consultation of those places.
    audit.record(
        action=Action.CONSULT, actor=request.user, target=operation,
        object_ids=[location.pk for _, location in premises if location is not None],
        purpose=f"{template.split('/')[-1].removesuffix('.html').replace('_', ' ')} form",
    )  # fmt: skip
    return render(request, template, {"form": form, "operation": operation})


def record_results(request: HttpRequest, pk) -> HttpResponse:
    operation = operation_taken_part_in(request, pk)

    def save(form, premises):
        results.record_results(
            operation=operation, premises=premises, by=request.user, **form.service_arguments()
        )
        return "The results have been recorded"

    return _form_page(request, operation, ResultsForm, "operations/results_form.html", save)


def raise_referral(request: HttpRequest, pk) -> HttpResponse:
    operation = operation_taken_part_in(request, pk)

    def save(form, premises):
        data = form.cleaned_data
        link = casework.raise_referral(
            operation=operation, premises=premises, by=request.user,
            what_was_seen=data["what_was_seen"], urgency=data["urgency"], consent=data["consent"],
            subject_given_name=data["subject_given_name"],
            subject_family_name=data["subject_family_name"],
            subject_description=data["subject_description"],
            suspected_types=data["suspected_types"],
        )  # fmt: skip
        return f"Safeguarding referral {link.referral.reference} has been sent to triage"

    return _form_page(request, operation, ReferralForm, "operations/referral_form.html", save)


def serve_closure_notice(request: HttpRequest, pk) -> HttpResponse:
    operation = operation_taken_part_in(request, pk)

    def save(form, premises):
        reference = form.cleaned_data["case_reference"].strip().upper()
        case = cases_visible_to(request.user).filter(reference=reference).first()
        if case is None:
            raise ServiceError(f"There is no case {reference} that you can see")
        try:
            casework.serve_closure_notice(
                operation=operation, premises=premises, case=case, by=request.user,
                served_at=form.served_at(),
            )  # fmt: skip
        except NotPermitted as exc:
            # The case is visible but not the user's to change: say so on the form.
            raise ServiceError(f"You cannot record enforcement on case {case.reference}") from exc
        return f"The closure notice has been recorded on case {case.reference}"

    return _form_page(
        request, operation, ClosureNoticeForm, "operations/closure_notice_form.html", save
    )
