"""The results page of the header search: one section per kind of record. A search is a
consultation: one audit event per kind found names the records the page revealed (never the
words searched for, ADR 0025)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.audit.choices import Action
from safehold.search import rules, selectors

PURPOSE = "header search"


def _audit(request: HttpRequest, results: selectors.Results) -> None:
    filters = ["q"] + (["date of birth"] if results.date_of_birth else [])
    purpose = audit.search_purpose(PURPOSE, filters)
    user = request.user
    for records, subjects in (
        (results.cases.records, [c.subject_id for c in results.cases.records]),
        (results.people.records, results.people.records),
        (results.places.records, ()),
        (results.referrals.records, ()),
    ):  # fmt: skip
        if records:
            audit.record(
                action=Action.CONSULT, actor=user, targets=records, subjects=subjects,
                purpose=purpose,
            )  # fmt: skip
    if results.who_else:
        for object_type in ("people.person", "cases.case"):
            found = [w for w in results.who_else if object_type.endswith(w.record_type)]
            if found:
                audit.record(
                    action=Action.CONSULT, actor=user, object_type=object_type,
                    object_ids=[w.record_id for w in found],
                    subjects=[w.subject_id for w in found], purpose=purpose,
                )  # fmt: skip
    if not results.found:
        # Searching is itself a consultation, found or not.
        audit.record(action=Action.CONSULT, actor=user, purpose=purpose)


def results(request: HttpRequest) -> HttpResponse:
    if not rules.can_search(request.user):
        raise PermissionDenied
    searched = "q" in request.GET
    found = selectors.search(request.user, query=request.GET.get("q", ""))
    error = "Enter a reference, name, date of birth, postcode or address" if searched and not (
        found.words or found.date_of_birth
    ) else ""  # fmt: skip
    if found.words or found.date_of_birth:
        _audit(request, found)
    return render(
        request,
        "search/results.html",
        {"results": found, "q": found.query, "error": error, "searched": searched},
    )
