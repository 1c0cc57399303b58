"""The network's pages, under /networks/: the organised crime groups (list with the partnership
summary, profile, and a form for each part of it), an object with its visible links, and the
"Add a link" page. Each parses input, calls a selector or one service, records what it showed,
and renders. One module: each view is short, and they share the fetches at the top."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safehold import audit
from safehold.accounts.rules import can_browse_people
from safehold.audit.choices import Action
from safehold.audit.purposes import search_purpose
from safehold.core.errors import NotPermitted, ServiceError
from safehold.core.visibility import get_visible_or_404
from safehold.networks import forms, graph, rules, selectors, services
from safehold.networks.choices import ActionStatus, LinkType
from safehold.networks.models import NetworkLink
from safehold.networks.normalise import normalise
from safehold.people.selectors import search_locations, search_people

SEARCH_LIMIT = 20


def _visible_group(request, pk):
    if not rules.can_see(request.user):
        raise PermissionDenied  # on a record URL: a 404 (ADR 0027)
    return get_visible_or_404(selectors.ocgs_visible_to(request.user), pk=pk)


def _group_to_change(request, pk):
    """A group the user may change: visible, and their agency's (else 404)."""
    ocg = _visible_group(request, pk)
    if not rules.may_change_group(request.user, ocg):
        raise PermissionDenied
    return ocg


def _attempt(form, call):
    """Run a service for a form: its refusal becomes the form's error (NotPermitted a 404)."""
    try:
        return call()
    except NotPermitted:
        raise
    except ServiceError as error:
        form.add_error(None, str(error))
        return None


# Organised crime groups.


def ocg_list(request: HttpRequest) -> HttpResponse:
    """The groups the user may see, with the partnership summary (counts, never names)."""
    if not rules.can_see(request.user):
        raise PermissionDenied
    groups = list(selectors.ocg_list(request.user))
    summary = selectors.summary_of(groups)
    audit.record(
        action=Action.CONSULT, actor=request.user, object_type="networks.organisedcrimegroup",
        object_ids=[g.pk for g in groups], purpose="organised crime groups",
    )  # fmt: skip
    rows = [
        (g, sum(1 for m in g.members.all() if m.date_to is None), g.assessments.all()[:1])
        for g in groups
    ]
    return render(request, "networks/ocg_list.html", {
        "rows": rows, "summary": summary, "may_record": rules.can_record(request.user),
    })  # fmt: skip


def ocg_create(request: HttpRequest) -> HttpResponse:
    if not rules.can_record(request.user):
        raise PermissionDenied
    form = forms.GroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ocg = _attempt(form, lambda: services.create_group(
            name=data["name"], status=data["status"], activities=data["activities"],
            areas=form.area_codes(), description=data["description"], by=request.user,
        ))  # fmt: skip
        if ocg is not None:
            messages.success(request, f"{ocg.name} has been profiled")
            return redirect("networks:ocg-detail", pk=ocg.pk)
    return render(request, "networks/ocg_form.html", {"form": form, "ocg": None})


def ocg_detail(request: HttpRequest, pk) -> HttpResponse:
    """A group's profile: members and premises as the user's gates allow, the latest threat
    assessment, the 4P plan and the history."""
    ocg = _visible_group(request, pk)
    members, hidden_members = selectors.members_of(request.user, ocg)
    premises, hidden_premises = selectors.premises_of(request.user, ocg)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=ocg,
        object_ids=[place.pk for _, place in premises],
        subjects=[person for _, person in members], purpose="OCG profile",
    )  # fmt: skip
    return render(request, "networks/ocg_detail.html", {
        "ocg": ocg,
        "members": members,
        "hidden_members": hidden_members,
        "premises": premises,
        "hidden_premises": hidden_premises,
        "assessment": selectors.latest_assessment(ocg),
        "actions": selectors.actions_of(ocg),
        "history": selectors.history_of(ocg)[:50],
        "may_change": rules.may_change_group(request.user, ocg),
        "people_pages": can_browse_people(request.user),
        "open": ActionStatus.OPEN,
    })  # fmt: skip


def ocg_edit(request: HttpRequest, pk) -> HttpResponse:
    ocg = _group_to_change(request, pk)
    initial = {
        "name": ocg.name, "status": ocg.status, "activities": ocg.activities,
        "areas": ", ".join(ocg.areas), "description": ocg.description,
    }  # fmt: skip
    form = forms.GroupForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(form, lambda: services.edit_group(
            ocg=ocg, name=data["name"], status=data["status"], activities=data["activities"],
            areas=form.area_codes(), description=data["description"], by=request.user,
        ))  # fmt: skip
        if done is not None:
            messages.success(request, "The group's profile has been changed")
            return redirect("networks:ocg-detail", pk=ocg.pk)
    audit.record(action=Action.CONSULT, actor=request.user, target=ocg, purpose="OCG profile form")
    return render(request, "networks/ocg_form.html", {"form": form, "ocg": ocg})


