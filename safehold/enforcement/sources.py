"""The chronology of a bundle, merged from sources: a small registry.

A source is a function of a `BundleContext` (the enforcement action, who is building the bundle,
the premises and the period) returning `BundleLine`s: when, what, the source's own reference for
the record (a case entry, an incident log's reference, an operation's result). The builder
merges every source's lines in date order and gives each an exhibit reference: the source's
prefix and a number ("C3", "I12"). Register a source once, in an AppConfig.ready():

    from safehold.enforcement.sources import register_bundle_source
    register_bundle_source("operations", results_at_premises, prefix="O", allegations=True)

A source reads through the read gates of the user in the context (`context.user`; None when the
server's operator builds the bundle from the command line) and shows no more than they may see.
The case chronology and the partner incident logs are registered by this app (chronology.py).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from safehold.cases.models import EnforcementAction
from safehold.people.models import Location


@dataclass(frozen=True)
class BundleContext:
    """What a source is asked about: the action, its premises, the period, and the reader."""

    action: EnforcementAction
    user: object  # a User, or None for the operator on the command line
    premises: Location | None
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class BundleLine:
    """One dated line of the chronology: its source's label, its own reference and what
    happened; `subject_ids` and `object_ids` name what it came from, for the audit event."""

    occurred_at: datetime.datetime
    source: str
    reference: str
    summary: str
    object_ids: tuple = field(default=())


@dataclass(frozen=True)
class Source:
    name: str
    provider: Callable[[BundleContext], Iterable[BundleLine]]
    prefix: str
    allegations: bool  # its lines are conduct alleged (a Scott schedule lists them)


@dataclass(frozen=True)
class NumberedLine:
    """A merged line with the exhibit reference the bundle gives it."""

    line: BundleLine
    exhibit: str
    allegation: bool

    def __getattr__(self, name):
        return getattr(self.line, name)


_SOURCES: dict[str, Source] = {}


def register_bundle_source(
    name: str,
    provider: Callable[[BundleContext], Iterable[BundleLine]],
    *,
    prefix: str,
    allegations: bool = True,
) -> None:
    """Add a source of chronology lines (registering the same name again replaces it).

    `prefix` starts its lines' exhibit references; `allegations` says whether its lines are
    conduct the application relies on (incidents, results of a warrant), which an injunction's
    Scott schedule lists, or the casework around them (visits, calls), which it does not."""
    clash = [s.name for s in _SOURCES.values() if s.prefix == prefix and s.name != name]
    if clash:
        raise ValueError(f"The exhibit prefix {prefix!r} is already used by {clash[0]}")
    _SOURCES[name] = Source(name, provider, prefix, allegations)


def bundle_sources() -> list[Source]:
    return list(_SOURCES.values())


def merged_chronology(context: BundleContext) -> list[NumberedLine]:
    """Every source's lines, oldest first, each numbered within its source in date order."""
    numbered: list[NumberedLine] = []
    for source in bundle_sources():
        lines = sorted(
            source.provider(context), key=lambda line: (line.occurred_at, line.reference)
        )
        numbered += [
            NumberedLine(line, f"{source.prefix}{n}", source.allegations)
            for n, line in enumerate(lines, start=1)
        ]
    return sorted(numbered, key=lambda n: (n.line.occurred_at, n.exhibit))
