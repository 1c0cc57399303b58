"""One operation: its plan, premises, people of interest, briefing and results; and the page
where its lead agency adds and removes premises and people of interest."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safehold import audit
from safehold.audit.choices import Action
from safehold.audit.purposes import search_purpose
from safehold.cases.selectors import cases_visible_to, referrals_visible_to
from safehold.core.errors import NotPermitted, ServiceError
from safehold.operations import rules, selectors
from safehold.operations.models import OperationClosureNotice, OperationReferral
from safehold.operations.services import planning
from safehold.operations.summary import summarise
from safehold.operations.views.common import operation_led, visible_operation
from safehold.people.selectors import search_locations, search_people
from safehold.reassurance import rules as reassurance_rules

SEARCH_LIMIT = 20


def operation_detail(request: HttpRequest, pk) -> HttpResponse:
    """The operation, to users of the agencies taking part; its premises and people as the
    user's read gates allow; results per premises and in total."""
    operation = visible_operation(request, pk)
    premises = selectors.premises_of(request.user, operation)
    people, hidden_people = selectors.people_of_interest_of(request.user, operation)
    results = list(selectors.results_of(operation))
    day = timezone.localdate(operation.starts_at)
    totals = summarise(type(operation).objects.filter(pk=operation.pk), start=day, end=day)
    links = OperationReferral.objects.filter(operation=operation).select_related("referral")
    visible_referrals = set(
        referrals_visible_to(request.user)
        .filter(pk__in=[link.referral_id for link in links])
        .values_list("pk", flat=True)
    )
    notices = OperationClosureNotice.objects.filter(operation=operation).select_related(
        "action", "action__case"
    )
    visible_cases = set(
        cases_visible_to(request.user)
        .filter(pk__in=[n.action.case_id for n in notices])
        .values_list("pk", flat=True)
    )
    audit.record(
        action=Action.CONSULT, actor=request.user, target=operation,
        object_ids=[loc.pk for _, loc in premises if loc is not None]
        + [link.referral_id for link in links if link.referral_id in visible_referrals],
        subjects=people, purpose="operation page",
    )  # fmt: skip
    context = {
        "operation": operation,
        "partners": operation.partners.select_related("agency"),
        "premises": premises,
        "people": people,
        "hidden_people": hidden_people,
        "results": results,
        "totals": totals,
        "referrals": [(link, link.referral_id in visible_referrals) for link in links],
        "notices": [(n, n.action.case_id in visible_cases) for n in notices],
        "leads": rules.can_plan(request.user) and rules.leads(request.user, operation),
        "may_record": rules.can_record(request.user),
        # Letters and leaflets around a premises (the reassurance planner), and whether the
        # area's crime changed afterwards (the before-and-after page): linked, not copied.
        "may_reassure": reassurance_rules.can_work(request.user),
        "before_after": _before_after_url(operation),
    }
    return render(request, "operations/operation_detail.html", context)


def _before_after_url(operation) -> str:
    """The "Did it work?" page for the operation's LSOA or ward from its day, or "" when the
    operation names no area Safehold holds crime for."""
    area = operation.lsoa_id or operation.ward_id
    if not area:
        return ""
    day = timezone.localdate(operation.starts_at)
    return f"{reverse('crime:before-after')}?{urlencode({'area': area, 'date': day.isoformat()})}"


def operation_targets(request: HttpRequest, pk) -> HttpResponse:
    """Add and remove target premises and people of interest (the lead agency): places and
    people found by the user's own searches, through their read gates."""
    operation = operation_led(request, pk)
    error = ""
    if request.method == "POST":
        try:
            done = _change_targets(request, operation)
        except NotPermitted:
            raise
        except ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, done)
            # Back to the same search, so the next premises of the list is one click away.
            again = request.POST.get("q", "").strip()
            url = reverse("operations:targets", args=[operation.pk])
            return redirect(f"{url}?{urlencode({'q': again})}" if again else url)
    query = request.GET.get("q", "").strip()
    places = people = []
    if query:
        places = list(search_locations(request.user, query=query)[:SEARCH_LIMIT])
        people = list(search_people(request.user, query=query)[:SEARCH_LIMIT])
    premises = selectors.premises_of(request.user, operation)
    current_people, hidden_people = selectors.people_of_interest_of(request.user, operation)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=operation,
        object_ids=[p.pk for p in places] + [loc.pk for _, loc in premises if loc],
        subjects=[*people, *current_people],
        purpose=search_purpose("operation targets", {"q": query}),
    )  # fmt: skip
    rows = {r.person_id: r for r in selectors.people_rows(operation)}
    context = {
        "operation": operation,
        "query": query,
        "places": places,
        "found_people": people,
        # What is already a target shows as added, not with a second "Add" button.
        "added_places": {loc.pk for _, loc in premises if loc},
        "added_people": set(rows),
        "premises": premises,
        "people": [(person, rows[person.pk]) for person in current_people],
        "hidden_people": hidden_people,
        "error": error,
    }
    return render(request, "operations/operation_targets.html", context)


def _change_targets(request, operation) -> str:
    from safehold.people.models import Location, Person

    post = request.POST
    if post.get("add_location"):
        location = Location.objects.filter(pk=post["add_location"]).first()
        if location is None:
            raise NotPermitted("You cannot add that place")
        planning.add_premises(operation=operation, location=location, by=request.user)
        return "The premises has been added"
    if post.get("add_person"):
        person = Person.objects.filter(pk=post["add_person"]).first()
        if person is None:
            raise NotPermitted("You cannot add that person")
        planning.add_person(operation=operation, person=person, by=request.user)
        return "The person of interest has been added"
    if post.get("remove_premises"):
        premises = operation.premises.filter(pk=post["remove_premises"]).first()
        if premises is None:
            raise NotPermitted("That premises is not a target of this operation")
        planning.remove_premises(premises=premises, by=request.user)
        return "The premises has been removed"
    if post.get("remove_person"):
        row = operation.people_of_interest.filter(pk=post["remove_person"]).first()
        if row is None:
            raise NotPermitted("That person is not a person of interest")
        planning.remove_person(row=row, by=request.user)
        return "The person of interest has been removed"
    raise ServiceError("Choose a premises or a person to add or remove")
