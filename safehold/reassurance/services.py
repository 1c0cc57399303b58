"""Every write of reassurance work: one function per use case, atomic, checked against its
actor, audited in the same transaction (purposes name what was done, never a value typed)."""

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases.services import referrals as referral_services
from safehold.core.dates import today
from safehold.core.errors import Conflict, NotPermitted, ServiceError
from safehold.people.models import Location
from safehold.people.selectors import locations_visible_to
from safehold.reassurance import letters, rules
from safehold.reassurance.choices import BatchKind, VisitOutcome
from safehold.reassurance.models import (
    Batch,
    DoorVisit,
    LetterDelivery,
    LetterTemplate,
    LetterTemplateVersion,
)
from safehold.reassurance.selectors import Address, walking_order

PREFIXES = {BatchKind.LETTERS: "RL", BatchKind.LEAFLETS: "LD"}
MAX_ADDRESSES = 2000


class ReassuranceError(ServiceError):
    """Reassurance work that cannot be done as asked (a 400 with this message)."""


def _require_worker(by: User) -> None:
    if not rules.can_work(by):
        raise NotPermitted("You cannot plan or record reassurance work")


@transaction.atomic
def save_template(
    *, name: str, body: str, by: User, template: LetterTemplate | None = None
) -> LetterTemplateVersion:
    """Create a letter template or save a new version of one; unchanged text saves nothing."""
    _require_worker(by)
    if template is not None and template.owning_agency_id != by.agency_id:
        raise NotPermitted("You cannot change this template")
    found = letters.problems(body)
    if found:
        raise ReassuranceError(found[0])
    name = name.strip()
    if not name:
        raise ReassuranceError("Enter a name for the template")
    same_name = LetterTemplate.objects.filter(owning_agency=by.agency_id, name=name)
    if template is not None:
        same_name = same_name.exclude(pk=template.pk)
    if same_name.exists():
        raise ReassuranceError("Your agency already has a template with this name")
    if template is None:
        template = LetterTemplate.objects.create(owning_agency=by.agency, name=name)
        audit.record(
            action=Action.COLLECT, actor=by, target=template, purpose="letter template added"
        )
    elif template.name != name:
        template.name = name
        template.save(update_fields=["name", "modified_at"])
        audit.record(
            action=Action.ALTER, actor=by, target=template, purpose="letter template renamed"
        )
    latest = template.versions.order_by("-number").first()
    if latest is not None and latest.body == body:
        return latest
    version = LetterTemplateVersion.objects.create(
        template=template, number=(latest.number + 1) if latest else 1, body=body, saved_by=by
    )
    audit.record(
        action=Action.COLLECT, actor=by, target=version,
        purpose=f"letter template version {version.number} saved",
    )  # fmt: skip
    return version


