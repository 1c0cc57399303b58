"""The read gate for people and locations: what these selectors do not return does not exist."""

from django.db.models import Q, QuerySet

from safehold.accounts import rules as account_rules
from safehold.people.models import Location, Person, PersonAlias
from safehold.people.search import matching
from safehold.sharing import selectors as sharing


def people_visible_to(user) -> QuerySet[Person]:
    """People the user's agency owns, plus people disclosed to it in full under a live
    agreement (directly, or as the subject of a disclosed case), for casework roles."""
    if not account_rules.can_browse_people(user):
        return Person.objects.none()
    return Person.objects.filter(
        Q(owning_agency=user.agency_id) | sharing.shared_people_q(user.agency_id)
    )


def locations_visible_to(user) -> QuerySet[Location]:
    """Locations the user's agency owns, plus the addresses of cases disclosed to it in full."""
    if not account_rules.can_browse_people(user):
        return Location.objects.none()
    return Location.objects.filter(
        Q(owning_agency=user.agency_id) | Q(pk__in=sharing.shared_location_ids(user.agency_id))
    )


def search_people(user, *, query: str = "") -> QuerySet[Person]:
    """The person list: visible people matching a name or alias, with what the list shows
    fetched in a fixed number of queries."""
    people = people_visible_to(user)
    for word in query.split():
        names = Q(given_name__icontains=word) | Q(family_name__icontains=word)
        people = people.filter(
            matching(
                Person.objects.filter(names).values_list("pk", flat=True),
                field="pk", word=word, otherwise=names,
            )
            | matching(
                PersonAlias.objects.filter(name__icontains=word).values_list("person_id", flat=True),
                field="pk", word=word, otherwise=Q(aliases__name__icontains=word),
            )
        )  # fmt: skip
    if query.split():
        people = people.distinct()
    return people.select_related("owning_agency").prefetch_related("aliases", "vulnerabilities")


def search_locations(user, *, query: str = "") -> QuerySet[Location]:
    locations = locations_visible_to(user)
    for word in query.split():
        place = (
            Q(address_line_1__icontains=word) | Q(address_line_2__icontains=word)
            | Q(town__icontains=word) | Q(postcode__icontains=word)
        )  # fmt: skip
        locations = locations.filter(
            matching(
                Location.objects.filter(place).values_list("pk", flat=True),
                field="pk", word=word, otherwise=place,
            )
        )  # fmt: skip
    return locations.select_related("ward", "owning_agency")
