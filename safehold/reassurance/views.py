"""Reassurance pages: parse input, call a selector or one service, audit what was shown, render.
One module: every page works on the same batch and its addresses (ADR 0043)."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import mark_safe

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core.dates import today
from safehold.core.documents import CONTENT_TYPES, pdf_from_html
from safehold.core.errors import ServiceError
from safehold.core.visibility import get_visible_or_404
from safehold.imports import views as runs
from safehold.imports.registry import UploadPage
from safehold.people.models import Location
from safehold.people.selectors import locations_visible_to
from safehold.reassurance import geometry, letters, rules, selectors, services, uploads
from safehold.reassurance.choices import BatchKind, VisitOutcome
from safehold.reassurance.forms import (
    BatchForm,
    DeliveriesForm,
    PropertyListUploadForm,
    RadiusForm,
    TemplateForm,
    VisitForm,
)
from safehold.reassurance.maps import planner_map

PAGE_SIZE = 25
PREMISES_SHOWN = 200


def _see(request) -> None:
    if not rules.can_see(request.user):
        raise PermissionDenied


def _work(request) -> None:
    if not rules.can_work(request.user):
        raise PermissionDenied


def index(request: HttpRequest) -> HttpResponse:
    """The agency's batches, newest first, and the premises one may plan around."""
    _see(request)
    page = Paginator(selectors.batches_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    premises = list(
        locations_visible_to(request.user)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("postcode", "address_line_1")[:PREMISES_SHOWN]
    )
    shown = [b.premises_id for b in page.object_list] + [p.pk for p in premises]
    if shown:
        audit.record(
            action=Action.CONSULT, actor=request.user, targets=page.object_list,
            object_ids=shown, purpose="reassurance batches",
        )  # fmt: skip
    return render(request, "reassurance/index.html", {"page": page, "premises": premises})


def choose(request: HttpRequest) -> HttpResponse:
    """The premises picked on the index page: on to its planner (or back with an error)."""
    _see(request)
    chosen = request.GET.get("premises", "")
    visible = locations_visible_to(request.user).filter(latitude__isnull=False)
    try:
        place = visible.get(pk=chosen)
    except (ValueError, ValidationError, Location.DoesNotExist):  # not a UUID, or not visible
        messages.error(request, "Select a premises with a known position")
        return redirect("reassurance:index")
    return redirect("reassurance:plan", pk=place.pk)


def plan(request: HttpRequest, pk) -> HttpResponse:
    """Every address within a distance of a premises, on a map and in a table; letters for the
    nearest (or those picked), or a leaflet drop for all (or those picked)."""
    _see(request)
    premises = get_visible_or_404(locations_visible_to(request.user), pk=pk)
    radius_form = RadiusForm(request.GET or {"radius_m": 200})
    radius_m = radius_form.cleaned_data["radius_m"] if radius_form.is_valid() else 200
    centre = selectors.premises_point(premises)
    addresses = selectors.addresses_within(request.user, premises, radius_m) if centre else []
    templates = list(selectors.templates_visible_to(request.user))
    form = BatchForm(
        request.POST if request.method == "POST" else None,
        templates=templates, addresses=addresses, initial={"nearest": 50},
    )  # fmt: skip
    if request.method == "POST":
        _work(request)
        if form.is_valid():
            try:
                batch = _create_batch(request, premises, radius_m, addresses, templates, form)
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"{batch} has been made with {batch.deliveries.count()} addresses"
                )
                return redirect("reassurance:batch", pk=batch.pk)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=premises,
        object_ids=[a.location.pk for a in addresses if a.location],
        purpose="addresses around a premises",
    )  # fmt: skip
    context = {
        "premises": premises, "addresses": addresses, "radius_form": radius_form,
        "radius_m": radius_m, "form": form, "templates": templates,
        "may_work": rules.can_work(request.user),
        "map": planner_map(centre, radius_m, addresses, table_id="addresses") if centre else None,
    }  # fmt: skip
    return render(request, "reassurance/plan.html", context, status=400 if form.errors else 200)


def _create_batch(request, premises, radius_m, addresses, templates, form):
    data = form.cleaned_data
    picked = set(data.get("picked") or [])
    kind = data["kind"]
    if picked:
        chosen = [a for a in addresses if a.key in picked]
    elif kind == BatchKind.LETTERS:
        chosen = selectors.nearest(request.user, premises, data.get("nearest") or 50)
    else:
        chosen = addresses
    version = None
    if kind == BatchKind.LETTERS:
        template = next(t for t in templates if str(t.pk) == data["template"])
        version = template.versions.all()[0]
    return services.create_batch(
        premises=premises, kind=kind, purpose=data["purpose"], addresses=chosen,
        template_version=version, officer_name=data.get("officer_name") or "",
        radius_m=None if kind == BatchKind.LETTERS and not picked else radius_m,
        by=request.user,
    )  # fmt: skip


