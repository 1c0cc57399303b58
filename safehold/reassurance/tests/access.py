"""The reassurance pages for the shared access, leak and audited-read tests: a batch, an address
of a batch and a visit belong to one agency; a letter template too."""

from safehold.reassurance.tests.factories import (
    BatchFactory,
    DoorVisitFactory,
    LetterDeliveryFactory,
    LetterTemplateVersionFactory,
)


def _batch(agency):
    batch = BatchFactory(owning_agency=agency)
    LetterDeliveryFactory(batch=batch, location=batch.premises)
    return batch


def _delivery(agency):
    return LetterDeliveryFactory(batch=BatchFactory(owning_agency=agency))


def _visit(agency):
    return DoorVisitFactory(delivery=_delivery(agency))


def _template(agency):
    return LetterTemplateVersionFactory(template__owning_agency=agency).template


def _property_run(agency):
    from safehold.accounts.tests.factories import UserFactory
    from safehold.imports.models import ImportRun

    return ImportRun.objects.create(
        kind="property_list", agency=agency, uploaded_by=UserFactory(agency=agency),
        file_name="stock.csv",
    )  # fmt: skip


def _on_case(case):
    """A batch of the case's holder anchored on the case's place, one letter to it."""
    batch = BatchFactory(owning_agency=case.owning_agency, premises=case.location)
    LetterDeliveryFactory(batch=batch, location=case.location, address=case.location.one_line)
    return batch


RECORD_FACTORIES = {
    "reassurance_batch": _batch,
    "reassurance_delivery": _delivery,
    "door_visit": _visit,
    "letter_template": _template,
    "property_list_run": _property_run,
}
RECORD_URLS = {
    "reassurance:plan": "location",
    "reassurance:batch": "reassurance_batch",
    "reassurance:letters": "reassurance_batch",
    "reassurance:walking-list": "reassurance_batch",
    "reassurance:visit-add": "reassurance_delivery",
    "reassurance:visit": "door_visit",
    "reassurance:template": "letter_template",
    "reassurance:template-edit": "letter_template",
    "reassurance:property-import-run": "property_list_run",
}
OTHER_URLS = {
    "reassurance:index",
    "reassurance:choose",
    "reassurance:templates",
    "reassurance:template-add",
    "reassurance:property-lists",
    "reassurance:property-import",
}
PUBLIC: set[str] = set()
# Templates and property lists hold no people; `choose` only redirects.
NO_RECORDS = {
    "reassurance:choose",
    "reassurance:templates",
    "reassurance:template-add",
    "reassurance:property-lists",
    "reassurance:property-import",
}
ON_CASE = {"reassurance_batch": _on_case}
