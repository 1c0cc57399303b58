"""Optimistic locking (ADR 0061): a record edited by two people at once keeps the first save and
refuses the second, telling its author who changed the record and what it says now.

A record that people edit has a `version` column (`Versioned`), 1 when it is made and one more
at every change a service makes. A page or an API call that changes it says which version it
was opened with; `save_if_unchanged` writes the change with `UPDATE … WHERE id = ? AND
version = ?` and, when no row matched, raises `EditConflict`. The check and the write are one
statement, so two saves racing with the same version give exactly one success on SQLite and
on PostgreSQL alike, with no lock held between the page being shown and the save.

`core` knows no app: who made the last change is found by a finder the audit app registers
(`register_last_change_finder`), from the audit events every service writes.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.db import models
from django.db.models import F
from django.utils import timezone

from safehold.core.errors import Conflict


class Versioned(models.Model):
    """A record people edit: its version goes up by one at every change (ADR 0061)."""

    version = models.PositiveIntegerField(
        default=1, help_text="Goes up by one at every change; a save names the one it read"
    )

    class Meta:
        abstract = True


@dataclass(frozen=True)
class LastChange:
    """Who made a record's last change, and when (from the audit trail)."""

    by: str
    at: datetime.datetime | None


_last_change: Callable[[models.Model], LastChange | None] = lambda record: None  # noqa: E731


def register_last_change_finder(finder: Callable[[models.Model], LastChange | None]) -> None:
    """The audit app says how to find a record's last change (it knows the events)."""
    global _last_change
    _last_change = finder


class EditConflict(Conflict):
    """Someone else saved the record after the version this change was based on: nothing of
    this change was written. `current` is the record as it is now."""

    def __init__(self, *, current: models.Model, noun: str, last: LastChange | None):
        self.current, self.noun = current, noun
        self.changed_by = last.by if last and last.by else ""
        self.changed_at = last.at if last else None
        who = self.changed_by or "Someone else"
        super().__init__(f"{who} changed this {noun} while you were editing it")

    @property
    def version(self) -> int:
        return self.current.version

    def problem(self) -> dict:
        """What the API answers beside `detail` (docs/how-to/use-the-api.md)."""
        return {
            "version": self.version,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
        }


def conflict(model: type[models.Model], pk, noun: str) -> EditConflict:
    """The conflict over a record whose version is no longer the one the change was based on
    (or which is gone: then it is a 404 in the caller, which fetched it moments before)."""
    current = model._base_manager.get(pk=pk)
    return EditConflict(current=current, noun=noun, last=_last_change(current))


def require_version(record: Versioned, version: int | None, noun: str) -> None:
    """Refuse a change based on an older version, before the service writes anything else.
    `None` is a change that names no version (the command line, imports, Safehold itself)."""
    if version is not None and version != record.version:
        raise conflict(type(record), record.pk, noun)


def save_if_unchanged(
    record: Versioned, *, version: int | None, fields: Iterable[str] | None, noun: str
) -> None:
    """Write `fields` of `record` (None: every field) and add one to its version, only if its
    version is still `version` (None: whatever it is). Raises `EditConflict` otherwise."""
    model = type(record)
    if fields is None:
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("version", "created_at", "modified_at")
        ]
    attnames = [model._meta.get_field(name).attname for name in fields]
    values = {attname: getattr(record, attname) for attname in attnames}
    values["version"] = F("version") + 1
    if any(f.name == "modified_at" for f in model._meta.concrete_fields):
        values["modified_at"] = record.modified_at = timezone.now()
    rows = model._base_manager.filter(pk=record.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if not rows.update(**values):
        raise conflict(model, record.pk, noun)
    record.version = (
        version + 1
        if version is not None
        else model._base_manager.values_list("version", flat=True).get(pk=record.pk)
    )


# Pages ---------------------------------------------------------------------------------------

_SALT = "safehold.locking.seen"


def opened(record: Versioned, facts: dict[str, tuple[str, str]]) -> dict:
    """The hidden fields' initial values for a form opened on `record`: its version and what
    the page showed of it (`facts`: field name -> (label, value as shown)), signed so that the
    conflict message compares with what the person really saw."""
    return {
        "version": record.version,
        "seen": signing.dumps({name: shown for name, (_, shown) in facts.items()}, salt=_SALT),
    }


class VersionedForm(forms.Form):
    """A form that changes a record carries the version it was opened with (ADR 0061)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "This page is out of date: go back and open it again",
            "invalid": "This page is out of date: go back and open it again",
            "min_value": "This page is out of date: go back and open it again",
        },
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def show_conflict(
        self, error: EditConflict, facts: dict[str, tuple[str, str]], reopened: dict
    ) -> None:
        """Show the refusal on the form, keeping what was typed: who changed the record, then
        each field it changed with its value now (`facts`, only what the person may see), and
        carry the new version so that saving again applies what they typed over it."""
        try:
            seen = signing.loads(self.data.get(self.add_prefix("seen"), ""), salt=_SALT)
        except signing.BadSignature:
            seen = {}
        changed = [(label, now) for name, (label, now) in facts.items() if seen.get(name) != now]
        self.add_error(None, f"{error}. Check what it says now and save again to replace it")
        for label, now in changed:
            self.add_error(None, f"{label} is now: {now or 'blank'}")
        data = self.data.copy()
        data[self.add_prefix("version")] = str(reopened["version"])
        data[self.add_prefix("seen")] = reopened["seen"]
        self.data = data


def shown(value) -> str:
    """A value as a conflict message shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
