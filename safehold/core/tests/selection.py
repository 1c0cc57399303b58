"""Which tests CI runs where (ADR 0047), given by rule so that no list of tests needs keeping:

- `reads_through_a_gate(item)`: the tests marked `read_gates`, run again on PostgreSQL with
  row-level security off. The flag acts only on a signed-in user's requests (the middleware,
  the API's authentication, the calendar feed), so a test is chosen when it reads what a user
  may see through requests, or its code is PostgreSQL-specific or calls a read gate itself;
  and not when it only sends anonymous requests, which run the same with the flag on or off.
- `repeats_the_products_own_pass(item, example)`: with the example module installed, a shared
  test's case for one of the product's own URLs, which the product's pass has already run.
- `in_this_pass(name)`: the same for the shared tests that go over every URL inside one case
  (every role, every partial relation): with the example installed, only its URLs and API paths.
- `RestrictedRuns`: of the `read_gates` tests, the ones whose run with row-level security on
  ever ran a query as the restricted role (ADR 0066). Only those run differently with it off:
  the others' requests never switched role, so the pass without it would repeat them exactly.
"""

import functools
import importlib
import inspect
import os
import re
import threading
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
# Apps whose every test is about who sees what.
READ_GATE_APPS = {"api", "sharing", "search", "reports"}
# Test files named for what they prove (the shared access, leak, partial-sharing, audited-read
# and export tests among them); a name matches when it holds one of these.
READ_GATE_NAMES = (
    "access",
    "leak",
    "audited",
    "export",
    "search",
    "api",
    "selector",
    "visib",
    "shar",
    "disclosure",
    "agreement",
    "erasure",
    "restricted",
    "partner",
    "isolation",
    "row_level",
    "calendar",
    "computed",
)
# Test files that prove the shape of every answer (Schemathesis: no 5xx, bodies as the schema
# says), not who sees what: the leak matrix covers the API's operations without the backstop.
SHAPE_NAMES = ("schema",)
# A test whose own code calls a read gate, lifts row-level security or is PostgreSQL-specific.
READ_GATE_SOURCE = re.compile(
    r"_visible_to\(|on_postgresql|connection\.vendor|sharing\.middleware|unrestricted\("
)
# Fixtures that sign in another agency's user or an API caller.
READ_GATE_FIXTURES = {"bearer", "other_agency_caseworker"}
SIGNS_IN = re.compile(r"force_login|sign_in|signed_in|login\(|bearer|Authorization|password")


def _source(item) -> str:
    function = getattr(item, "function", None)
    return _source_of(function) if function else ""


@functools.cache
def _source_of(function) -> str:
    """A test function's code, read once for all its parametrized cases."""
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _anonymous_only(item, source: str) -> bool:
    """Named for anonymous callers, and neither it nor its fixtures sign anybody in."""
    fixtures = getattr(item, "fixturenames", ())
    name = getattr(item, "originalname", item.name)
    return (
        "anonymous" in name
        and not SIGNS_IN.search(source.replace(name, ""))
        and not any("sign" in name or name in READ_GATE_FIXTURES for name in fixtures)
    )


def reads_through_a_gate(item) -> bool:
    path = Path(str(item.path))
    parts = path.relative_to(ROOT).parts if path.is_relative_to(ROOT) else path.parts
    source = _source(item)
    if _anonymous_only(item, source) or any(name in path.stem for name in SHAPE_NAMES):
        return False
    return (
        (len(parts) > 2 and parts[0] == "safehold" and parts[1] in READ_GATE_APPS)
        or any(name in path.stem for name in READ_GATE_NAMES)
        or bool(READ_GATE_FIXTURES & set(getattr(item, "fixturenames", ())))
        or bool(READ_GATE_SOURCE.search(source))
    )


