"""Template context every page needs: the service navigation for the signed-in user."""

from django.http import HttpRequest
from django.urls import reverse

from safehold.accounts import rules as account_rules
from safehold.crime import rules as crime_rules
from safehold.governance import rules as governance_rules
from safehold.performance import rules as performance_rules
from safehold.reports import rules as report_rules
from safehold.sharing import rules as sharing_rules


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("Home", reverse("core:home")), ("Referrals", reverse("cases:referral-list"))]
    if account_rules.can_edit_people(user):
        items.append(("Triage", reverse("cases:triage")))
    if account_rules.can_browse_people(user):
        items += [
            ("Cases", reverse("cases:list")),
            ("Tasks", reverse("cases:my-tasks")),
            ("People", reverse("people:list")),
            ("Places", reverse("people:location-list")),
            ("Sharing", reverse("sharing:who-else")),
        ]
    if report_rules.can_view_reports(user):
        items.append(("Reports", reverse("reports:evaluation")))
    if performance_rules.can_view_performance(user):
        items.append(("Performance", reverse("performance:report")))
    if crime_rules.can_view_crime_analytics(user):
        items.append(("Crime and ASB", reverse("crime:dashboard")))
    if sharing_rules.can_manage_agreements(user):
        items.append(("Agreements", reverse("sharing:agreements")))
    if account_rules.can_search_audit(user):
        items.append(("Audit", reverse("audit:search")))
    if governance_rules.can_govern(user):
        items.append(("Governance", reverse("governance:index")))
    if account_rules.can_manage_users(user):
        items.append(("Users", reverse("accounts:user-list")))
    path = request.path
    nav = [
        {
            "text": text,
            "href": href,
            "current": path == href,
            "active": href != "/" and path.startswith(href),
        }
        for text, href in items
    ]
    return {"nav_items": nav}