def ocg_members(request: HttpRequest, pk) -> HttpResponse:
    """Add members (people found by the user's own search) and end memberships."""
    ocg = _group_to_change(request, pk)
    form = end_form = None
    if request.method == "POST":
        if "member" in request.POST:
            end_form = forms.EndMemberForm(request.POST)
            if end_form.is_valid():
                member = ocg.members.filter(pk=end_form.cleaned_data["member"]).first()
                if member is None:
                    raise PermissionDenied
                if _attempt(end_form, lambda: services.end_membership(
                    member=member, date_to=end_form.cleaned_data["date_to"], by=request.user,
                )):  # fmt: skip
                    messages.success(request, "The membership has been ended")
                    return redirect("networks:ocg-members", pk=ocg.pk)
        else:
            form = forms.MemberForm(request.POST)
            if form.is_valid():
                from safehold.people.models import Person

                person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
                if person is None:
                    raise PermissionDenied
                if _attempt(form, lambda: services.add_member(
                    ocg=ocg, person=person, role=form.cleaned_data["role"],
                    date_from=form.cleaned_data["date_from"], by=request.user,
                )):  # fmt: skip
                    messages.success(request, "The member has been added")
                    return redirect("networks:ocg-members", pk=ocg.pk)
    query = request.GET.get("q", "").strip()
    found = (
        list(
            search_people(request.user, query=query, within=selectors.network_people(request.user))[
                :SEARCH_LIMIT
            ]
        )
        if query
        else []
    )
    members, hidden = selectors.members_of(request.user, ocg)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=ocg,
        subjects=[*found, *(person for _, person in members)],
        purpose=search_purpose("OCG members", {"q": query}),
    )  # fmt: skip
    return render(request, "networks/ocg_members.html", {
        "ocg": ocg, "query": query, "found": found, "members": members, "hidden": hidden,
        "form": form or forms.MemberForm(), "end_form": end_form,
        "current": {person.pk for m, person in members if m.date_to is None},
    })  # fmt: skip


def ocg_premises(request: HttpRequest, pk) -> HttpResponse:
    """Link places (found by the user's own search) to the group."""
    ocg = _group_to_change(request, pk)
    form = forms.PremisesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        from safehold.people.models import Location

        location = Location.objects.filter(pk=form.cleaned_data["location"]).first()
        if location is None:
            raise PermissionDenied
        if _attempt(form, lambda: services.add_premises(
            ocg=ocg, location=location, why=form.cleaned_data["why"], by=request.user,
        )):  # fmt: skip
            messages.success(request, "The premises has been added")
            return redirect("networks:ocg-detail", pk=ocg.pk)
    query = request.GET.get("q", "").strip() or request.POST.get("q", "").strip()
    found = (
        list(
            search_locations(
                request.user, query=query, within=selectors.network_places(request.user)
            )[:SEARCH_LIMIT]
        )
        if query
        else []
    )
    premises, hidden = selectors.premises_of(request.user, ocg)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=ocg,
        object_ids=[p.pk for p in found] + [place.pk for _, place in premises],
        purpose=search_purpose("OCG premises", {"q": query}),
    )  # fmt: skip
    return render(request, "networks/ocg_premises.html", {
        "ocg": ocg, "query": query, "found": found, "premises": premises, "hidden": hidden,
        "form": form, "added": {place.pk for _, place in premises},
    })  # fmt: skip


def ocg_threat(request: HttpRequest, pk) -> HttpResponse:
    ocg = _group_to_change(request, pk)
    form = forms.ThreatForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if _attempt(form, lambda: services.assess_threat(ocg=ocg, by=request.user,
                                                         **form.cleaned_data)):  # fmt: skip
            messages.success(request, "The threat assessment has been recorded")
            return redirect("networks:ocg-detail", pk=ocg.pk)
    audit.record(action=Action.CONSULT, actor=request.user, target=ocg, purpose="OCG threat form")
    return render(request, "networks/ocg_threat.html", {"form": form, "ocg": ocg})


