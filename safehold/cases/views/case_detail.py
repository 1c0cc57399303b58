"""The case page (everything about a case, in a fixed number of queries) and the download of
a document held against it; both audited as consultations."""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.cases import rules, selectors
from safehold.cases.choices import TaskStatus
from safehold.cases.deadlines import deadlines_for
from safehold.cases.models import EnforcementDocument
from safehold.core import dates
from safehold.core.visibility import get_visible_or_404
from safehold.people.selectors import people_visible_to
from safehold.sharing import selectors as sharing_selectors


def case_detail(request: HttpRequest, pk) -> HttpResponse:
    case = get_visible_or_404(selectors.case_detail(request.user, pk), pk=pk)
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=case,
        subjects=[case.subject_id],
        purpose="view case",
    )
    today = dates.today()
    may_edit = rules.can_change_case(request.user, case)
    partner = not may_edit and rules.can_add_entry(request.user, case)
    tasks = list(case.tasks.all())
    open_tasks = [] if case.is_closed else [t for t in tasks if t.status == TaskStatus.OPEN]
    referral = case.referral
    # The referral the case was opened from, then any repeat referrals added to it.
    referrals = ([referral] if referral else []) + list(case.later_referrals.all())
    enforcement = [(action, deadlines_for(action)) for action in case.enforcement.all()]
    # A person another agency shared and then stopped sharing stays linked, but unnamed here.
    linked = [link.person_id for link in case.links.all()]
    context = {
        "case": case,
        # Asked only when someone is linked: with no keys the gate's query is never sent, but
        # building and compiling it was still done (ADR 0065, second round).
        "named_people": set(
            people_visible_to(request.user).filter(pk__in=linked).values_list("pk", flat=True)
        )
        if linked
        else set(),
        "chronology": list(case.chronology.all()),
        "tasks": tasks,
        # A closed case has no open work, whatever its tasks say (ADR 0035).
        "open_tasks": open_tasks,
        "overdue": [t for t in open_tasks if t.due_on < today],
        "enforcement": enforcement,
        "can_edit": may_edit and not case.is_closed,
        # A partner with a full share adds to the chronology and completes its own tasks
        # (the same rules as `rules.can_add_entry` and `can_complete_task`, asked once).
        "can_add_entry": (may_edit or partner) and not case.is_closed,
        "completable": {
            t.pk
            for t in open_tasks
            if may_edit or (partner and rules.assigned_to_users_agency(request.user, t))
        },
        "partner_may_write": partner,
        "can_reopen": may_edit and case.is_closed,
        "today": today,
        # Who the case is shared with: everyone for its holder, only themselves for a recipient.
        "disclosures": list(sharing_selectors.shared_with(request.user, case=case)),
        "holds_record": case.owning_agency_id == request.user.agency_id,
        "can_share": may_edit,
        # The referral's own record, linked (not copied): its signs, what was seen, consent and
        # the risks to staff, shown to whoever may see the case; the link to the referral's
        # page only to those who may open it.
        "referral": referral,
        "referrals": referrals,
        "staff_risks": [r for r in referrals if r.risks_to_staff],
        "linked_referrals": set(
            selectors.referrals_visible_to(request.user)
            .filter(pk__in=[r.pk for r in referrals])
            .values_list("pk", flat=True)
        ),
    }
    return render(request, "cases/case_detail.html", context)


def document(request: HttpRequest, pk) -> HttpResponse:
    """Download an enforcement document: visible cases only, and audited."""
    doc = get_visible_or_404(
        EnforcementDocument.objects.filter(
            action__case__in=selectors.cases_visible_to(request.user)
        ).select_related("action__case"),
        pk=pk,
    )
    audit.record(
        action=Action.CONSULT,
        actor=request.user,
        target=doc,
        object_ids=[doc.action.case_id],
        subjects=[doc.action.case.subject_id],
        purpose=f"{doc.action.case.reference}: document downloaded",
        channel=Channel.EXPORT,
    )
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)
