"""What every governance page shares: the role check, record lookups that 404 outside the
user's agency, the consultation audit, and the one-form page."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safehold import audit
from safehold.audit.choices import Action
from safehold.core.visibility import NotVisible, get_visible_or_404
from safehold.governance import selectors
from safehold.governance.choices import RecordType
from safehold.governance.rules import can_govern


def require_govern(request: HttpRequest) -> None:
    if not can_govern(request.user):
        raise PermissionDenied


def consult(request: HttpRequest, records, *, subjects, purpose: str) -> None:
    records = [r for r in records if r is not None]
    if records:
        audit.record(
            action=Action.CONSULT,
            actor=request.user,
            targets=records,
            subjects=subjects,
            purpose=purpose,
        )


def held(request: HttpRequest, queryset, pk):
    """A record the user's agency holds, for its governance roles; 404 for everyone else, the
    agency's other roles included (a 403 would tell them the record exists)."""
    if not can_govern(request.user):
        raise NotVisible(queryset.model, {"pk": pk})
    return get_visible_or_404(queryset, pk=pk)


def person_of(request: HttpRequest, pk):
    people = selectors.people_held_by(request.user).select_related("owning_agency")
    return held(request, people.prefetch_related("aliases"), pk)


def case_of(request: HttpRequest, pk):
    cases = selectors.cases_held_by(request.user)
    return held(
        request, cases.select_related("subject", "owning_agency", "referral", "location"), pk
    )


def referral_of(request: HttpRequest, pk):
    return held(request, selectors.referrals_held_by(request.user).select_related("programme"), pk)


RECORD_GETTERS = {
    RecordType.CASE: case_of,
    RecordType.REFERRAL: referral_of,
    RecordType.PERSON: person_of,
}


def describe(record_type: str, record) -> tuple[str, list[tuple[str, str]]]:
    """A record's title and summary rows for the confirmation pages, with its retention."""
    rules = selectors.policies()
    policy = rules[record_type] if record_type in rules else None
    if record_type == RecordType.CASE:
        rows = [
            ("Subject", record.subject.full_name),
            ("Status", record.get_status_display()),
            ("Closed on", f"{record.closed_on:%-d %B %Y}" if record.closed_on else "Open"),
        ]
        title = f"Case {record.reference}"
    elif record_type == RecordType.REFERRAL:
        rows = [
            ("Named as", record.subject_name or "Not named"),
            ("Status", record.get_status_display()),
            ("Decided on", f"{timezone.localdate(record.triaged_at):%-d %B %Y}" if record.triaged_at else "Not decided"),
        ]  # fmt: skip
        title = f"Referral {record.reference}"
    else:
        rows = [
            ("Date of birth", f"{record.date_of_birth:%-d %B %Y}" if record.date_of_birth else "Not known"),
            ("Last changed", f"{timezone.localdate(record.modified_at):%-d %B %Y}"),
        ]  # fmt: skip
        title = record.full_name
    if policy is not None:
        rows.append(("Retention", f"{policy.period_label} from {policy.starts_from}"))
    decision = selectors.latest_retain_decision(record_type, record.pk)
    if decision is not None:
        rows.append(
            (
                "Last retained",
                f"{timezone.localdate(decision.decided_at):%-d %B %Y} by "
                f"{decision.decided_by.full_name}, until {decision.next_review_on:%-d %B %Y}: "
                f"{decision.reason}",
            )
        )
    return title, rows


def subjects_of(record_type: str, record) -> list:
    if record_type == RecordType.CASE:
        return [record.subject_id]
    return [record.pk] if record_type == RecordType.PERSON else []


def form_page(request, *, title, caption, rows=(), form, submit, warning=False, blockers=(),
               extra=None, cancel=None, status=200):  # fmt: skip
    return render(
        request,
        "governance/form_page.html",
        {
            "title": title,
            "caption": caption,
            "rows": rows,
            "form": form,
            "submit": submit,
            "warning": warning,
            "blockers": blockers,
            "extra": extra or {},
            "cancel": cancel or reverse("governance:retention"),
        },
        status=status,
    )
