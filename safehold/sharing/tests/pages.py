"""Helpers for the sharing page tests."""

from safehold.core.dates import today

__all__ = ["errors", "share_form", "today"]


def share_form(agreement, to_agency, level, **extra):
    return {
        "to_agency": str(to_agency.pk), "agreement": str(agreement.pk), "level": level,
        "purpose": "Joint working on cuckooing", **extra,
    }  # fmt: skip


def errors(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    return page


# Agreements and the record of processing