def _next_reference(agency_id, kind: str, year: int) -> str:
    prefix = f"{PREFIXES[kind]}-{year}-"
    taken = Batch.objects.filter(owning_agency=agency_id, reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def create_batch(
    *,
    premises: Location,
    kind: str,
    purpose: str,
    addresses: Sequence[Address],
    by: User,
    template_version: LetterTemplateVersion | None = None,
    officer_name: str = "",
    radius_m: int | None = None,
    context: str | None = None,
) -> Batch:
    """A batch of letters (or a leaflet drop) for addresses around a premises, each address a
    LetterDelivery in walking order (by street, then number)."""
    _require_worker(by)
    if not locations_visible_to(by).filter(pk=premises.pk).exists():
        raise NotPermitted("You cannot plan work at this place")
    if kind not in BatchKind.values:
        raise ReassuranceError("Select letters or a leaflet drop")
    if not purpose.strip():
        raise ReassuranceError("Enter what the letters or leaflets are for")
    if not addresses:
        raise ReassuranceError("There are no addresses to deliver to: choose a larger distance")
    if len(addresses) > MAX_ADDRESSES:
        raise ReassuranceError(f"A batch can have at most {MAX_ADDRESSES:,} addresses")
    if kind == BatchKind.LETTERS:
        if template_version is None:
            raise ReassuranceError("Select the letter to print")
        if template_version.template.owning_agency_id != by.agency_id:
            raise NotPermitted("You cannot print this letter")
        if not officer_name.strip():
            raise ReassuranceError("Enter the name of the officer who signs the letters")
    else:
        template_version = None
    reference = _next_reference(by.agency_id, kind, today().year)
    batch = Batch.objects.create(
        owning_agency=by.agency, reference=reference, kind=kind, premises=premises,
        purpose=purpose.strip(), context=context, radius_m=radius_m,
        template_version=template_version, officer_name=officer_name.strip(), created_by=by,
    )  # fmt: skip
    LetterDelivery.objects.bulk_create(
        LetterDelivery(
            batch=batch,
            location=a.location,
            property=a.listed,
            address=a.one_line,
            postcode=a.postcode,
            street=a.street_key.street[:200],
            house_number=a.street_key.number if a.street_key.number < 10**9 else None,
            position=position,
            distance_m=round(a.distance_m),
            letter_reference=f"{reference}-{position:03d}",
        )
        for position, a in enumerate(walking_order(addresses), start=1)
    )
    audit.record(
        action=Action.COLLECT, actor=by, target=batch,
        object_ids=[premises.pk, *(a.location.pk for a in addresses if a.location)],
        purpose=f"{batch.get_kind_display().lower()} planned for {len(addresses)} addresses",
    )  # fmt: skip
    return batch


@transaction.atomic
def record_deliveries(
    *, batch: Batch, delivered: Iterable[LetterDelivery], delivered_on: datetime.date, by: User
) -> int:
    """Mark addresses of a batch delivered on a date (again: no change); the number marked."""
    _require_worker(by)
    if batch.owning_agency_id != by.agency_id:
        raise NotPermitted("You cannot record deliveries for this batch")
    if delivered_on > today():
        raise ReassuranceError("The date of delivery must be today or in the past")
    ids = [d.pk for d in delivered if d.batch_id == batch.pk]
    marked = batch.deliveries.filter(pk__in=ids, delivered_on__isnull=True).update(
        delivered_on=delivered_on, delivered_by=by
    )
    if marked:
        audit.record(
            action=Action.ALTER, actor=by, target=batch,
            purpose=f"{marked} deliveries recorded",
        )  # fmt: skip
    return marked


@transaction.atomic
def record_visit(
    *,
    delivery: LetterDelivery,
    visited_on: datetime.date,
    outcome: str,
    note: str = "",
    by: User,
) -> DoorVisit:
    """A knock on a batch's address and what came of it."""
    _require_worker(by)
    if delivery.batch.owning_agency_id != by.agency_id:
        raise NotPermitted("You cannot record visits for this batch")
    if visited_on > today():
        raise ReassuranceError("The date of the visit must be today or in the past")
    if outcome not in VisitOutcome.values:
        raise ReassuranceError("Select what happened at the door")
    visit = DoorVisit.objects.create(
        delivery=delivery, owning_agency=by.agency, visited_on=visited_on, outcome=outcome,
        note=note, recorded_by=by,
    )  # fmt: skip
    audit.record(
        action=Action.COLLECT, actor=by, target=visit,
        object_ids=[delivery.location_id] if delivery.location_id else [],
        purpose="door-to-door visit recorded",
    )  # fmt: skip
    return visit


@transaction.atomic
def raise_referral(*, visit: DoorVisit, by: User):
    """From a visit that found a possible unknown victim: a referral into the triage queue of
    the partnership's programme, sent by the visiting officer through the referral service,
    and linked to the visit (the visit names the referral; the referral's `door_visit` is the
    visit). Once per visit."""
    _require_worker(by)
    if visit.owning_agency_id != by.agency_id:
        raise NotPermitted("You cannot raise a referral from this visit")
    if visit.outcome != VisitOutcome.POSSIBLE_VICTIM:
        raise Conflict("Only a visit that found a possible unknown victim raises a referral")
    if visit.referral_id:
        raise Conflict(f"This visit has already raised referral {visit.referral.reference}")
    programme = referral_services.default_programme()
    if programme is None:
        raise Conflict("No programme takes referrals yet")
    delivery = visit.delivery
    source = delivery.location or delivery.property
    # The address as the place or property holds it; as printed if neither is linked.
    where = (
        {"address_line_1": source.address_line_1, "address_line_2": source.address_line_2,
         "town": source.town, "postcode": source.postcode}
        if source is not None
        else {"address_line_1": delivery.address[:200], "postcode": delivery.postcode}
    )  # fmt: skip
    seen = (
        f"Door-to-door visit of {delivery.batch.reference} ({delivery.letter_reference}) on "
        f"{visit.visited_on.day} {visit.visited_on:%B %Y}: a possible unknown victim at this address."
    )
    if visit.note:
        seen += f"\n\n{visit.note}"
    referral = referral_services.send_referral(
        programme=programme,
        by=by,
        subject_known=False,
        **where,
        what_was_seen=seen,
    )
    visit.referral = referral
    visit.save(update_fields=["referral", "modified_at"])
    audit.record(
        action=Action.ALTER, actor=by, target=visit, object_ids=[referral.pk],
        purpose="referral raised from a door-to-door visit",
    )  # fmt: skip
    return referral
