"""People and places pages: parse input, call a selector or service, audit the read, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.audit.choices import Action
from safehold.core import dates
from safehold.core.locking import EditConflict, opened
from safehold.core.registry import record_kind, record_notes, record_panels
from safehold.core.visibility import get_visible_or_404
from safehold.geography import postcodes
from safehold.people import restrictions, rules, services
from safehold.people.forms import LocationForm, PersonChangeForm, PersonForm
from safehold.people.maps import place_map
from safehold.people.models import Person
from safehold.people.selectors import (
    locations_visible_to,
    people_visible_to,
    search_locations,
    search_people,
)
from safehold.sharing import selectors as sharing_selectors

PAGE_SIZE = 25


def _require(rule, user) -> None:
    if not rule(user):
        raise PermissionDenied


def _owns(request: HttpRequest, record) -> bool:
    """Casework roles of the agency that holds the record; a shared record is read-only."""
    return rules.can_change_record(request.user, record)


def _record_list(request: HttpRequest, *, search, template: str, noun: str, people: bool):
    """A searchable, paged list of visible records; one consult event names the page shown."""
    _require(account_rules.can_browse_people, request.user)
    query = request.GET.get("q", "").strip()[:100]
    paginator = Paginator(search(request.user, query=query), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    if page.object_list:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=page.object_list,
            subjects=page.object_list if people else (),
            purpose=audit.search_purpose(f"{noun} list", {"q": query}),
        )
    context = {
        "page": page,
        "q": query,
        "query": urlencode({"q": query}) if query else "",
        "can_edit": account_rules.can_edit_people(request.user),
    }
    return render(request, template, context)


def person_list(request: HttpRequest) -> HttpResponse:
    return _record_list(
        request,
        search=search_people,
        template="people/person_list.html",
        noun="person",
        people=True,
    )


def person_detail(request: HttpRequest, pk) -> HttpResponse:
    person = get_visible_or_404(
        people_visible_to(request.user)
        .select_related("owning_agency")
        .prefetch_related("aliases", "vulnerabilities"),
        pk=pk,
    )
    cases = list(
        _cases_visible_to(request.user)
        .filter(Q(subject=person) | Q(links__person=person))
        .distinct()
        .select_related("location")
        .order_by("-referral_date")
    )
    addresses = list(
        locations_visible_to(request.user)
        .filter(cases__in=[c.pk for c in cases])
        .distinct()
        .select_related("ward")
    )
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        targets=[person, *cases, *addresses],
        subjects=[person],
        purpose="view person",
    )
    # Restricted fields reach the template only through `restricted`, and only those the
    # user may see; the template never reads them from `person`.
    visible = restrictions.visible_fields(request.user, person)
    restricted = [
        (Person._meta.get_field(name).verbose_name.capitalize(), getattr(person, name))
        for name in restrictions.RESTRICTED_FIELDS
        if name in visible
    ]
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "cases": cases,
            "addresses": addresses,
            "can_edit": _owns(request, person),
            "restricted": restricted,
            "can_see_views": person.owning_agency_id == request.user.agency_id,
            # Who the person (or a case about them) is shared with: all for the holder, only
            # themselves for a recipient.
            "disclosures": list(
                sharing_selectors.shared_with(request.user, person=person).select_related("case")
            ),
            "holds_record": person.owning_agency_id == request.user.agency_id,
            "can_share": _owns(request, person),
            "today": dates.today(),
            "record_panels": record_panels(request.user, person),
        },
    )


def person_create(request: HttpRequest) -> HttpResponse:
    _require(account_rules.can_edit_people, request.user)
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = services.create_person(
            owning_agency=request.user.agency, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{person.full_name} has been added")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "title": "Add a person"})


def person_edit(request: HttpRequest, pk) -> HttpResponse:
    person = get_visible_or_404(people_visible_to(request.user), pk=pk)
    if not _owns(request, person):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = PersonChangeForm(request.POST, user=request.user, person=person)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version, _ = data.pop("version"), data.pop("seen")
            try:
                services.update_person(person=person, by=request.user, version=version, **data)
            except EditConflict as error:
                # Someone saved first: theirs is kept, and the page shows what it says now.
                person = current = error.current
                form.show_conflict(error, form.facts(current), opened(current, form.facts(current)))
                _audit_edit(request, current, "edit person: changed by someone else meanwhile")
                status = 409
            else:
                messages.success(request, "Your changes have been saved")
                return redirect("people:detail", pk=person.pk)
    else:
        _audit_edit(request, person, "edit person")
        form = PersonChangeForm(
            user=request.user,
            person=person,
            initial={
                "given_name": person.given_name,
                "family_name": person.family_name,
                "aliases": "\n".join(a.name for a in person.aliases.all()),
                "date_of_birth": person.date_of_birth,
                "gender": person.gender,
                "vulnerabilities": list(person.vulnerabilities.all()),
                **{
                    name: getattr(person, name)
                    for name in restrictions.visible_fields(request.user, person)
                },
            },
        )
        form.initial.update(opened(person, form.facts(person)))
    return render(
        request,
        "people/person_form.html",
        {"form": form, "title": f"Change {person.full_name}", "person": person},
        status=status,
    )


def _audit_edit(request: HttpRequest, person: Person, purpose: str) -> None:
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=person,
        subjects=[person],
        purpose=purpose,
    )


def location_list(request: HttpRequest) -> HttpResponse:
    return _record_list(
        request,
        search=search_locations,
        template="people/location_list.html",
        noun="location",
        people=False,
    )


def location_detail(request: HttpRequest, pk) -> HttpResponse:
    location = get_visible_or_404(
        locations_visible_to(request.user).select_related("ward", "lsoa", "owning_agency"), pk=pk
    )
    cases = list(
        _cases_visible_to(request.user)
        .filter(location=location)
        .select_related("subject")
        .order_by("-referral_date")
    )
    people = list(
        people_visible_to(request.user)
        .filter(Q(cases__in=[c.pk for c in cases]) | Q(case_links__case__in=[c.pk for c in cases]))
        .distinct()
    )
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        targets=[location, *cases, *people],
        subjects=people,
        purpose="view location",
    )
    return render(
        request,
        "people/location_detail.html",
        {
            "location": location,
            "record_notes": record_notes(request.user, location),
            "can_edit": _owns(request, location),
            "cases": cases,
            "people": people,
            "map": place_map(location),
        },
    )


def _cases_visible_to(user):
    """The case gate, as the cases app registered it (people may not import cases)."""
    return record_kind("case").visible_to(user)


def _find_postcode(data) -> tuple[LocationForm, postcodes.Found | None]:
    """The form as typed, with the ward, LSOA and coordinates of its postcode filled in; only
    a problem with the postcode itself is shown (the rest is not being saved yet)."""
    data = data.copy()
    found = postcodes.look_up(data.get("postcode", ""))
    if found is not None:
        data["ward"] = found.ward.pk if found.ward else ""
        data["lsoa"] = found.lsoa.pk if found.lsoa else ""
        data["latitude"] = f"{found.place.latitude:.6f}"
        data["longitude"] = f"{found.place.longitude:.6f}"
    form = LocationForm(data)
    form.is_valid()
    postcode_errors = form.errors.get("postcode")
    for name in list(form.errors):
        if name != "postcode":
            del form.errors[name]
    if not postcode_errors and found is None:
        if data.get("postcode", "").strip():
            form.add_error(
                "postcode",
                "We could not find that postcode: check it, or choose the ward and LSOA yourself",
            )
        else:
            form.add_error("postcode", "Enter a postcode to find its ward and LSOA")
    return form, found


def _finding(request: HttpRequest) -> bool:
    return request.method == "POST" and "find" in request.POST


def location_create(request: HttpRequest) -> HttpResponse:
    _require(account_rules.can_edit_people, request.user)
    if _finding(request):
        form, found = _find_postcode(request.POST)
        return render(
            request,
            "people/location_form.html",
            {"form": form, "title": "Add a place", "found": found},
        )
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        location = services.create_location(
            owning_agency=request.user.agency, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"{location.one_line} has been added")
        return redirect("people:location-detail", pk=location.pk)
    return render(request, "people/location_form.html", {"form": form, "title": "Add a place"})


def location_edit(request: HttpRequest, pk) -> HttpResponse:
    location = get_visible_or_404(locations_visible_to(request.user), pk=pk)
    if not _owns(request, location):
        raise PermissionDenied
    found = None
    if _finding(request):
        form, found = _find_postcode(request.POST)
    elif request.method == "POST":
        form = LocationForm(request.POST)
        if form.is_valid():
            services.update_location(location=location, by=request.user, **form.cleaned_data)
            messages.success(request, "Your changes have been saved")
            return redirect("people:location-detail", pk=location.pk)
    else:
        audit.record(
            action=Action.CONSULT, actor=request.user, target=location, purpose="edit location"
        )
        form = LocationForm(
            initial={name: getattr(location, name) for name in services.LOCATION_FIELDS}
        )
    return render(
        request,
        "people/location_form.html",
        {"form": form, "title": "Change place", "location": location, "found": found},
    )
