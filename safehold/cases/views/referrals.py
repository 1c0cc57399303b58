"""A partner's referral: question pages that save a draft after each page, "Check your answers",
sending, and the referrer's view of what happened to it.

Every referral is reached through `referrals_visible_to(user)`; only its referrer may change a
draft, and a sent referral is read-only (its question pages lead to its detail page).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format

from safehold import audit
from safehold.audit.choices import Action
from safehold.cases import rules
from safehold.cases.choices import ExploitationType, ReferralStatus
from safehold.cases.forms.referrals import (
    AboutForm,
    AddressForm,
    ConsentForm,
    ExploitationTypesForm,
    PersonForm,
    QuestionForm,
    SignsForm,
    UrgencyForm,
)
from safehold.cases.models import Case, Referral
from safehold.cases.selectors import cases_visible_to, my_referrals, referrals_visible_to
from safehold.cases.services import referrals as services
from safehold.core.registry import record_notes
from safehold.core.visibility import NotVisible, get_visible_or_404
from safehold.geography import postcodes

PAGE_SIZE = 25
SAVE_LATER = "save-later"
FIND_POSTCODE = "find-postcode"


@dataclass(frozen=True)
class Step:
    """One question page: its URL name is `cases:referral-<slug>`."""

    slug: str
    form: type[QuestionForm]
    title: str
    template: str = "cases/referral_question.html"

    @property
    def url_name(self) -> str:
        return f"cases:referral-{self.slug}"


STEPS = [
    Step("person", PersonForm, "About the person"),
    Step("about", AboutForm, "Who the person is", "cases/referral_about.html"),
    Step("address", AddressForm, "Their address", "cases/referral_address.html"),
    Step("signs", SignsForm, "What you have noticed"),
    Step("exploitation", ExploitationTypesForm, "The kind of exploitation"),
    Step("consent", ConsentForm, "Their consent"),
    Step("urgency", UrgencyForm, "Urgency and risks"),
]


def resume_url(referral: Referral) -> str:
    """The first question not yet answered, or "Check your answers" when all are."""
    for step in STEPS:
        if not step.form.is_answered(referral):
            return reverse(step.url_name, kwargs={"pk": referral.pk})
    return reverse("cases:referral-check", kwargs={"pk": referral.pk})


def _is_complete(referral: Referral) -> bool:
    return all(step.form.is_answered(referral) for step in STEPS)


def _own_draft(request: HttpRequest, pk) -> tuple[Referral, HttpResponse | None]:
    """The user's own draft, or a redirect to the detail page of a referral already sent.

    A POST locks the row, so a double click on "Send referral" cannot send it twice."""
    referrals = referrals_visible_to(request.user).select_related("programme")
    if request.method == "POST":
        referrals = referrals.select_for_update(of=("self",))
    referral = get_visible_or_404(referrals, pk=pk)
    if referral.status != ReferralStatus.DRAFT:
        if rules.made_referral(request.user, referral):
            messages.info(request, "This referral has been sent, so it can no longer be changed")
        return referral, redirect("cases:referral-detail", pk=referral.pk)
    if not rules.can_change_draft(request.user, referral):
        raise NotVisible(Referral, {"pk": pk})
    return referral, None


def _not_available(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/referral_not_available.html")


def _question(
    request: HttpRequest, step: Step, referral: Referral | None, programme
) -> HttpResponse:
    """Show a question page, or save its answers to the draft and move on."""
    index = STEPS.index(step)
    changing = request.GET.get("change") == "1"
    found = None
    if request.method == "POST" and request.POST.get("action") == FIND_POSTCODE:
        # "Find the area": only the postcode is checked and nothing is saved yet.
        form, found = _postcode_found(step, referral, request.POST)
    elif request.method == "POST":
        later = request.POST.get("action") == SAVE_LATER
        form = step.form.for_referral(referral, request.POST, partial=later)
        if form.is_valid():
            if referral is None and later and not form.has_changed():
                return redirect("cases:referral-list")
            try:
                referral = services.save_draft(
                    referral=referral, programme=programme, by=request.user, **form.draft_fields()
                )
            except services.ReferralError as error:
                messages.info(request, str(error))
                return redirect("cases:referral-detail", pk=referral.pk)
            if later:
                messages.success(
                    request, "Your referral has been saved. You can come back to it from this page."
                )
                return redirect("cases:referral-list")
            if changing or index + 1 == len(STEPS):
                # After a change, back to "Check your answers", by way of any question the
                # change has opened up (a description instead of a name, say).
                return redirect(
                    resume_url(referral) + ("" if _is_complete(referral) else "?change=1")
                )
            return redirect(STEPS[index + 1].url_name, pk=referral.pk)
    else:
        initial = step.form.initial_from(referral) if referral else None
        form = step.form.for_referral(referral, initial=initial)
    if changing:
        back = reverse("cases:referral-check", kwargs={"pk": referral.pk})
    elif index == 0:
        back = reverse("cases:referral-list")
    else:
        back = reverse(STEPS[index - 1].url_name, kwargs={"pk": referral.pk})
    if referral is not None:  # the page shows the draft's answers about the person
        audit.record(
            action=Action.CONSULT, actor=request.user, target=referral,
            purpose=f"referral draft: {step.slug}",
        )  # fmt: skip
    context = {
        "form": form, "step": step, "referral": referral, "back_url": back, "found": found,
    }  # fmt: skip
    return render(request, step.template, context)


def _postcode_found(step: Step, referral: Referral | None, data):
    """The address page as typed, with where its postcode is (its ward and LSOA, or that it is
    outside the partnership's area); only a problem with the postcode itself is shown."""
    form = step.form.for_referral(referral, data, partial=True)
    form.is_valid()
    postcode_errors = form.errors.get("postcode")
    for name in list(form.errors):
        if name != "postcode":
            del form.errors[name]
    found = None
    if not postcode_errors:
        typed = form.cleaned_data.get("postcode", "")
        found = postcodes.look_up(typed) if typed else None
        if not typed:
            form.add_error("postcode", "Enter a postcode to find the area it is in")
        elif found is None:
            form.add_error(
                "postcode", "We could not find that postcode: check it, or continue without it"
            )
    return form, found


def referral_start(request: HttpRequest) -> HttpResponse:
    """The first question of a new referral; its answers create the draft."""
    programme = services.default_programme()
    if programme is None:
        return _not_available(request)
    return _question(request, STEPS[0], None, programme)


def step_view(step: Step):
    def view(request: HttpRequest, pk) -> HttpResponse:
        referral, elsewhere = _own_draft(request, pk)
        return elsewhere or _question(request, step, referral, referral.programme)

    view.__name__ = view.__qualname__ = f"referral_{step.slug}"
    view.__doc__ = f"Question page: {step.title.lower()}."
    return view


def _type_labels(referral: Referral) -> list[str]:
    labels = dict(ExploitationType.choices)
    return [labels.get(code, code) for code in referral.suspected_types]


def _outcome(case: Case) -> str:
    """The one line of a case the referrer may see: "Closed on 3 May 2026: positively resolved"."""
    if not case.is_closed:
        return "The case is open"
    reason = case.get_closure_reason_display()
    return f"Closed on {date_format(case.closed_on, 'j F Y')}: {reason[:1].lower()}{reason[1:]}"


def referral_check(request: HttpRequest, pk) -> HttpResponse:
    """Check your answers, then send: the draft becomes a referral in the triage queue."""
    referral, elsewhere = _own_draft(request, pk)
    if elsewhere:
        return elsewhere
    if not _is_complete(referral):
        return redirect(resume_url(referral))
    if request.method == "POST":
        try:
            services.submit(referral=referral, by=request.user)
        except services.ReferralError:  # sent from another tab a moment ago
            return redirect("cases:referral-detail", pk=referral.pk)
        return redirect("cases:referral-sent", pk=referral.pk)
    audit.record(
        action=Action.CONSULT, actor=request.user, target=referral,
        purpose="referral draft: check answers",
    )  # fmt: skip
    context = {
        "referral": referral,
        "signs": referral.signs.all(),
        "types": _type_labels(referral),
        "change": True,
    }
    return render(request, "cases/referral_check.html", context)


def referral_sent(request: HttpRequest, pk) -> HttpResponse:
    """The confirmation panel with the reference, for the referrer who has just sent it."""
    referral = get_visible_or_404(
        referrals_visible_to(request.user).select_related("programme"), pk=pk
    )
    if referral.status == ReferralStatus.DRAFT:
        return redirect(resume_url(referral))
    if not rules.made_referral(request.user, referral):
        return redirect("cases:referral-detail", pk=referral.pk)
    return render(request, "cases/referral_sent.html", {"referral": referral})


def referral_list(request: HttpRequest) -> HttpResponse:
    """Your referrals: drafts to continue and sent referrals with what happened to them."""
    page = Paginator(my_referrals(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record(
            action=Action.CONSULT, actor=request.user, targets=page.object_list,
            purpose="my referrals",
        )  # fmt: skip
    for referral in page.object_list:
        referral.continue_url = (
            resume_url(referral) if referral.status == ReferralStatus.DRAFT else None
        )
    return render(request, "cases/referral_list.html", {"page": page})


def referral_detail(request: HttpRequest, pk) -> HttpResponse:
    """What was sent, the decision and its reason; for an accepted referral the case reference
    and, once the case is closed, its outcome. Nothing else of the case."""
    referral = get_visible_or_404(
        referrals_visible_to(request.user)
        .select_related(
            "case", "added_to_case", "source", "referrer", "referrer_agency", "programme"
        )
        .prefetch_related("signs"),
        pk=pk,
    )
    if referral.status == ReferralStatus.DRAFT:
        return redirect(resume_url(referral))
    audit.record(
        action=Action.CONSULT, actor=request.user, target=referral, purpose="view referral"
    )
    try:
        case = referral.case
    except Case.DoesNotExist:
        case = referral.added_to_case  # a repeat referral added to a case already open
    if referral.status != ReferralStatus.ACCEPTED:
        case = None
    context = {
        "referral": referral,
        "case": case,
        "outcome": _outcome(case) if case else "",
        "signs": referral.signs.all(),
        "types": _type_labels(referral),
        "is_referrer": rules.made_referral(request.user, referral),
        # The case's page is linked for those who may open it (the referrer of another agency
        # sees only its reference and outcome).
        "case_visible": case is not None
        and cases_visible_to(request.user).filter(pk=case.pk).exists(),
        # What other apps say about it (an operation it was raised during), through their gates.
        "record_notes": record_notes(request.user, referral),
    }
    return render(request, "cases/referral_detail.html", context)
