"""The case list: filters, search by name, reference or postcode, sorting and paging.

Its filters (`filters_of`, `sorted_cases`, `search_purpose`) are shared with the export, which
exports what the list shows.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.accounts import rules as account_rules
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases import selectors
from safehold.cases.choices import CaseStatus, ExploitationType, RiskLevel
from safehold.geography.models import NeighbourhoodArea

PAGE_SIZE = 50
SORTS = {
    "reference": "reference",
    "received": "referral_date",
    "subject": "subject__family_name",
    "risk": "risk_rank",
    "status": "status",
}


# The list's filters by the name of their query parameter, for the audit purpose.
PARAMETERS = {
    "query": "q",
    "status": "status",
    "exploitation_type": "type",
    "area_id": "area",
    "risk_level": "risk",
    "lead_officer_id": "officer",
    "overdue_only": "overdue",
}


class KeysFirstPaginator(Paginator):
    """Pages of a queryset whose page query finds the page's keys first (sorted, the offset
    skipped, on the case table alone) and joins the subjects, places and officers to those 50
    rows only: the same rows in the same order, in one query, but a page deep in the list no
    longer joins every row it skips (ADR 0065)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)


def filters_of(request: HttpRequest) -> dict:
    get = request.GET
    return {
        "query": get.get("q", "").strip()[:100],
        "status": get.get("status", "") if get.get("status") in CaseStatus.values else "",
        "exploitation_type": get.get("type", "")
        if get.get("type") in ExploitationType.values
        else "",
        "area_id": get.get("area", "") if get.get("area", "").isdigit() else "",
        "risk_level": get.get("risk", "") if get.get("risk") in RiskLevel.values else "",
        "lead_officer_id": get.get("officer", "") if len(get.get("officer", "")) == 36 else "",
        "overdue_only": get.get("overdue") == "yes",
    }


def search_purpose(request: HttpRequest, what: str, **kwargs) -> str:
    """What was searched for, by the names of the filters used: never the words typed."""
    return audit.search_purpose(
        what, [PARAMETERS[name] for name, value in filters_of(request).items() if value], **kwargs
    )


def sorted_cases(request: HttpRequest):
    sort = request.GET.get("sort", "-received")
    key = SORTS.get(sort.lstrip("-"), "referral_date")
    order = f"-{key}" if sort.startswith("-") else key
    return selectors.search_cases(request.user, **filters_of(request), order=order), sort


def case_list(request: HttpRequest) -> HttpResponse:
    if not account_rules.can_browse_people(request.user):
        raise PermissionDenied
    cases, sort = sorted_cases(request)
    page = KeysFirstPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=page.object_list,
            subjects=[c.subject_id for c in page.object_list],
            purpose=search_purpose(request, "case list"),
        )
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("sort", None)
    filters = filters_of(request)
    context = {
        "page": page,
        "sort": sort,
        "filters": filters,
        "query": urlencode({**params.dict(), "sort": sort}),
        "filter_query": params.urlencode(),
        "statuses": CaseStatus.choices,
        "types": ExploitationType.choices,
        "risks": RiskLevel.choices,
        "areas": NeighbourhoodArea.objects.order_by("name"),
        "officers": User.objects.filter(agency=request.user.agency_id, led_cases__isnull=False)
        .distinct()
        .order_by("full_name"),
        "columns": [
            ("reference", "Reference"),
            ("subject", "Person"),
            ("received", "Referred"),
            ("risk", "Risk"),
            ("status", "Status"),
        ],
        "can_edit": account_rules.can_edit_people(request.user),
    }
    return render(request, "cases/case_list.html", context)
