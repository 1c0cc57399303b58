"""Information sharing agreements: the list, an agreement's page, recording and keeping one
current, its signed copy, and the record of processing generated from them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from safehold import audit
from safehold.accounts.models import Agency
from safehold.audit.choices import Action, Channel
from safehold.core import dates
from safehold.core.visibility import NotVisible, get_visible_or_404
from safehold.sharing import rules, selectors, services
from safehold.sharing.choices import DATA_CATEGORIES
from safehold.sharing.forms import AgreementDatesForm, AgreementForm, DocumentForm, SignatoryForm
from safehold.sharing.models import InformationSharingAgreement
from safehold.sharing.services import SharingError


def _agreement(request: HttpRequest, pk) -> InformationSharingAgreement:
    """An agreement the user's agency is party to; for anyone else it does not exist."""
    return get_visible_or_404(
        selectors.agreements_visible_to(request.user)
        .select_related("managed_by")
        .prefetch_related("parties"),
        pk=pk,
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = (
        selectors.agreements_visible_to(request.user)
        .select_related("managed_by")
        .prefetch_related("parties")
        .order_by("title")
    )
    return render(
        request,
        "sharing/agreement_list.html",
        {
            "agreements": agreements,
            "can_create": rules.can_manage_agreements(request.user),
        },
    )


def agreement_detail(request: HttpRequest, pk) -> HttpResponse:
    agreement = _agreement(request, pk)
    labels = dict(DATA_CATEGORIES)
    user = request.user
    return render(
        request,
        "sharing/agreement_detail.html",
        {
            "agreement": agreement,
            "data_categories": [labels.get(c, c) for c in agreement.data_categories],
            "signatories": agreement.signatories.select_related("agency").order_by(
                "agency__name", "signed_on"
            ),
            "can_manage": rules.can_manage_agreement(user, agreement),
            "can_sign": rules.can_add_signatory(user, agreement),
        },
    )


def _agreement_form_page(request, form, *, title, submit, agreement=None, multipart=False):
    return render(
        request,
        "sharing/agreement_form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "agreement": agreement,
            "multipart": multipart,
        },
    )


def agreement_create(request: HttpRequest) -> HttpResponse:
    """Record an agreement: the user's agency is a party and manages it."""
    _require(rules.can_manage_agreements(request.user))
    agency = request.user.agency
    form = AgreementForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.create_agreement(
                title=data["title"], purpose=data["purpose"], lawful_basis=data["lawful_basis"],
                legal_gateway=data["legal_gateway"], parties=[agency, *data["parties"]],
                start_date=data["start_date"], review_date=data["review_date"],
                end_date=data["end_date"], managed_by=agency, by=request.user,
                special_category_condition=data["special_category_condition"],
                data_categories=data["data_categories"],
            )  # fmt: skip
        except SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{agreement.title}” has been recorded")
            return redirect("sharing:agreement", pk=agreement.pk)
    return _agreement_form_page(
        request, form, title="Record an information sharing agreement", submit="Save agreement"
    )


def add_signatory(request: HttpRequest, pk) -> HttpResponse:
    agreement = _agreement(request, pk)
    _require(rules.can_add_signatory(request.user, agreement))
    # The managing agency records anyone's signature; another party records its own.
    agencies = (
        agreement.parties.all()
        if rules.can_manage_agreement(request.user, agreement)
        else Agency.objects.filter(pk=request.user.agency_id)
    ).order_by("name")
    form = SignatoryForm(
        request.POST or None, agencies=agencies, initial={"agency": request.user.agency_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_signatory(agreement=agreement, by=request.user, **form.cleaned_data)
        except SharingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{form.cleaned_data['name']} has been added as a signatory")
            return redirect("sharing:agreement", pk=agreement.pk)
    return _agreement_form_page(
        request, form, title="Add a signatory", submit="Add signatory", agreement=agreement
    )


def change_dates(request: HttpRequest, pk) -> HttpResponse:
    """Review an agreement (a new review date) or end it (an end date)."""
    agreement = _agreement(request, pk)
    _require(rules.can_manage_agreement(request.user, agreement))
    form = AgreementDatesForm(
        request.POST or None,
        agreement=agreement,
        initial={"review_date": agreement.review_date, "end_date": agreement.end_date},
    )
    if request.method == "POST" and form.is_valid():
        services.update_agreement_dates(agreement=agreement, by=request.user, **form.cleaned_data)
        messages.success(request, "The review and end dates have been saved")
        return redirect("sharing:agreement", pk=agreement.pk)
    return _agreement_form_page(
        request, form, title="Review or end the agreement", submit="Save", agreement=agreement
    )


def upload_document(request: HttpRequest, pk) -> HttpResponse:
    agreement = _agreement(request, pk)
    _require(rules.can_manage_agreement(request.user, agreement))
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.attach_document(
            agreement=agreement, file=form.cleaned_data["document"], by=request.user
        )
        messages.success(request, "The signed agreement has been uploaded")
        return redirect("sharing:agreement", pk=agreement.pk)
    return _agreement_form_page(
        request,
        form,
        title="Upload the signed agreement",
        submit="Upload",
        agreement=agreement,
        multipart=True,
    )


def download_document(request: HttpRequest, pk) -> HttpResponse:
    """The signed copy, for the agreement's parties only; every download is recorded."""
    agreement = _agreement(request, pk)
    if not agreement.signed_document:
        raise NotVisible(InformationSharingAgreement, {"pk": pk})
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=agreement,
        purpose="signed agreement downloaded",
        channel=Channel.EXPORT,
    )
    name = f"{agreement.title}.pdf".replace("/", "-")
    return FileResponse(agreement.signed_document.open("rb"), as_attachment=True, filename=name)


def _record_of_processing_context(request: HttpRequest) -> dict:
    _require(rules.can_manage_agreements(request.user))
    today = dates.today()
    activities = selectors.record_of_processing(request.user.agency, today=today)
    counts = {}
    for activity in activities:
        counts[activity.status_label] = counts.get(activity.status_label, 0) + 1
    return {
        "controller": request.user.agency,
        "activities": activities,
        "counts": sorted(counts.items()),
        "today": today,
    }


def record_of_processing(request: HttpRequest) -> HttpResponse:
    """UK GDPR Art 30 / DPA 2018 s.61: the agency's processing under its agreements."""
    return render(
        request, "sharing/record_of_processing.html", _record_of_processing_context(request)
    )


def record_of_processing_pdf(request: HttpRequest) -> HttpResponse:
    """The same record as an A4 PDF, rendered offline (nothing is fetched while rendering)."""
    context = _record_of_processing_context(request)
    html = render_to_string("sharing/record_of_processing_pdf.html", context, request=request)
    # Imported here: Pango loads only when a record is printed.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        targets=[a.agreement for a in context["activities"]],
        purpose="record of processing printed",
        channel=Channel.EXPORT,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = context["today"].isoformat()
    response["Content-Disposition"] = f'inline; filename="record-of-processing-{stamp}.pdf"'
    return response
