"""Human references: EXP-2023-0042 for cases, REF-2023-0042 for referrals, numbered within
each programme (another agency's references and volumes cannot be inferred from one's own)."""

from django.db import transaction

from safehold.cases.models import Programme, ReferenceCounter


@transaction.atomic
def next_reference(*, programme: Programme, prefix: str, year: int) -> str:
    """The programme's next number for a prefix and year; the counter row is locked until
    commit."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        programme=programme, prefix=prefix, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:04d}"


@transaction.atomic
def reserve_reference(*, programme: Programme, reference: str) -> None:
    """Make sure numbers handed out later never collide with an imported reference."""
    prefix, year, number = reference.rsplit("-", 2)
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        programme=programme, prefix=prefix, year=int(year)
    )
    if int(number) > counter.last:
        counter.last = int(number)
        counter.save(update_fields=["last"])
