"""The network as a whole: the link chart around an entity (or of a group), the analyses
(components, degree, betweenness, communities, shared objects), the path between two entities,
and the chart's downloads (SVG and PNG pictures; i2 ANX, GraphML and CSV files). Everything is
computed over `selectors.visible_graph(user)`: what the user may not see is in no picture, count
or path (ADR 0050, ADR 0051). Each page records what it showed; each download is an export."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core import dates
from safehold.core.exports import csv_writer
from safehold.networks import graph, rules, selectors
from safehold.networks.analysis import Network, UnknownEntity, shared_objects
from safehold.networks.chart import LinkChart, style_of
from safehold.networks.choices import LinkType
from safehold.networks.formats import write_anx, write_csv_zip, write_graphml

BIGGEST_CHART = 500  # entities: past this, the page asks for an entity or a group to start from
TARGET_TYPES = ("ocg", "location", "person", "phone", "vehicle")  # what a path is asked to
TOP = 50  # rows of an analysis shown on the page (the CSV has them all)
# Links in a chart's table unless all are asked for (`?rows=all`): past this, the table's HTML
# costs the browser more than the chart does (bench/network_chart.py), and the chart itself, its
# keyboard navigation and the CSV carry every link.
TABLE_ROWS = 200
DOWNLOADS = {
    "svg": ("image/svg+xml", "svg"),
    "png": ("image/png", "png"),
    "anx": ("application/xml", "anx"),
    "graphml": ("application/graphml+xml", "graphml"),
    "csv": ("application/zip", "zip"),
}


class ChartForm(forms.Form):
    """What the chart shows: around which entity, how far, which links, which dates."""

    around = forms.CharField(required=False, widget=forms.HiddenInput)
    steps = forms.TypedChoiceField(
        label="Steps from it", coerce=int, initial=2, required=False,
        choices=[(1, "1 link"), (2, "2 links"), (3, "3 links"), (4, "4 links")],
    )  # fmt: skip
    types = forms.MultipleChoiceField(
        label="Links to show", required=False, choices=LinkType.choices,
        widget=forms.CheckboxSelectMultiple, help_text="None ticked: every kind of link.",
    )  # fmt: skip
    start = forms.DateField(
        label="Links from (optional)", required=False, help_text="For example, 2026-01-31"
    )
    end = forms.DateField(label="Links to (optional)", required=False)
    format = forms.ChoiceField(required=False, choices=[("", "")] + [(k, k) for k in DOWNLOADS])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The last date must be the same as or after the first date")
        return data


def filtered(network: graph.Graph, data: dict, around: str) -> graph.Graph:
    """The links of the chosen types and dates (undated links are kept: a date filter does not
    hide what has no date), and the entities still linked (and the one the chart is around)."""
    types = set(data.get("types") or ())
    start, end = data.get("start"), data.get("end")

    def kept(link: graph.Link) -> bool:
        if types and link.type not in types:
            return False
        if link.date and ((start and link.date < start) or (end and link.date > end)):
            return False
        return True

    links = [k for k in network.links if kept(k)]
    if not types and not start and not end:
        return network
    linked = {k.source for k in links} | {k.target for k in links} | {around}
    return graph.Graph.of((e for e in network.entities if e.id in linked), links)


def _require_sees(request) -> None:
    if not rules.can_see(request.user):
        raise PermissionDenied


def _record(request, network: graph.Graph, purpose: str, *, channel: str | None = None) -> None:
    subjects, objects = selectors.consulted(network)
    audit.record(
        action=Action.CONSULT, actor=request.user, object_type="networks.entity",
        object_ids=objects, subjects=subjects, purpose=purpose, channel=channel,
    )  # fmt: skip


def _download(request, chart: LinkChart, kind: str, stem: str) -> HttpResponse:
    """The chart as a file, recorded as an export of everything in it."""
    content_type, extension = DOWNLOADS[kind]
    _record(request, chart.graph, f"network chart exported as {kind}: {chart.title}",
            channel=Channel.EXPORT)  # fmt: skip
    if kind == "svg":
        body = chart.svg().encode()
    elif kind == "png":
        body = chart.png()
    elif kind == "anx":
        body = write_anx(chart.graph, title=chart.title)
    elif kind == "graphml":
        body = write_graphml(chart.graph)
    else:
        body = write_csv_zip(chart.graph)
    response = HttpResponse(body, content_type=content_type)
    name = f"{slugify(stem) or 'network'}-{dates.today().isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def chart_table(request: HttpRequest, chart: LinkChart) -> dict:
    """The rows of a chart's table of links: all of them, or the first TABLE_ROWS of a big chart
    unless `?rows=all`; with how many there are."""
    rows = chart.rows()
    if request.GET.get("rows") != "all":
        return {"rows": rows[:TABLE_ROWS], "total": len(rows)}
    return {"rows": rows, "total": len(rows)}


def chart_page(request: HttpRequest) -> HttpResponse:
    """The link chart: around an entity (`?around=person:…`, to `steps` links), or the whole
    visible network when it is small enough; filtered by link type and date."""
    _require_sees(request)
    form = ChartForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    around = (data.get("around") or "").strip()
    steps = data.get("steps") or 2
    network = selectors.visible_graph(request.user, around=around or None, steps=steps)
    start = network.entity(around) if around else None
    if around and start is None:
        network = graph.Graph()  # hidden and missing look the same: nothing to chart
    too_big = not around and len(network.entities) > BIGGEST_CHART
    shown = graph.Graph() if too_big else filtered(network, data, around)
    title = f"Links around {start.label}" if start else "The partnership's network"
    chart = LinkChart(shown, title)
    if data.get("format") and not too_big:
        return _download(request, chart, data["format"], title)
    _record(request, shown, f"network chart{' around ' + around if around else ''}")
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("rows", None)
    context = {
        "form": form, "chart": chart, "table": chart_table(request, chart), "around": start, "steps": steps, "too_big": too_big,
        "entities": len(network.entities), "biggest": BIGGEST_CHART,
        "around_url": f"{reverse('networks:chart')}?steps={steps}&around=ENTITY",
        "download_url": f"{reverse('networks:chart')}?{query.urlencode()}{'&' if query else ''}",
        "groups": list(selectors.ocgs_visible_to(request.user)) if not around else (),
    }  # fmt: skip
    return render(request, "networks/chart.html", context)


MEASURES = {
    "degree": "Most linked (degree: how many other entities each is linked to)",
    "betweenness": "Brokers (betweenness: the share of shortest paths that pass through each)",
    "components": "Separate networks (components: groups of entities linked to each other)",
    "communities": "Communities (Leiden: entities more linked among themselves than outside)",
}


def _measure(network: Network, measure: str):
    if measure == "degree":
        return network.degree()
    if measure == "betweenness":
        return network.betweenness()
    if measure == "components":
        return network.components()
    return network.communities(seed=1)


def analysis_rows(visible: graph.Graph, measure: str) -> list[tuple[graph.Entity, object]]:
    """Every entity with its value, the most central first (degree, betweenness) or by group
    and label (components, communities)."""
    values = _measure(Network.from_graph(visible), measure)
    by_id = {e.id: e for e in visible.entities}
    rows = [(by_id[entity_id], value) for entity_id, value in values.rows()]
    if measure in ("degree", "betweenness"):
        return sorted(rows, key=lambda r: (-r[1], r[0].label))
    return sorted(rows, key=lambda r: (r[1], r[0].label))


class AnalysisForm(forms.Form):
    measure = forms.ChoiceField(
        label="Analysis", choices=list(MEASURES.items()), initial="degree",
        widget=forms.RadioSelect,
    )  # fmt: skip


def analysis_page(request: HttpRequest) -> HttpResponse:
    """An analysis of the network the user may see: the top rows on the page, all in the CSV;
    and the objects (phones…) seen at two or more places."""
    _require_sees(request)
    form = AnalysisForm(request.GET or {"measure": "degree"})
    measure = form.cleaned_data["measure"] if form.is_valid() else "degree"
    visible = selectors.visible_graph(request.user)
    rows = analysis_rows(visible, measure)
    by_id = {e.id: e for e in visible.entities}
    shared = [
        (
            by_id[item.object],
            style_of(by_id[item.object].type).name,
            [by_id[place].label for place in item.locations],
        )
        for item in shared_objects(visible)
    ]
    if request.GET.get("format") == "csv":
        return _analysis_csv(request, visible, rows, measure)
    _record(request, visible, f"network analysis: {measure}")
    shown = [(entity, style_of(entity.type).name, value) for entity, value in rows[:TOP]]
    context = {
        "form": form, "measure": measure, "what": MEASURES[measure], "rows": shown,
        "count": len(rows), "top": TOP, "shared": shared, "entities": len(visible.entities),
        "links": len(visible.links),
    }  # fmt: skip
    return render(request, "networks/analysis.html", context)


def _analysis_csv(request, visible, rows, measure) -> HttpResponse:
    _record(request, visible, f"network analysis exported: {measure}", channel=Channel.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="network-{measure}-{dates.today().isoformat()}.csv"'
    )
    response.write("\ufeff")
    writer = csv_writer(response)
    column = {"communities": "community", "components": "component"}.get(measure, measure)
    writer.writerow(["entity_id", "type", "label", column])
    writer.writerows([e.id, e.type, e.label, value] for e, value in rows)
    return response


def path_page(request: HttpRequest) -> HttpResponse:
    """The shortest chain of visible links between two entities ("how is this address linked
    to that group?"), as a list and a chart. A hidden or unknown entity has no path."""
    _require_sees(request)
    start, to = request.GET.get("from", ""), request.GET.get("to", "")
    visible = selectors.visible_graph(request.user)
    network = Network.from_graph(visible)
    try:
        path = network.shortest_path(start, to)
    except UnknownEntity:
        path = None
    by_id = {e.id: e for e in visible.entities}
    shown = graph.Graph.of([by_id[i] for i in path.entities], path.links) if path else graph.Graph()
    targets = sorted(
        (e for e in visible.entities if e.type in TARGET_TYPES and e.id != start),
        key=lambda e: (TARGET_TYPES.index(e.type), e.label),
    )
    # The page names where it starts, the path, and every entity offered as its other end.
    named = [by_id[start]] if start in by_id else []
    _record(request, graph.Graph.of([*named, *shown.entities, *targets], ()), "network path")
    context = {
        "start": by_id.get(start), "to": by_id.get(to), "path": path,
        "targets": [(e, style_of(e.type).name) for e in targets],
        "steps": [(by_id[i], style_of(by_id[i].type).name) for i in path.entities] if path else [],
        "around_url": f"{reverse('networks:chart')}?steps=2&around=ENTITY",
    }  # fmt: skip
    chart = LinkChart(shown, "The shortest chain of links")
    context |= {"chart": chart, "table": chart_table(request, chart)}
    return render(request, "networks/path.html", context)
