"""The read gate for people and locations: what these selectors do not return does not exist."""

from django.db.models import Q, QuerySet

from safehold.accounts import rules as account_rules
from safehold.core.visibility import InSubquery
from safehold.people.models import Location, Person, PersonAlias
from safehold.people.search import Lookup, matching, matching_all
from safehold.sharing import selectors as sharing


def people_visible_to(user) -> QuerySet[Person]:
    """People the user's agency owns, plus people disclosed to it in full under a live
    agreement (directly, or as the subject of a disclosed case), for casework roles."""
    if not account_rules.can_browse_people(user):
        return Person.objects.none()
    return people_of_agency(user.agency_id)


def locations_visible_to(user) -> QuerySet[Location]:
    """Locations the user's agency owns, plus the addresses of cases disclosed to it in full."""
    if not account_rules.can_browse_people(user):
        return Location.objects.none()
    return locations_of_agency(user.agency_id)


# What an agency holds, whoever in it asks: for a gate that decides by role itself (the network
# shows the police intelligence role its agency's people and places: ADR 0053).


def people_of_agency(agency_id) -> QuerySet[Person]:
    return Person.objects.filter(Q(owning_agency=agency_id) | sharing.shared_people_q(agency_id))


def locations_of_agency(agency_id) -> QuerySet[Location]:
    return Location.objects.filter(
        Q(owning_agency=agency_id) | InSubquery("pk", sharing.shared_location_ids(agency_id))
    )


def search_people(user, *, query: str = "", within: QuerySet[Person] | None = None):
    """The person list: visible people (or those of `within`, a gate of its own, such as the
    network's) matching a name or alias, with what the list shows fetched in a fixed number of
    queries."""
    people = people_visible_to(user) if within is None else within
    for word in query.split():
        names = Q(given_name__icontains=word) | Q(family_name__icontains=word)
        by_name, by_alias = matching_all(
            Lookup(Person.objects.filter(names).values_list("pk", flat=True), "pk", word, names),
            Lookup(
                PersonAlias.objects.filter(name__icontains=word).values_list("person_id", flat=True),
                "pk", word, Q(aliases__name__icontains=word),
            ),
        )  # fmt: skip
        people = people.filter(by_name | by_alias)
    if query.split():
        people = people.distinct()
    return people.select_related("owning_agency").prefetch_related("aliases", "vulnerabilities")


def search_locations(user, *, query: str = "", within: QuerySet[Location] | None = None):
    locations = locations_visible_to(user) if within is None else within
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
