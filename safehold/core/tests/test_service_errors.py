"""A service's refusal that its page did not catch becomes a clear answer, in pages and the API
alike, whatever app raised it (`safehold.core.errors`)."""

import pytest
from django.urls import path
from rest_framework.decorators import api_view

from config import urls as project_urls
from safehold.api.services import TokenError
from safehold.cases.services.cases import CaseClosed, CaseError
from safehold.cases.services.referrals import ReferralError
from safehold.core.errors import Conflict, NotPermitted, ServiceError
from safehold.governance.services import GovernanceError
from safehold.monitoring.services import AlertError
from safehold.people.restrictions import RestrictedFieldError
from safehold.performance.services import PerformanceError
from safehold.sharing.services import SharingError

ERRORS = {
    "case": CaseError("The closed date must be the same as or after the referral date"),
    "sharing": SharingError("The agreement is not in force"),
    "governance": GovernanceError("Only the organisation that holds the record can do this"),
    "conflict": Conflict("This referral has already been triaged"),
    "not-permitted": NotPermitted("You cannot change case EXP-2024-0001"),
}


def _page(request, kind):
    raise ERRORS[kind]


@api_view(["GET"])
def _api(request, kind):
    raise ERRORS[kind]


# The project's own URLs (the page's navigation links to them), and two views that refuse.
urlpatterns = [
    path("refused/<str:kind>/", _page),
    path("api/v1/refused/<str:kind>/", _api),
    *project_urls.urlpatterns,
]


def test_every_apps_service_errors_are_one_family():
    for error in (
        CaseClosed, CaseError, ReferralError, SharingError, GovernanceError, AlertError,
        TokenError, PerformanceError, RestrictedFieldError,
    ):  # fmt: skip
        assert issubclass(error, ServiceError), error


@pytest.mark.urls("safehold.core.tests.test_service_errors")
@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("case", 400),
        ("sharing", 400),
        ("governance", 400),
        ("conflict", 409),
        ("not-permitted", 404),
    ],
)
def test_a_refusal_the_page_did_not_catch_is_a_clear_page(signed_in, kind, status):
    response = signed_in.get(f"/refused/{kind}/")
    assert response.status_code == status
    page = response.content.decode()
    if status == 404:
        assert str(ERRORS[kind]) not in page  # as for any record one may not see
    else:
        assert "This could not be done" in page and str(ERRORS[kind]) in page


@pytest.mark.urls("safehold.core.tests.test_service_errors")
@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("case", 400),
        ("sharing", 400),
        ("governance", 400),
        ("conflict", 409),
        ("not-permitted", 404),
    ],
)
def test_the_api_answers_any_apps_refusal_with_its_status_and_message(signed_in, kind, status):
    response = signed_in.get(f"/api/v1/refused/{kind}/")
    assert response.status_code == status
    if status == 400:
        assert response.json() == {"non_field_errors": [str(ERRORS[kind])]}
    elif status == 409:
        assert response.json()["detail"] == str(ERRORS[kind])
