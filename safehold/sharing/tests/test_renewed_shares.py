"""Sharing wording (issue 14, defect 9): the reason for sharing reaches the recipient, as the
share form promises ("They will see this"), and a renewed share replaces the earlier one, so
a record's page has one line per agency."""

from django.urls import reverse

from safehold.audit.choices import Action
from safehold.audit.models import AuditEvent
from safehold.sharing import selectors, services
from safehold.sharing.models import Disclosure


def test_the_recipient_sees_the_reason_for_sharing(
    client, case, agreement, police, housing_officer, police_officer
):
    services.disclose(
        agreement=agreement, to_agency=police, level="full", by=housing_officer, case=case,
        purpose="Joint visit planned with the neighbourhood team",
    )  # fmt: skip
    client.force_login(police_officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Reason for sharing:" in page
    assert "Joint visit planned with the neighbourhood team" in page
    assert "by Jo Holder" in page


def test_a_renewed_share_replaces_the_earlier_line(
    client, case, agreement, police, care, housing_officer, police_officer
):
    first = services.disclose(
        agreement=agreement, to_agency=police, level="name_only", purpose="Awareness",
        by=housing_officer, case=case,
    )  # fmt: skip
    services.disclose(
        agreement=agreement, to_agency=care, level="full", purpose="Care assessment",
        by=housing_officer, case=case,
    )  # fmt: skip
    renewed = services.disclose(
        agreement=agreement, to_agency=police, level="full", purpose="Joint visits",
        by=housing_officer, case=case,
    )  # fmt: skip
    first.refresh_from_db()
    assert first.revoked_at is not None and first.revoke_reason == "Replaced by a renewed share"
    assert Disclosure.objects.live().filter(to_agency=police, case=case).get() == renewed
    event = AuditEvent.objects.get(action=Action.DISCLOSE, object_ids__contains=str(renewed.pk))
    assert str(first.pk) in event.object_ids and "replacing" in event.purpose
    # The holder's page: one line per agency, the newest.
    lines = list(selectors.shared_with(housing_officer, case=case))
    assert sorted((d.to_agency.name, d.level) for d in lines) == [
        ("Testshire Adult Care", "full"),
        ("Testshire Police", "full"),
    ]
    client.force_login(housing_officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    section = page[page.index('id="sharing"') :]
    assert (
        section.count('<td class="govuk-table__cell">Testshire Police') == 1
        and "Awareness" not in section
    )
    # The recipient: one line, the renewed share's reason.
    client.force_login(police_officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert page.count("Shared with your organisation by") == 1
    assert "Joint visits" in page and "Awareness" not in page


def test_a_share_of_the_person_does_not_replace_the_share_of_their_case(
    case, agreement, police, housing_officer
):
    """The positive control of replacement: only the same record to the same agency."""
    of_case = services.disclose(
        agreement=agreement, to_agency=police, level="full", purpose="Case", by=housing_officer,
        case=case,
    )  # fmt: skip
    services.disclose(
        agreement=agreement, to_agency=police, level="full", purpose="Person",
        by=housing_officer, person=case.subject,
    )  # fmt: skip
    of_case.refresh_from_db()
    assert of_case.revoked_at is None
