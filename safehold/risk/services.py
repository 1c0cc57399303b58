"""Changing the indicator catalogue: each change is a new version, made by an administrator with
a reason and recorded in the audit log; versions are never edited (issue 18, item 1). Reviewing
an entry of the list: one service per decision, each the officer's audited act (ADR 0059)."""

import copy
import datetime

from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.cases.services.referrals import default_programme, send_referral
from safehold.core.errors import NotPermitted, ServiceError
from safehold.risk.choices import Decision
from safehold.risk.indicators import BY_CODE, default_settings
from safehold.risk.models import IndicatorVersion, Review
from safehold.risk.rules import can_change_indicators, can_review
from safehold.risk.selectors import entry_for

MAX_WEIGHT = 100
SETTING_KEYS = {"enabled", "weight", "params", "owner"}


class IndicatorsRefused(ServiceError):
    """The change names an unknown indicator or parameter, or a value it cannot take."""


def current_version() -> IndicatorVersion:
    """The latest version of the catalogue; the first (the defaults) is made on first use if the
    data migration's was removed."""
    version = IndicatorVersion.objects.order_by("-number").first()
    if version is None:
        version = _first_version()
    return version


@transaction.atomic
def _first_version() -> IndicatorVersion:
    version, created = IndicatorVersion.objects.get_or_create(
        number=1,
        defaults={"settings": default_settings(), "reason": "The default indicators."},
    )
    if created:
        audit.record(
            action=Action.COLLECT,
            target=version,
            purpose="the first version of the risk indicators (the defaults)",
            actor_label="Safehold",
        )
    return version


def _checked(code: str, change: dict, settings: dict) -> dict:
    if code not in BY_CODE:
        raise IndicatorsRefused(f"“{code}” is not an indicator")
    unknown = set(change) - SETTING_KEYS
    if unknown:
        raise IndicatorsRefused(f"An indicator has no setting “{sorted(unknown)[0]}”")
    merged = copy.deepcopy(settings.get(code) or BY_CODE[code].default_settings())
    if "enabled" in change:
        if not isinstance(change["enabled"], bool):
            raise IndicatorsRefused(f"Say whether “{BY_CODE[code].name}” is on: true or false")
        merged["enabled"] = change["enabled"]
    if "weight" in change:
        weight = change["weight"]
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= MAX_WEIGHT:
            raise IndicatorsRefused(
                f"The weight of “{BY_CODE[code].name}” must be a whole number from 0 to "
                f"{MAX_WEIGHT}"
            )
        merged["weight"] = weight
    if "owner" in change:
        owner = " ".join(str(change["owner"]).split())
        if not owner:
            raise IndicatorsRefused(f"Enter the owner of “{BY_CODE[code].name}”")
        merged["owner"] = owner[:200]
    for name, value in (change.get("params") or {}).items():
        if name not in BY_CODE[code].params:
            raise IndicatorsRefused(f"“{BY_CODE[code].name}” has no parameter “{name}”")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise IndicatorsRefused(
                f"The {name} of “{BY_CODE[code].name}” must be a whole number, 1 or more"
            )
        merged["params"][name] = value
    return merged


@transaction.atomic
def change_indicators(*, by: User, changes: dict[str, dict], reason: str) -> IndicatorVersion:
    """Make a new version of the catalogue from the current one with `changes` ({code: {enabled,
    weight, params: {name: value}, owner}}, any part of each), with the reason for it. Only
    administrators; NotPermitted otherwise. The audit event names the indicators changed, not
    their values."""
    if not can_change_indicators(by):
        raise NotPermitted("Only administrators change the risk indicators")
    reason = " ".join(reason.split())
    if not reason:
        raise IndicatorsRefused("Enter the reason for the change")
    if not changes:
        raise IndicatorsRefused("Change at least one indicator")
    current = (
        IndicatorVersion.objects.select_for_update().order_by("-number").first() or _first_version()
    )
    settings = copy.deepcopy(current.settings)
    for code, change in changes.items():
        settings[code] = _checked(code, change, settings)
    version = IndicatorVersion.objects.create(
        number=current.number + 1, settings=settings, created_by=by, reason=reason
    )
    audit.record(
        action=Action.ALTER,
        actor=by,
        target=version,
        purpose=(
            f"risk indicators version {version.number} (from {current.number}): changed "
            f"{', '.join(sorted(changes))}"
        )[:500],
    )
    return version


