"""The demo's closure order with its application bundle (issue 15): on the demo case whose
premises has the most invented incidents around it, a closure notice served by the police and
the council's application for a full closure order 48 hours later, with three uploaded exhibits
(an invented notice and witness statement as PDFs, a photograph as a PNG) and three notes in the
case's chronology, so `safehold enforcement bundle` and the case page build a full bundle.

Everything is synthetic. Loaded once, after the demo incident log (the case is chosen by it);
loading again finds the order and changes nothing.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from safehold.accounts.models import Agency, User
from safehold.cases.choices import CaseStatus, EnforcementKind, EnforcementStatus
from safehold.cases.models import Case, EnforcementAction
from safehold.cases.services import casework, enforcement
from safehold.demo.partnership import USERS
from safehold.enforcement import chronology
from safehold.enforcement.sources import BundleContext

NOTICE_SERVED = datetime.datetime(2025, 11, 24, 15, 30)
ORDER_APPLIED = datetime.date(2025, 11, 26)  # within 48 hours of the notice (s.80)
ORDER_ENDS = datetime.date(2026, 2, 25)  # up to three months (s.82)
MARKER = "Demo closure order"
NOTES = (
    (datetime.datetime(2025, 9, 3, 11, 0), "Neighbour reports up to twenty visitors a day, "
     "mostly young men, staying minutes at a time."),
    (datetime.datetime(2025, 10, 14, 16, 20), "Joint visit with the police: resident says "
     "people she does not know have a key and she is afraid to ask them to leave."),
    (datetime.datetime(2025, 11, 21, 9, 45), "Drugs paraphernalia seen on the landing; the "
     "resident agreed to a closure order to keep her tenancy."),
)  # fmt: skip


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return HTML(
        string=f"<html><body style='font: 12pt serif'><h1>{title}</h1>{body}"
        "<p><em>Invented for the Safehold demo: not a real document.</em></p></body></html>"
    ).write_pdf()


def _photo() -> bytes:
    image = Image.new("RGB", (640, 420), "#c8c2b4")
    draw = ImageDraw.Draw(image)
    draw.rectangle((220, 60, 420, 400), fill="#5a3d2b", outline="#1b1b1b", width=4)
    draw.line((240, 120, 400, 330), fill="#e6e1d6", width=6)  # the split in the door
    draw.text((20, 20), "Demo photograph: the forced front door (invented)", fill="#0b0c0c")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _case_with_most_incidents_near() -> Case | None:
    """Of the open demo cases referred in 2025 before the notice, the one whose premises has
    the most incidents within the map's radius in the year before the order (ties: reference)."""
    candidates = (
        Case.objects.filter(
            status=CaseStatus.OPEN,
            location__isnull=False,
            referral_date__gte=datetime.date(2024, 12, 1),
            referral_date__lte=datetime.date(2025, 8, 31),
        )
        .select_related("location")
        .order_by("reference")
    )
    best, most = None, -1
    for case in candidates:
        context = BundleContext(
            action=None, user=None, premises=case.location,
            start=ORDER_APPLIED - datetime.timedelta(days=365), end=ORDER_APPLIED,
        )  # fmt: skip
        near = len(chronology.incidents_near(context, chronology.MAP_RADIUS_M))
        if near > most:
            best, most = case, near
    return best


def is_loaded() -> bool:
    return EnforcementAction.objects.filter(
        kind=EnforcementKind.FULL_CLOSURE_ORDER, notes__startswith=MARKER
    ).exists()


@transaction.atomic
def load() -> EnforcementAction | None:
    """The closure notice and order with their exhibits; None if already loaded (or there is
    no demo case to put them on)."""
    if is_loaded():
        return None
    case = _case_with_most_incidents_near()
    if case is None:
        return None
    epo = User.objects.get(email=USERS[0].email)
    police = Agency.objects.get(name="Greater Manchester Police")
    zone = timezone.get_default_timezone()
    for when, summary in NOTES:
        casework.add_entry(
            case=case, by=epo, kind="note", summary=summary,
            occurred_at=timezone.make_aware(when, zone),
        )  # fmt: skip
    notice = SimpleUploadedFile(
        "closure-notice.pdf",
        _pdf(
            "Closure notice (invented)",
            [
                "Anti-social Behaviour, Crime and Policing Act 2014, section 76.",
                "Access to the premises is prohibited to all but the resident, her family and "
                "the agencies supporting her, until the court hears the application.",
                "Served by an inspector of Greater Manchester Police.",
            ],
        ),
        content_type="application/pdf",
    )
    enforcement.add_enforcement(
        case=case, by=epo, kind=EnforcementKind.CLOSURE_NOTICE,
        status=EnforcementStatus.IN_FORCE, agency=police, started_on=NOTICE_SERVED.date(),
        served_at=timezone.make_aware(NOTICE_SERVED, zone),
        notes=f"{MARKER}: the notice", documents=[notice],
    )  # fmt: skip
    order = enforcement.add_enforcement(
        case=case, by=epo, kind=EnforcementKind.FULL_CLOSURE_ORDER,
        status=EnforcementStatus.APPLIED, agency=case.owning_agency, started_on=ORDER_APPLIED,
        ends_on=ORDER_ENDS, notes=f"{MARKER}: the application",
    )  # fmt: skip
    statement = _pdf("Witness statement of the housing officer (invented)", [
        f"Paragraph {n}. An invented account of the visits, the callers and the resident's "
        "fear, for the demo." for n in range(1, 40)
    ])  # fmt: skip
    enforcement.add_document(
        action=order, by=epo, name="Witness statement of the housing officer",
        file=SimpleUploadedFile("statement.pdf", statement, content_type="application/pdf"),
    )  # fmt: skip
    enforcement.add_document(
        action=order, by=epo, name="Photograph of the front door",
        file=SimpleUploadedFile("door.png", _photo(), content_type="image/png"),
    )  # fmt: skip
    enforcement.add_document(
        action=order, by=epo, name="The closure notice as served",
        file=SimpleUploadedFile(
            "notice.pdf",
            _pdf("Closure notice (invented)", ["The notice as served, for the court."]),
            content_type="application/pdf",
        ),
    )  # fmt: skip
    return order