def _points(deliveries):
    points = []
    for d in deliveries:
        if d.property_id:
            points.append(
                SimpleNamespace(
                    easting=d.property.easting, northing=d.property.northing, one_line=d.address
                )
            )
        elif d.location and d.location.latitude is not None:
            e, n = geometry.to_bng(d.location.latitude, d.location.longitude)
            points.append(SimpleNamespace(easting=e, northing=n, one_line=d.address))
    return points


def _audit_batch(request, batch, deliveries, purpose, channel=None) -> None:
    audit.record(
        action=Action.CONSULT, actor=request.user, target=batch,
        object_ids=[batch.premises_id, *(d.location_id for d in deliveries if d.location_id)],
        purpose=purpose, **({"channel": channel} if channel else {}),
    )  # fmt: skip


def batch_detail(request: HttpRequest, pk) -> HttpResponse:
    """A batch: what it is for, its map and its addresses in walking order, delivered or not."""
    batch = get_visible_or_404(selectors.batches_visible_to(request.user), pk=pk)
    deliveries = list(
        batch.deliveries.select_related("location", "property").prefetch_related("visits")
    )
    _audit_batch(request, batch, deliveries, "reassurance batch page")
    centre = selectors.premises_point(batch.premises)
    radius = batch.radius_m or max([d.distance_m for d in deliveries] + [10])
    context = {
        "batch": batch, "deliveries": deliveries, "may_work": rules.can_work(request.user),
        "delivered": sum(1 for d in deliveries if d.delivered_on),
        "map": planner_map(centre, radius, _points(deliveries), table_id="deliveries") if centre else None,
    }  # fmt: skip
    return render(request, "reassurance/batch.html", context)