def ocg_actions(request: HttpRequest, pk) -> HttpResponse:
    """Add an action to the 4P plan, or (a POST naming one) mark it done."""
    ocg = _group_to_change(request, pk)
    if request.method == "POST" and "complete" in request.POST:
        action = ocg.actions.filter(pk=request.POST["complete"]).first() if _uuid(
            request.POST["complete"]) else None  # fmt: skip
        if action is None:
            raise PermissionDenied
        try:
            services.complete_action(action=action, by=request.user)
        except NotPermitted:
            raise
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The action has been marked done")
        return redirect("networks:ocg-detail", pk=ocg.pk)
    form = forms.ActionForm(
        request.POST if request.method == "POST" else None,
        initial={"owner_agency": request.user.agency_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(form, lambda: services.add_action(
            ocg=ocg, strand=data["strand"], description=data["description"],
            owner_agency=data["owner_agency"], due_on=data["due_on"], by=request.user,
        )):  # fmt: skip
            messages.success(request, "The action has been added to the 4P plan")
            return redirect("networks:ocg-detail", pk=ocg.pk)
    audit.record(action=Action.CONSULT, actor=request.user, target=ocg, purpose="4P action form")
    return render(request, "networks/ocg_action.html", {"form": form, "ocg": ocg})


def _uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# Objects and links.


def object_create(request: HttpRequest) -> HttpResponse:
    """Record an object; one the partnership already holds under the same number is that one."""
    if not rules.can_record(request.user):
        raise PermissionDenied
    form = forms.ObjectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        obj = _attempt(form, lambda: services.record_object(by=request.user, **form.cleaned_data))
        if obj is not None:
            messages.success(request, f"{obj} has been recorded")
            return redirect("networks:object-detail", pk=obj.pk)
    return render(request, "networks/object_form.html", {"form": form})


def event_create(request: HttpRequest) -> HttpResponse:
    """Record an incident, operation, seizure or intelligence report, then link it."""
    if not rules.can_record(request.user):
        raise PermissionDenied
    form = forms.EventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        event = _attempt(form, lambda: services.record_event(by=request.user, **form.cleaned_data))
        if event is not None:
            messages.success(request, "The event has been recorded: now link it")
            return redirect(f"{reverse('networks:link-create')}?from=event:{event.pk}")
    return render(request, "networks/event_form.html", {"form": form})


def object_detail(request: HttpRequest, pk) -> HttpResponse:
    """An object (a phone) and every link of it the user may see, to the records at their
    other end that the user may see."""
    if not rules.can_see(request.user):
        raise PermissionDenied
    obj = get_visible_or_404(selectors.objects_visible_to(request.user), pk=pk)
    network = selectors.visible_graph(request.user, around=obj.entity_id, steps=1)
    rows = _links_from(network, obj.entity_id, people_pages=can_browse_people(request.user))
    subjects, objects = selectors.consulted(network)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=obj, object_ids=objects,
        subjects=subjects, purpose="network object",
    )  # fmt: skip
    return render(request, "networks/object_detail.html", {
        "obj": obj, "rows": rows, "may_record": rules.can_record(request.user),
    })  # fmt: skip


def _page_of(entity: graph.Entity, *, people_pages: bool) -> str:
    """The entity's own page; people and places have none for a role that browses no people
    (the police intelligence role sees them in the network only: ADR 0053)."""
    kind, _, pk = entity.id.partition(":")
    if kind in ("person", "location") and not people_pages:
        return ""
    pages = {
        "person": "people:detail", "location": "people:location-detail",
        "object": "networks:object-detail", "ocg": "networks:ocg-detail",
    }  # fmt: skip
    return reverse(pages[kind], args=[pk]) if kind in pages else ""


def _links_from(network: graph.Graph, entity_id: str, *, people_pages: bool) -> list[dict]:
    types = dict(LinkType.choices)
    entities = {e.id: e for e in network.entities}
    rows = []
    for link in network.links:
        if entity_id not in (link.source, link.target):
            continue
        other = entities[link.target if link.source == entity_id else link.source]
        rows.append({
            "link": link, "type": types.get(link.type, link.type), "other": other,
            "url": _page_of(other, people_pages=people_pages), "kind": other.type.replace("_", " "),
        })  # fmt: skip
    return sorted(rows, key=lambda r: (r["type"], r["other"].label))


def link_create(request: HttpRequest) -> HttpResponse:
    """Add a link: from a record (`?from=`), to one found by the user's own search. Without a
    record to start from, the search picks it."""
    if not rules.can_record(request.user):
        raise PermissionDenied
    start_id = request.GET.get("from", "") or request.POST.get("from", "")
    start = None
    if start_id:
        try:
            start = services.entity_of(request.user, start_id)
        except ServiceError as exc:
            raise Http404("No such record.") from exc
    # From an intelligence report's page: its reference and grade as the link's source.
    initial = {"source_reference": request.GET.get("source", "")[:60],
               "grading": request.GET.get("grading", "")[:10]}  # fmt: skip
    form = forms.LinkForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and start is not None and form.is_valid():
        data = form.cleaned_data
        link = _attempt(form, lambda: services.add_link(
            end_a=start_id, end_b=data["to"], type=data["type"], date_from=data["date_from"],
            date_to=data["date_to"], source_reference=data["source_reference"],
            grading=data["grading"], by=request.user,
        ))  # fmt: skip
        if link is not None:
            messages.success(request, "The link has been added")
            return redirect(f"{reverse('networks:link-create')}?from={start_id}")
    query = request.GET.get("q", "").strip() or request.POST.get("q", "").strip()
    found = _search(request.user, query)
    people = [r for kind, _, r in found if kind == "person"]
    audit.record(
        action=Action.CONSULT, actor=request.user,
        object_type="networks.networklink" if start is None else start._meta.label_lower,
        object_ids=[r.pk for kind, _, r in found if kind != "person"]
        + ([start.pk] if start is not None else []),
        subjects=people + ([start] if start_id.startswith("person:") else []),
        purpose=search_purpose("add a link", {"q": query}),
    )  # fmt: skip
    return render(request, "networks/link_form.html", {
        "form": form, "start": start, "start_id": start_id, "start_label": _label(start),
        "query": query, "found": [(f"{kind}:{r.pk}", label) for kind, label, r in found],
        "carried": {k: v for k, v in initial.items() if v},
    })  # fmt: skip


def _label(record) -> str:
    if record is None:
        return ""
    if hasattr(record, "summary"):
        return f"{record}: {record.summary}"
    return getattr(record, "one_line", None) or getattr(record, "full_name", None) or str(record)


def _search(user, query: str) -> list[tuple[str, str, object]]:
    """People, places, objects and groups the user may see that the words name."""
    if not query:
        return []
    people = search_people(user, query=query, within=selectors.network_people(user))
    places = search_locations(user, query=query, within=selectors.network_places(user))
    found = [("person", p.full_name, p) for p in people[:SEARCH_LIMIT]]
    found += [("location", p.one_line, p) for p in places[:SEARCH_LIMIT]]
    found += [
        ("object", str(o), o)
        for o in selectors.objects_visible_to(user).filter(value__icontains=query)[:SEARCH_LIMIT]
    ]
    found += [
        ("event", str(e) + f": {e.summary}", e)
        for e in selectors.events_visible_to(user).filter(
            Q(summary__icontains=query) | Q(reference__icontains=query)
        )[:SEARCH_LIMIT]
    ]
    found += [
        ("ocg", g.name, g)
        for g in selectors.ocgs_visible_to(user).filter(name__icontains=query)[:SEARCH_LIMIT]
    ]
    return found


def from_intelligence(request: HttpRequest, pk) -> HttpResponse:
    """A graded report into the network in one step (the police intelligence role): what its
    mentions resolve to and the place it is about, then, on POST, the event and links recorded
    (`services.record_intelligence`), and the chart around the event."""
    from safehold.intelligence import rules as intelligence_rules
    from safehold.intelligence import selectors as intelligence_selectors

    user = request.user
    intelligence = get_visible_or_404(intelligence_selectors.intelligence_visible_to(user), pk=pk)
    if not (rules.can_record(user) and intelligence_rules.can_assess(user)):
        # Anyone else who may see the submission is sent to its page, as from its assessment.
        return redirect("intelligence:detail", pk=intelligence.pk)
    if request.method == "POST":
        try:
            recorded = services.record_intelligence(intelligence=intelligence, by=user)
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect("networks:from-intelligence", pk=intelligence.pk)
        messages.success(
            request,
            f"{intelligence.reference} is in the network: {recorded.added} "
            f"link{'' if recorded.added == 1 else 's'} added",
        )
        return redirect(f"{reverse('networks:chart')}?around=event:{recorded.event.pk}&steps=3")
    mentions = list(intelligence.mentions.all())
    kinds = {m.pk: services.MENTIONED_OBJECTS.get(m.kind) for m in mentions}
    normalised = {
        m.pk: (kinds[m.pk], normalise(kinds[m.pk], m.value)) for m in mentions if kinds[m.pk]
    }
    known = {
        (o.kind, o.normalised): o
        for o in selectors.objects_visible_to(user).filter(
            normalised__in=[n for _, n in normalised.values() if n]
        )
    }
    rows = []
    for mention in mentions:
        kind, value = normalised.get(mention.pk, (None, ""))
        rows.append({
            "mention": mention, "object": bool(kind and value),
            "known": known.get((kind, value)) if value else None,
        })  # fmt: skip
    place = services.intelligence_place(intelligence, user)
    audit.record(
        action=Action.CONSULT, actor=user, target=intelligence,
        object_ids=[o.pk for o in known.values()] + ([place.pk] if place else []),
        purpose="intelligence into the network",
    )  # fmt: skip
    return render(request, "networks/from_intelligence.html", {
        "intelligence": intelligence, "rows": rows, "place": place,
        "recorded": NetworkLink.objects.filter(
            intelligence=intelligence, owning_agency=user.agency_id
        ).count(),
    })  # fmt: skip
