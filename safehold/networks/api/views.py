"""The network through the API: the same read gate (`selectors.visible_graph`, the group
gates), the same filters and analyses as the pages (`network_views`), the same service to record
a link, and every answer audited with channel api, naming what it returned (ADR 0050).

What the caller may not see is in no answer: the graph, every count and every path are made of
the visible network only, and an entity the caller may not see is answered exactly as one that
does not exist (an empty network, no path)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from safehold import audit
from safehold.api.views import ApiView, RecordDetailView, RecordListView
from safehold.audit.choices import Action, Channel
from safehold.networks import graph, rules, selectors, services
from safehold.networks.analysis import Network, UnknownEntity, shared_objects
from safehold.networks.api.serializers import (
    NetworkAnalysisQuerySerializer,
    NetworkAnalysisSerializer,
    NetworkLinkInputSerializer,
    NetworkLinkSerializer,
    NetworkQuerySerializer,
    NetworkSerializer,
    OcgProfileSerializer,
    OcgSerializer,
)
from safehold.networks.network_views import analysis_rows, filtered

DEFAULT_STEPS = 2  # as the link chart page


class MaySeeNetwork(BasePermission):
    message = "Your role does not see the network."

    def has_permission(self, request, view) -> bool:
        return bool(rules.can_see(request.user))


class MayRecordNetwork(BasePermission):
    message = "Your role does not record the network."

    def has_permission(self, request, view) -> bool:
        return bool(rules.can_record(request.user))


def _record(request, shown: graph.Graph, purpose: str) -> None:
    """One consult event naming everything the answer shows: people as subjects, the other
    entities (places, objects, events, groups) as objects."""
    subjects, objects = selectors.consulted(shown)
    audit.record(
        action=Action.CONSULT, actor=request.user, object_type="networks.entity",
        object_ids=objects, subjects=subjects, purpose=purpose, channel=Channel.API,
    )  # fmt: skip


def _entity(entity: graph.Entity | None) -> dict | None:
    if entity is None:
        return None
    return {"id": entity.id, "type": entity.type, "label": entity.label,
            "attributes": dict(entity.attributes)}  # fmt: skip


def _link(link: graph.Link) -> dict:
    return {"id": link.id, "source": link.source, "target": link.target, "type": link.type,
            "date": link.date, "attributes": dict(link.attributes)}  # fmt: skip


class NetworkView(ApiView):
    """The network the caller may see: entities and the links between them (a link only when
    it and both its ends are visible). `around` an entity to `steps` links, filtered by link
    type and date as the link chart page is. An entity the caller may not see gives an empty
    network, as one that does not exist does."""

    permission_classes = [IsAuthenticated, MaySeeNetwork]

    @extend_schema(parameters=[NetworkQuerySerializer], responses=NetworkSerializer)
    def get(self, request, *args, **kwargs):
        params = self.query_params(NetworkQuerySerializer)
        around = (params.get("around") or "").strip()
        steps = params.get("steps", DEFAULT_STEPS)
        network = selectors.visible_graph(request.user, around=around or None, steps=steps)
        start = network.entity(around) if around else None
        if around and start is None:
            network = graph.Graph()
        shown = filtered(network, params, around)
        _record(request, shown, f"network{' around ' + around if start else ''}")
        return Response(
            NetworkSerializer({
                "around": _entity(start),
                "entities": [_entity(e) for e in shown.entities],
                "links": [_link(k) for k in shown.links],
            }).data
        )  # fmt: skip


class AnalysisView(ApiView):
    """An analysis of the network the caller may see (as the analysis and path pages compute
    it): a measure of every visible entity, the shortest path between two, or the objects seen
    at two or more places. Counts and paths are of the visible network only."""

    permission_classes = [IsAuthenticated, MaySeeNetwork]

    @extend_schema(parameters=[NetworkAnalysisQuerySerializer], responses=NetworkAnalysisSerializer)
    def get(self, request, *args, **kwargs):
        params = self.query_params(NetworkAnalysisQuerySerializer)
        measure = params["measure"]
        visible = selectors.visible_graph(request.user)
        answer = {"measure": measure, "entities": len(visible.entities),
                  "links": len(visible.links), "rows": [], "path": None, "shared": []}  # fmt: skip
        if measure == "path":
            answer["path"], shown = self._path(visible, params["from"], params["to"])
        elif measure == "shared":
            answer["shared"], shown = self._shared(visible)
        else:
            rows = analysis_rows(visible, measure)
            answer["rows"] = [{"entity": _entity(e), "value": value} for e, value in rows]
            shown = graph.Graph.of((e for e, _ in rows), ())
        _record(request, shown, f"network analysis: {measure}")
        return Response(NetworkAnalysisSerializer(answer).data)

    @staticmethod
    def _path(visible: graph.Graph, start: str, end: str) -> tuple[dict, graph.Graph]:
        try:
            path = Network.from_graph(visible).shortest_path(start, end)
        except UnknownEntity:  # hidden and missing are the same: not in the visible network
            path = None
        by_id = {e.id: e for e in visible.entities}
        on_path = [by_id[i] for i in path.entities] if path else []
        named = [by_id[i] for i in (start, end) if i in by_id]
        answer = {
            "start": _entity(by_id.get(start)), "end": _entity(by_id.get(end)),
            "found": path is not None, "length": path.length if path else None,
            "entities": [_entity(e) for e in on_path],
            "links": [_link(k) for k in path.links] if path else [],
        }  # fmt: skip
        return answer, graph.Graph.of({e.id: e for e in [*named, *on_path]}.values(), ())

    @staticmethod
    def _shared(visible: graph.Graph) -> tuple[list[dict], graph.Graph]:
        by_id = {e.id: e for e in visible.entities}
        found, named = [], {}
        for item in shared_objects(visible):
            named[item.object] = by_id[item.object]
            places = []
            for place in item.places:
                through = [by_id[p] for p in place.through]
                named |= {e.id: e for e in [by_id[place.location], *through]}
                places.append({
                    "location": _entity(by_id[place.location]), "direct": place.direct,
                    "through": [_entity(p) for p in through],
                })  # fmt: skip
            found.append({"object": _entity(by_id[item.object]), "places": places})
        return found, graph.Graph.of(named.values(), ())


class LinkCreate(ApiView):
    """Record a link between two entities the caller may see, in the caller's agency's name."""

    permission_classes = [IsAuthenticated, MayRecordNetwork]

    @extend_schema(
        request=NetworkLinkInputSerializer,
        responses={201: NetworkLinkSerializer},
        description="Record a link as the 'Add a link' page does. An end the caller may not "
        "see is 404, as one that does not exist; bad input is 400 with field errors.",
    )
    def post(self, request, *args, **kwargs):
        incoming = NetworkLinkInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        link = services.add_link(
            end_a=data["end_a"].strip(), end_b=data["end_b"].strip(), type=data["type"],
            date_from=data.get("date_from"), date_to=data.get("date_to"),
            source_reference=data.get("source_reference", ""), grading=data.get("grading", ""),
            by=request.user,
        )  # fmt: skip
        attributes = {"source": link.source_reference, "grading": link.grading}
        if link.date_to:
            attributes["date_to"] = link.date_to.isoformat()
        answer = graph.Link(
            f"link:{link.pk}", link.end_a, link.end_b, link.type, link.date_from,
            {k: v for k, v in attributes.items() if v},
        )  # fmt: skip
        return Response(NetworkLinkSerializer(_link(answer)).data, status=status.HTTP_201_CREATED)


class _Groups:
    noun = "organised crime group"

    def get_queryset(self):
        return selectors.ocg_list(self.request.user)


class GroupList(_Groups, RecordListView):
    """The organised crime groups the caller may see, by name: what each does and where, its
    current members counted (never named) and its latest threat band."""

    serializer_class = OcgSerializer
    permission_classes = [IsAuthenticated, MaySeeNetwork]


class GroupDetail(_Groups, RecordDetailView):
    """One group's profile; a group the caller may not see is 404. Members and premises only as
    the caller's gates for people and places allow, with how many others there are."""

    serializer_class = OcgProfileSerializer

    def retrieve(self, request, *args, **kwargs):
        ocg = self.get_object()
        members, hidden_members = selectors.members_of(request.user, ocg)
        premises, hidden_premises = selectors.premises_of(request.user, ocg)
        audit.record(
            action=Action.CONSULT, actor=request.user, target=ocg,
            object_ids=[place.pk for _, place in premises],
            subjects=[person for _, person in members], purpose="OCG profile",
            channel=Channel.API,
        )  # fmt: skip
        profile = {
            "members": members, "hidden_members": hidden_members, "premises": premises,
            "hidden_premises": hidden_premises,
            "assessment": selectors.latest_assessment(ocg),
            "actions": list(selectors.actions_of(ocg)),
            "history": list(selectors.history_of(ocg)[:50]),
        }  # fmt: skip
        return Response(
            self.get_serializer(ocg, context={"request": request, "profile": profile}).data
        )