class ReviewRefused(ServiceError):
    """A decision without its reason, or on an entry that is not on the list."""


def _review(*, by: User, as_of: datetime.date, subject_ref: str, decision: str, reason: str):
    """Record a person's decision on an entry of the list of `as_of` as they see it, with the
    entry's evidence fingerprint; the caller adds what the decision does (a referral)."""
    if not can_review(by):
        raise NotPermitted("Only tenancy and exploitation officers and their supervisors decide")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewRefused("Enter the reason for your decision")
    found = entry_for(by, as_of, subject_ref, purpose="reviewed")
    if found is None:
        raise NotPermitted("This entry is not on the list")
    made, entry = found
    review = Review.objects.create(
        subject_ref=entry.subject_ref,
        fingerprint=entry.fingerprint,
        decision=decision,
        reason=reason,
        decided_by=by,
        agency_id=by.agency_id,
        as_of=as_of,
        indicators_version=made.version,
        score=entry.score,
        person_ids=entry.person_ids,
    )
    return review, entry


def _recorded(review: Review, by: User) -> Review:
    # The decision, never the reason typed (free text may name anyone: ADR 0025).
    audit.record(
        action=Action.COLLECT,
        actor=by,
        target=review,
        subjects=review.person_ids,
        purpose=f"top indicators list review: {review.get_decision_display().lower()}",
    )
    return review


@transaction.atomic
def offer_tenancy_support(
    *, by: User, as_of: datetime.date, subject_ref: str, reason: str
) -> Review:
    """Decide to offer the tenant tenancy support: the officer's act, recorded; the support
    itself is arranged by the officer, never by Safehold."""
    review, _ = _review(
        by=by, as_of=as_of, subject_ref=subject_ref, decision=Decision.TENANCY_SUPPORT,
        reason=reason,
    )  # fmt: skip
    return _recorded(review, by)


@transaction.atomic
def refer_to_exploitation_team(
    *, by: User, as_of: datetime.date, subject_ref: str, reason: str
) -> Review:
    """Decide to refer the subject to the exploitation team, and send the referral (through
    the cases app's referral service, as the officer's own) in the same transaction; the review
    names it. Either both are recorded or neither."""
    review, entry = _review(
        by=by, as_of=as_of, subject_ref=subject_ref, decision=Decision.REFER, reason=reason
    )
    programme = default_programme()
    if programme is None:
        raise ReviewRefused("There is no exploitation programme to refer to")
    given, _, family = entry.name.partition(" ")
    seen = "; ".join(r.name for r in entry.reasons)
    review.referral = send_referral(
        programme=programme,
        by=by,
        subject_known=bool(entry.name),
        subject_given_name=given[:100],
        subject_family_name=family[:100],
        what_was_seen=(
            f"Referred after a review of the top indicators list of {as_of:%-d %B %Y} "
            f"(entry {entry.subject_ref}, score {entry.score}, indicators version "
            f"{review.indicators_version}). Indicators: {seen}. Reason for referring: {reason}"
        ),
    )
    review.save(update_fields=["referral", "modified_at"])
    return _recorded(review, by)


@transaction.atomic
def watch(*, by: User, as_of: datetime.date, subject_ref: str, reason: str) -> Review:
    """Decide to watch the entry: it stays on the list, marked as watched, for the next
    review."""
    review, _ = _review(
        by=by, as_of=as_of, subject_ref=subject_ref, decision=Decision.WATCH, reason=reason
    )
    return _recorded(review, by)


@transaction.atomic
def no_action(*, by: User, as_of: datetime.date, subject_ref: str, reason: str) -> Review:
    """Decide that nothing is needed: the entry leaves the list until something new
    appears."""
    review, _ = _review(
        by=by, as_of=as_of, subject_ref=subject_ref, decision=Decision.NO_ACTION, reason=reason
    )
    return _recorded(review, by)


DECIDE = {
    Decision.TENANCY_SUPPORT: offer_tenancy_support,
    Decision.REFER: refer_to_exploitation_team,
    Decision.WATCH: watch,
    Decision.NO_ACTION: no_action,
}