def letters_pdf(request: HttpRequest, pk) -> HttpResponse:
    """The batch's letters as one PDF, one letter per page, each with its own reference."""
    batch = get_visible_or_404(
        selectors.batches_visible_to(request.user).filter(kind=BatchKind.LETTERS), pk=pk
    )
    deliveries = list(batch.deliveries.select_related("location", "property"))
    _audit_batch(request, batch, deliveries, "reassurance letters printed", Channel.EXPORT)
    body = batch.template_version.body
    date = f"{batch.created_at.day} {batch.created_at:%B %Y}"
    pages = [
        mark_safe(  # noqa: S308 - letters.render_html escapes the text and every value
            letters.render_html(
                body,
                {
                    "address": d.address,
                    "postcode": d.postcode,
                    "officer_name": batch.officer_name,
                    "agency": batch.owning_agency.name,
                    "date": date,
                    "reference": d.letter_reference,
                    "purpose": batch.purpose,
                },
            )
        )
        for d in deliveries
    ]
    html = render_to_string(
        "reassurance/letters_document.html",
        {"batch": batch, "letters": zip(deliveries, pages, strict=True), "date": date},
        request=request,
    )
    response = HttpResponse(pdf_from_html(html), content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'attachment; filename="{batch.reference}-letters.pdf"'
    return response


def walking_list(request: HttpRequest, pk) -> HttpResponse:
    """The batch's addresses by street and number, to print and carry; deliveries ticked off."""
    batch = get_visible_or_404(selectors.batches_visible_to(request.user), pk=pk)
    deliveries = list(batch.deliveries.select_related("location", "property"))
    waiting = [d for d in deliveries if not d.delivered_on]
    form = DeliveriesForm(
        request.POST if request.method == "POST" else None, deliveries=waiting,
        initial={"delivered_on": today()},
    )  # fmt: skip
    if request.method == "POST":
        _work(request)
        if form.is_valid():
            chosen = set(form.cleaned_data["delivered"])
            try:
                marked = services.record_deliveries(
                    batch=batch, delivered=[d for d in waiting if str(d.pk) in chosen],
                    delivered_on=form.cleaned_data["delivered_on"], by=request.user,
                )  # fmt: skip
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{marked} deliveries have been recorded")
                return redirect("reassurance:walking-list", pk=batch.pk)
    _audit_batch(request, batch, deliveries, "reassurance walking list")
    context = {"batch": batch, "deliveries": deliveries, "form": form, "waiting": waiting,
               "may_work": rules.can_work(request.user)}  # fmt: skip
    return render(
        request, "reassurance/walking_list.html", context, status=400 if form.errors else 200
    )


def visit_add(request: HttpRequest, pk) -> HttpResponse:
    """Record a knock on one address of a batch."""
    delivery = get_visible_or_404(selectors.deliveries_visible_to(request.user), pk=pk)
    _work(request)
    form = VisitForm(
        request.POST if request.method == "POST" else None, initial={"visited_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.record_visit(delivery=delivery, by=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The visit has been recorded")
            return redirect("reassurance:visit", pk=visit.pk)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=delivery,
        object_ids=[delivery.location_id] if delivery.location_id else [],
        purpose="door-to-door visit form",
    )  # fmt: skip
    return render(request, "reassurance/visit_form.html", {"form": form, "delivery": delivery},
                  status=400 if form.errors else 200)  # fmt: skip


def visit_detail(request: HttpRequest, pk) -> HttpResponse:
    """One visit; from a possible unknown victim, one button raises a referral into triage."""
    visit = get_visible_or_404(selectors.visits_visible_to(request.user), pk=pk)
    error = ""
    if request.method == "POST":
        _work(request)
        try:
            referral = services.raise_referral(visit=visit, by=request.user)
        except ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Referral {referral.reference} has been sent to triage")
            return redirect("reassurance:visit", pk=visit.pk)
    delivery = visit.delivery
    audit.record(
        action=Action.CONSULT, actor=request.user, target=visit,
        object_ids=[i for i in (delivery.location_id, visit.referral_id) if i],
        purpose="door-to-door visit page",
    )  # fmt: skip
    context = {"visit": visit, "delivery": delivery, "error": error,
               "may_raise": rules.can_work(request.user) and visit.outcome == VisitOutcome.POSSIBLE_VICTIM and not visit.referral_id}  # fmt: skip
    return render(request, "reassurance/visit.html", context, status=409 if error else 200)


def template_list(request: HttpRequest) -> HttpResponse:
    _see(request)
    templates = list(selectors.templates_visible_to(request.user))
    return render(request, "reassurance/template_list.html", {"templates": templates,
                  "may_work": rules.can_work(request.user)})  # fmt: skip


def _template_form(request, template=None):
    _work(request)
    latest = template.versions.all()[0] if template else None
    initial = {"name": template.name, "body": latest.body} if template else {}
    form = TemplateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for problem in letters.problems(form.cleaned_data["body"]):
            form.add_error("body", problem)
        if not form.errors:
            try:
                version = services.save_template(
                    template=template, by=request.user, **form.cleaned_data
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Version {version.number} of the letter has been saved")
                return redirect("reassurance:template", pk=version.template_id)
    return render(request, "reassurance/template_form.html",
                  {"form": form, "template": template, "fields": letters.FIELDS},
                  status=400 if form.errors else 200)  # fmt: skip


def template_add(request: HttpRequest) -> HttpResponse:
    return _template_form(request)


def template_edit(request: HttpRequest, pk) -> HttpResponse:
    template = get_visible_or_404(selectors.templates_visible_to(request.user), pk=pk)
    return _template_form(request, template)


def template_detail(request: HttpRequest, pk) -> HttpResponse:
    """A template's versions, newest first, the latest shown as a letter would print."""
    template = get_visible_or_404(selectors.templates_visible_to(request.user), pk=pk)
    versions = list(template.versions.all())
    sample = {name: f"[{name.replace('_', ' ')}]" for name in letters.FIELDS}
    preview = mark_safe(letters.render_html(versions[0].body, sample)) if versions else ""  # noqa: S308
    return render(request, "reassurance/template.html", {"template": template, "versions": versions,
                  "preview": preview, "may_work": rules.can_work(request.user)})  # fmt: skip


def property_lists(request: HttpRequest) -> HttpResponse:
    """Every partner's property list and how many properties it holds (no addresses)."""
    _see(request)
    lists = selectors.property_lists_visible_to(request.user).annotate(count=Count("properties"))
    return render(request, "reassurance/property_lists.html", {"lists": lists,
                  "may_import": rules.can_work(request.user)})  # fmt: skip


UPLOAD_PAGE = UploadPage(
    form_class=PropertyListUploadForm,
    template="reassurance/property_import.html",
    run_template="reassurance/property_import_run.html",
    upload_url="reassurance:property-import",
    run_url="reassurance:property-import-run",
    params=lambda form, context: {"name": form.cleaned_data["name"]},
    details=lambda form: {"name": form.cleaned_data["name"]},
    precheck=uploads.precheck,
)


def property_import(request: HttpRequest) -> HttpResponse:
    """Upload a property list: checked whole, imported whole or not at all."""
    return runs.upload(request, kind=uploads.KIND)


def property_import_run(request: HttpRequest, pk) -> HttpResponse:
    return runs.run_detail(request, pk, kind=uploads.KIND)
