"""The read gates of a bundle: the enforcement actions that have one (on the cases the user may
see), and the premises and people it shows (through the people app's gates). `user` None is the
server's operator on the command line, who reads everything."""

from django.db.models import QuerySet

from safehold.cases.models import Case, EnforcementAction
from safehold.cases.selectors import cases_visible_to
from safehold.enforcement.choices import BUNDLE_KINDS
from safehold.people.models import Location, Person
from safehold.people.selectors import locations_visible_to, people_visible_to


def bundle_actions_visible_to(user) -> QuerySet[EnforcementAction]:
    """Closure notices and orders and civil injunctions on the cases the user may see."""
    actions = EnforcementAction.objects.filter(kind__in=list(BUNDLE_KINDS))
    if user is not None:
        actions = actions.filter(case__in=cases_visible_to(user))
    return actions.select_related("case", "case__location", "case__subject", "agency", "against")


def latest_bundle_action(user, case: Case) -> EnforcementAction | None:
    """The case's latest closure notice, closure order or injunction the user may see."""
    return (
        bundle_actions_visible_to(user)
        .filter(case=case)
        .order_by("-started_on", "-created_at")
        .first()
    )


def premises_of(user, action: EnforcementAction) -> Location | None:
    """The case's address, if the user may see it."""
    if action.case.location_id is None:
        return None
    places = Location.objects.all() if user is None else locations_visible_to(user)
    return places.filter(pk=action.case.location_id).first()


def people_of(user, action: EnforcementAction) -> list[tuple[Person, str]]:
    """The people of the bundle with their part: the respondent, the case's subject (the
    resident) and the people linked to the case; only those the user may see, each once."""
    case = action.case
    wanted: list[tuple[object, str]] = []
    if action.against_id:
        wanted.append((action.against_id, "Respondent"))
    wanted.append((case.subject_id, "Resident (the subject of the case)"))
    for link in case.links.order_by("created_at"):
        wanted.append((link.person_id, link.get_role_display()))
    gate = Person.objects.all() if user is None else people_visible_to(user)
    visible = {p.pk: p for p in gate.filter(pk__in=[pk for pk, _ in wanted])}
    seen, people = set(), []
    for pk, part in wanted:
        if pk in visible and pk not in seen:
            seen.add(pk)
            people.append((visible[pk], part))
    return people
