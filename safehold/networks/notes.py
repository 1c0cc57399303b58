"""What the network says on an intelligence report's page (core's record-note registry: the
intelligence app does not import the network): to whoever may both read the report in full and
record links, how many links cite it and a way to add one, with the report's reference and grade
filled in as the link's source and grading."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from safehold.networks import rules, selectors


def intelligence_notes(user, intelligence) -> list[dict]:
    from safehold.intelligence import selectors as intelligence_selectors

    if not rules.can_record(user):
        return []
    if intelligence_selectors.access_of(user, intelligence) != intelligence_selectors.FULL:
        return []
    from safehold.intelligence import rules as intelligence_rules

    cited = (
        selectors.links_visible_to(user)
        .filter(Q(intelligence=intelligence) | Q(source_reference=intelligence.reference))
        .count()
    )
    grading = intelligence.grading.replace("/", "")
    query = urlencode({"source": intelligence.reference, "grading": grading})
    said = (
        f"{cited} link{'' if cited == 1 else 's'} in the network cite{'s' if cited == 1 else ''} it"
    )
    if intelligence.is_graded and intelligence_rules.can_assess(user):
        return [{
            "text": f"{said}. Record it in the network: the phones, vehicles and accounts it"
            " names, linked to the report and its place",
            "href": reverse("networks:from-intelligence", args=[intelligence.pk]),
        }]  # fmt: skip
    return [{
        "text": f"{said}. Link what it names into the network (source {intelligence.reference}"
        f"{', grading ' + grading if grading else ''})",
        "href": f"{reverse('networks:link-create')}?{query}",
    }]  # fmt: skip