def repeats_the_products_own_pass(item, example) -> bool:
    """With the example module installed (`make test-example`, ADR 0047): a shared test's case
    for one of the product's URLs or API operations, which the product's own pass has already
    run with the same assertions. Cases for the example's URLs, and shared tests not split by
    URL (every role, every partial relation, the coverage and row-level security checks), run."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    name, path = params.get("name"), params.get("path")
    if isinstance(name, str) and ":" in name:
        return name not in example["names"]
    if isinstance(path, str) and path.startswith("/api/"):
        return path not in example["paths"]
    return False


def example_urls() -> dict[str, set[str]] | None:
    if "safehold.example" not in settings.INSTALLED_APPS:
        return None
    # The example's registry (core imports no app: ADR 0033), as test_access reads registries.
    access = importlib.import_module("safehold.example.tests.access")
    return {
        "names": set(access.RECORD_URLS) | access.OTHER_URLS | access.PUBLIC,
        "paths": {operation.split(" ", 1)[1] for operation in access.API_OPERATIONS},
    }


@functools.cache
def _installed_example() -> dict[str, set[str]] | None:
    return example_urls()


def in_this_pass(name: str) -> bool:
    """Whether a shared test that goes over every URL inside one case visits this URL name or
    API path in this pass: always in the product's own pass; with the example module installed
    (`make test-example`), only the example's, the product's having been visited by the
    product's pass with the same assertions (ADR 0047)."""
    example = _installed_example()
    return example is None or name in example["names"] or name in example["paths"]


# The statement `sharing.middleware.apply_row_security` runs for a signed-in user's request (the
# middleware, the API's authentication, the calendar feed): the only place the flag acts.
RESTRICTED_ROLE = "SET ROLE safehold_app"
# A test module that starts processes or servers of its own: their queries are not seen here,
# so its read-gate tests always run in the pass without row-level security.
OTHER_PROCESSES = re.compile(r"\bsubprocess\b|Popen|live_server|multiprocessing")


class RestrictedRuns:
    """Which `read_gates` tests ran a query as the restricted role (ADR 0066).

    CI's PostgreSQL pass (row-level security on) records them in a folder
    (`SAFEHOLD_RECORD_RESTRICTED`): each test's node id, once, in a file per process, and a
    `complete` file when the whole pass has finished. The pass with it off
    (`SAFEHOLD_ONLY_RESTRICTED`, the same folder) then leaves out the `read_gates` tests that
    were not recorded, and only when the record is complete: otherwise it runs them all. Every
    cursor's `execute` is watched (any thread: a test's threads and its client alike); a test
    module that starts other processes is always run."""

    def __init__(self, folder: str):
        self.folder = Path(folder)
        self._seen = threading.Event()

    # Recording (the pass with row-level security on)

    def watch(self) -> None:
        from django.db.backends.utils import CursorWrapper

        execute, seen = CursorWrapper.execute, self._seen

        def watched(cursor, sql, params=None):
            if isinstance(sql, str) and RESTRICTED_ROLE in sql:
                seen.set()
            return execute(cursor, sql, params)

        CursorWrapper.execute = watched

    def clear(self) -> None:
        for path in [*self.folder.glob("*.txt"), self.folder / "complete"]:
            path.unlink(missing_ok=True)

    def start(self) -> None:
        self._seen.clear()

    def finish(self, nodeid: str, worker: str) -> None:
        if self._seen.is_set():
            self.folder.mkdir(parents=True, exist_ok=True)
            with (self.folder / f"{worker}.txt").open("a", encoding="utf-8") as out:
                out.write(nodeid + "\n")

    def complete(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "complete").write_text("")

    # Choosing (the pass with row-level security off)

    def recorded(self) -> set[str] | None:
        """The node ids recorded, or None if the record is missing or unfinished."""
        if not (self.folder / "complete").exists():
            return None
        return {
            line
            for path in self.folder.glob("*.txt")
            for line in path.read_text(encoding="utf-8").splitlines()
            if line
        }

    @staticmethod
    def always_run(item) -> bool:
        return bool(OTHER_PROCESSES.search(_module_source(item)))


def _module_source(item) -> str:
    module = getattr(item, "module", None)
    return _source_of(module) if module else ""


def restricted_runs(variable: str) -> RestrictedRuns | None:
    folder = os.environ.get(variable)
    return RestrictedRuns(folder) if folder else None
