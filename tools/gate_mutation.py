"""Mutate one read gate and see whether the tests notice (issue 12: "mutating any one gate
makes the suite fail").

    .venv/bin/python tools/gate_mutation.py --list
    .venv/bin/python tools/gate_mutation.py --random 3 --seed 12 -- -n 2 safehold/core/tests
    .venv/bin/python tools/gate_mutation.py cases_visible_to -- -n 2 safehold/core/tests

The gate's body is replaced by `return <Model>.objects.all()` (its return annotation names the
model), pytest runs with the arguments after `--`, and the file is put back whatever happens.
A gate whose mutation leaves every test passing is a gap in the tests. Exits 1 if any mutant
survived.
"""

import argparse
import ast
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The agency-scoped gates (partnership-wide ones, such as the performance indicators, return
# everything by design and are not listed).
GATES = {
    "cases_visible_to": "safehold/cases/selectors.py",
    "referrals_visible_to": "safehold/cases/selectors.py",
    "tasks_visible_to": "safehold/cases/selectors.py",
    "people_visible_to": "safehold/people/selectors.py",
    "locations_visible_to": "safehold/people/selectors.py",
    "disclosures_visible_to": "safehold/sharing/selectors.py",
    "access_requests_to": "safehold/sharing/selectors.py",
    "access_requests_by": "safehold/sharing/selectors.py",
    "agreements_visible_to": "safehold/sharing/selectors.py",
    "users_visible_to": "safehold/accounts/selectors.py",
    "alerts_visible_to": "safehold/monitoring/selectors.py",
    "people_held_by": "safehold/governance/selectors.py",
    "cases_held_by": "safehold/governance/selectors.py",
    "referrals_held_by": "safehold/governance/selectors.py",
    "holds_held_by": "safehold/governance/selectors.py",
    "subject_access_requests_held_by": "safehold/governance/selectors.py",
}


def mutated(source: str, gate: str) -> str:
    """The module's source with the gate's body replaced by `return Model.objects.all()`."""
    tree = ast.parse(source)
    function = next(
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == gate
    )
    model = ast.unparse(function.returns).removeprefix("QuerySet[").removesuffix("]")
    lines = source.splitlines(keepends=True)
    first = function.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):  # the docstring
        first = function.body[1] if len(function.body) > 1 else first
    start, end = first.lineno - 1, function.body[-1].end_lineno
    indent = " " * first.col_offset
    return "".join(
        [*lines[:start], f"{indent}return {model}.objects.all()  # MUTANT\n", *lines[end:]]
    )


def run(gate: str, pytest_args: list[str]) -> bool:
    """Whether the tests caught the mutant (pytest failed)."""
    path = ROOT / GATES[gate]
    original = path.read_text()
    path.write_text(mutated(original, gate))
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and the arguments given)
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        path.write_text(original)
    lines = done.stdout.strip().splitlines()
    summary = lines[-1] if lines else done.stderr[-300:]
    caught = done.returncode != 0
    print(f"{gate}: {'caught' if caught else 'SURVIVED'} ({summary})", flush=True)
    for line in [ln for ln in lines if ln.startswith("FAILED")][:8]:
        print(f"    {line}", flush=True)
    return caught


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gates", nargs="*", help="gates to mutate (default: --random)")
    parser.add_argument("--list", action="store_true", help="list the gates and stop")
    parser.add_argument("--random", type=int, default=0, help="mutate this many, chosen at random")
    parser.add_argument("--seed", type=int, default=None)
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    if args.list:
        print("\n".join(sorted(GATES)))
        return 0
    pytest_args = argv[split + 1 :] or ["-n", "2", "safehold/core/tests"]
    gates = args.gates or random.Random(args.seed).sample(sorted(GATES), args.random or 3)
    survived = [g for g in gates if not run(g, pytest_args)]
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
