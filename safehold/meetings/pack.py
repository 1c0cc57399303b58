"""The meeting pack: the agenda, the minutes and the actions as one agency's user may see them,
printed as one PDF (WeasyPrint through `core.documents`). Built through that user's gates only,
so a police user's pack holds nothing the landlord did not share with the police."""

import json

from django.template.loader import render_to_string

from safehold.core.documents import pdf_from_html
from safehold.meetings import agenda as agendas
from safehold.meetings import selectors


def contents(meeting, user) -> dict:
    """Everything the pack (and the agenda page) shows the user, read through their gates."""
    agenda = agendas.agenda_for(meeting, user)
    items = list(selectors.items_visible_to(user).filter(meeting=meeting))
    minutes = {
        m.item_id: m for m in selectors.minutes_visible_to(user).filter(item__meeting=meeting)
    }
    raised = list(selectors.actions_visible_to(user).filter(meeting=meeting))
    return {
        "meeting": meeting,
        "agenda": agenda,
        "items": [(item, minutes.get(item.pk)) for item in items],
        "raised": raised,
        "agency": user.agency,
    }


def audited_records(found: dict) -> tuple[list, list]:
    """The records the pack shows and the people they are about (for the consult event)."""
    records = [*found["agenda"].records()]
    subjects = [*found["agenda"].subjects()]
    for item, _ in found["items"]:
        if item.case_id:
            records.append(item.case)
            subjects.append(item.case.subject_id)
    for action in found["raised"]:
        records.append(action)
        if action.case_id:
            subjects.append(action.case.subject_id)
    return records, subjects


def to_pdf(found: dict) -> bytes:
    return pdf_from_html(render_to_string("meetings/pack_document.html", found))


def to_json(found: dict) -> str:
    """The agenda as data (the command line's and the API's `agenda`)."""
    return json.dumps(agenda_data(found), indent=2)


def agenda_data(found: dict) -> dict:
    meeting = found["meeting"]
    return {
        "meeting": str(meeting.pk),
        "series": meeting.series.name,
        "held_on": meeting.held_on.isoformat(),
        "status": meeting.status,
        "for_agency": found["agency"].name,
        "sections": [
            {
                "name": section.name,
                "title": section.title,
                "lines": [
                    {
                        "text": line.text,
                        "reference": line.reference,
                        "day": line.day.isoformat() if line.day else None,
                        "detail": line.detail,
                    }
                    for line in section.lines
                ],
            }
            for section in found["agenda"].sections
        ],
        "items": [
            {
                "title": item.title or f"Case {item.case.reference}",
                "minutes": minute.text if minute else "",
            }
            for item, minute in found["items"]
        ],
        "actions_agreed": [
            {
                "description": action.description,
                "owner": agendas.owner_of(action),
                "due_on": action.due_on.isoformat(),
                "done_on": action.done_on.isoformat() if action.done_on else None,
            }
            for action in found["raised"]
        ],
    }
