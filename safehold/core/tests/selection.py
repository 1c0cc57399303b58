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
"""

import functools
import importlib
import inspect
import re
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
    if _anonymous_only(item, source):
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
