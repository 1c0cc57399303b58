"""Changing the indicator catalogue: each change is a new version, made by an administrator with
a reason and recorded in the audit log; versions are never edited (issue 18, item 1)."""

import copy

from django.db import transaction

from safehold import audit
from safehold.accounts.models import User
from safehold.audit.choices import Action
from safehold.core.errors import NotPermitted, ServiceError
from safehold.risk.indicators import BY_CODE, default_settings
from safehold.risk.models import IndicatorVersion
from safehold.risk.rules import can_change_indicators

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
