"""Assembling an application bundle and printing it as one PDF.

The whole bundle is one HTML document printed by WeasyPrint in one pass: the index's page
numbers are `target-counter()`s of the sections and exhibits it lists (so they are the pages the
headings land on, whatever the lengths of the parts before them), the page numbers are the
`@page` footer's `counter(page)` of `counter(pages)`, and the PDF bookmarks are the headings'
`bookmark-level`. The uploaded documents are appended as page images (exhibits.py), so each
carries the bundle's page number and its exhibit reference. Nothing is fetched from outside:
the only URLs the document may use are the `bundle:` names of its own images.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from safehold.cases.choices import EnforcementKind
from safehold.cases.models import EnforcementAction, EnforcementDocument
from safehold.enforcement import chronology, exhibits, mapsvg, selectors
from safehold.enforcement.choices import BUNDLE_KINDS, Recipient, Section
from safehold.enforcement.sources import BundleContext, NumberedLine, merged_chronology
from safehold.people.models import Location, Person

# The chronology covers the year before the action started (served, applied for or made).
CHRONOLOGY_DAYS = 365
EMPTY_SCOTT_ROWS = 5  # for a schedule with no alleged incidents: rows to fill in by hand


@dataclass
class Bundle:
    """Everything one bundle shows, read through the gates of the user who builds it."""

    action: EnforcementAction
    title: str
    law: str
    built_at: datetime.datetime
    built_by: str
    recipients: list[str]
    sections: set[str]
    start: datetime.date
    end: datetime.date
    premises: Location | None
    people: list[tuple[Person, str]]
    lines: list[NumberedLine]
    map: mapsvg.BundleMap | None
    exhibits: list[exhibits.Exhibit]
    scott: list[NumberedLine] = field(default_factory=list)

    @property
    def respondent(self) -> Person | None:
        """The person the action is against, if the builder may see them."""
        return next((p for p, _ in self.people if p.pk == self.action.against_id), None)

    @property
    def is_injunction(self) -> bool:
        return self.action.kind == EnforcementKind.CIVIL_INJUNCTION

    def index(self) -> list[tuple[str, str]]:
        """(anchor, heading) of each part the index lists, in order."""
        entries = [("cover", "Cover sheet")]
        if Section.PREMISES in self.sections:
            entries.append(("premises", "The premises and the people"))
        if Section.CHRONOLOGY in self.sections:
            entries.append(("chronology", "Chronology"))
        if Section.MAP in self.sections:
            entries.append(("map", "Map of the premises and nearby incidents"))
        if Section.SCOTT in self.sections:
            entries.append(("scott", "Scott schedule"))
        if Section.EXHIBITS in self.sections:
            entries.append(("exhibits", "Exhibits"))
            entries += [
                (e.anchor, f"Exhibit {e.reference}: {e.name}") for e in self.exhibits if e.appended
            ]
        return entries

    def audit_subjects(self) -> list:
        """The people the bundle shows: all of its people section, or the respondent alone."""
        if Section.PREMISES in self.sections:
            return [person.pk for person, _ in self.people]
        return [self.respondent.pk] if self.respondent else []

    def audit_objects(self) -> list:
        shown = [self.action.case_id]
        if self.premises is not None:
            shown.append(self.premises.pk)
        shown += [e.document.pk for e in self.exhibits]
        return shown


def sections_for(action: EnforcementAction, wanted) -> set[str]:
    """The sections asked for that apply (a Scott schedule is for an injunction only)."""
    sections = set(wanted)
    if action.kind != EnforcementKind.CIVIL_INJUNCTION:
        sections.discard(Section.SCOTT)
    return sections


def assemble(*, action: EnforcementAction, user, recipients, sections, built_by: str) -> Bundle:
    """Read the bundle's parts through `user`'s gates (None: the operator reads everything)."""
    title, law = BUNDLE_KINDS[action.kind]
    sections = sections_for(action, sections)
    end = action.started_on
    start = end - datetime.timedelta(days=CHRONOLOGY_DAYS)
    premises = selectors.premises_of(user, action)
    context = BundleContext(action=action, user=user, premises=premises, start=start, end=end)
    lines = merged_chronology(context) if sections & {Section.CHRONOLOGY, Section.SCOTT} else []
    bundle_map = None
    position = chronology.premises_position(premises) if Section.MAP in sections else None
    if position is not None:
        latitude, longitude, placed_by = position
        bundle_map = mapsvg.draw(
            latitude,
            longitude,
            chronology.incidents_near(context, chronology.MAP_RADIUS_M),
            chronology.MAP_RADIUS_M,
            placed_by=placed_by,
        )
    documents = list(EnforcementDocument.objects.filter(action=action).order_by("created_at"))
    return Bundle(
        action=action,
        title=title,
        law=law,
        built_at=timezone.localtime(),
        built_by=built_by,
        recipients=[Recipient(r).label for r in recipients],
        sections=sections,
        start=start,
        end=end,
        premises=premises,
        people=selectors.people_of(user, action),
        lines=lines if Section.CHRONOLOGY in sections else [],
        map=bundle_map,
        exhibits=exhibits.exhibits_of(documents) if Section.EXHIBITS in sections else [],
        scott=[line for line in lines if line.allegation] if Section.SCOTT in sections else [],
    )


def html_of(bundle: Bundle) -> tuple[str, dict[str, tuple[str, bytes]]]:
    """The bundle's HTML and the images it names (`bundle:<n>` -> content type and bytes)."""
    images: dict[str, tuple[str, bytes]] = {}
    pages = []
    for exhibit in bundle.exhibits:
        names = []
        for content_type, data in exhibit.pages:
            name = f"bundle:{len(images) + 1}"
            images[name] = (content_type, data)
            names.append(name)
        pages.append((exhibit, names))
    html = render_to_string(
        "enforcement/bundle_pdf.html",
        {
            "bundle": bundle,
            "action": bundle.action,
            "case": bundle.action.case,
            "index": bundle.index(),
            "exhibit_pages": pages,
            "scott_blank": range(EMPTY_SCOTT_ROWS) if not bundle.scott else range(0),
            "S": {s.name: s.value for s in Section},
            # In a CSS string: only characters that need no escaping there.
            "running_head": re.sub(
                r"[^\w \-:,.()/]", "", f"{bundle.action.case.reference}: {bundle.title}"
            ),
        },
    )
    return html, images


def pdf_of(bundle: Bundle) -> bytes:
    """The bundle as one PDF: page numbers, a right index and bookmarks (one WeasyPrint pass)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    html, images = html_of(bundle)

    class OwnImagesOnly(URLFetcher):
        """Serves the bundle's own images; anything else is refused (nothing is fetched)."""

        def fetch(self, url, headers=None):
            if url not in images:
                raise ValueError(f"Not part of the bundle: {url}")
            content_type, data = images[url]
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

    return HTML(string=html, url_fetcher=OwnImagesOnly(allowed_protocols=("bundle",))).write_pdf()
