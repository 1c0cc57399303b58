"""The health endpoint: JSON for load balancers and monitoring, no sign-in, no personal data."""

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safehold.upkeep.health import FAILING, check


@login_not_required
@never_cache
@require_GET
@transaction.non_atomic_requests  # a request transaction would need the database it checks
def health(request):
    report = check()
    return JsonResponse(report.as_json(), status=503 if report.status == FAILING else 200)
