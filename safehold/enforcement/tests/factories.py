"""Enforcement actions that go to court, with uploaded exhibits: a real one-page PDF (printed by
WeasyPrint) and a real PNG, so the bundle appends them as it would a user's uploads."""

import datetime
import functools
import io

import factory
from django.core.files.base import ContentFile
from PIL import Image

from safehold.cases.choices import EnforcementKind, EnforcementStatus
from safehold.cases.models import EnforcementAction, EnforcementDocument
from safehold.cases.tests.factories import CaseFactory, ProgrammeFactory
from safehold.people.tests.factories import LocationFactory


@functools.cache
def pdf_bytes(*pages: str) -> bytes:
    """A PDF with one page per text given (made once per text: the shared tests make many)."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">{text}</p>' for text in pages)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def png_bytes(colour: str = "#1d70b8") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (240, 160), colour).save(out, format="PNG")
    return out.getvalue()


class BundleActionFactory(factory.django.DjangoModelFactory):
    """A full closure order on a case at a mapped address in Stockport."""

    class Meta:
        model = EnforcementAction

    case = factory.SubFactory(
        CaseFactory,
        location=factory.SubFactory(
            LocationFactory,
            owning_agency=factory.SelfAttribute("..owning_agency"),
            latitude="53.408000",
            longitude="-2.158000",
        ),
    )
    kind = EnforcementKind.FULL_CLOSURE_ORDER
    status = EnforcementStatus.APPLIED
    agency = factory.SelfAttribute("case.owning_agency")
    started_on = datetime.date(2023, 6, 1)


def add_documents(action: EnforcementAction, *, pdf_pages: int = 2) -> list:
    """A PDF statement of `pdf_pages` pages and a photograph, uploaded against the action."""
    statement = pdf_bytes(*(f"Witness statement page {n}" for n in range(1, pdf_pages + 1)))
    return [
        EnforcementDocument.objects.create(
            action=action, name="Statement of PC Example",
            file=ContentFile(statement, name="statement.pdf"),
        ),
        EnforcementDocument.objects.create(
            action=action, name="Photograph of the door",
            file=ContentFile(png_bytes(), name="door.png"),
        ),
    ]  # fmt: skip


def bundle_action(agency, **kwargs) -> EnforcementAction:
    """A closure order (with its two documents) on a case held by `agency`."""
    action = BundleActionFactory(
        case=CaseFactory(
            programme=ProgrammeFactory(lead_agency=agency),
            location=LocationFactory(
                owning_agency=agency, latitude="53.408000", longitude="-2.158000"
            ),
        ),
        **kwargs,
    )
    add_documents(action, pdf_pages=1)
    return action
