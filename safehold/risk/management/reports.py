"""The report subcommands of `safehold risk` (docs/formats/risk-list.md):

    safehold risk backtest --from YYYY-MM --to YYYY-MM --horizon 6m [--area WARD]
        [--type TYPE] [--top 20,50,100] --format csv|json [--output FILE]
    safehold risk fairness --as-of DATE [--area WARD] [--small-numbers] [--no-backtest]
        --format csv|json [--output FILE]

Both write counts only, never a subject, and record one audit event."""

import io
import json

from django.core.management.base import CommandError

from safehold.audit.choices import Channel
from safehold.audit.services import audit_context
from safehold.cases.choices import ExploitationType
from safehold.core.errors import ServiceError
from safehold.core.exports import csv_writer
from safehold.risk import backtest, fairness


def add_report_arguments(sub) -> None:
    tested = sub.add_parser(
        "backtest", help="Replay the list month by month against the cases that opened after."
    )
    tested.add_argument("--from", dest="first", required=True, help="The first month (YYYY-MM).")
    tested.add_argument("--to", dest="last", required=True, help="The last month (YYYY-MM).")
    tested.add_argument("--horizon", default="6m", help="Months after each list (6m).")
    tested.add_argument("--area", help="A ward, by its name or its ONS code.")
    tested.add_argument(
        "--type", dest="kind", default="", choices=["", *ExploitationType.values],
        help="Only cases of this exploitation type (default: every case).",
    )  # fmt: skip
    tested.add_argument("--top", default="20,50,100", help="The k of the top k, e.g. 20,50,100.")
    tested.add_argument("--format", choices=("csv", "json"), default="csv")
    tested.add_argument("--output", help="The file to write (default: standard output).")
    fair = sub.add_parser("fairness", help="Flag and review rates by group, against the base.")
    fair.add_argument("--as-of", required=True, help="The list's date (YYYY-MM-DD).")
    fair.add_argument("--area", help="A ward, by its name or its ONS code.")
    fair.add_argument(
        "--small-numbers", action="store_true",
        help="Show counts under 5 (for the analysts only: never share such a file).",
    )  # fmt: skip
    fair.add_argument(
        "--no-backtest", action="store_true", help="Leave out the backtest's recall by group."
    )
    fair.add_argument("--format", choices=("csv", "json"), default="csv")
    fair.add_argument("--output", help="The file to write (default: standard output).")


def _tops(value: str) -> tuple[int, ...]:
    try:
        tops = tuple(sorted({int(v) for v in value.split(",") if v.strip()}))
    except ValueError as exc:
        raise CommandError(f"--top: “{value}” is not whole numbers separated by commas") from exc
    if not tops or tops[0] < 1:
        raise CommandError("--top: give one or more whole numbers of 1 or more")
    return tops


def write_backtest(command, *, first, last, horizon, area, kind, top, format, output, **_):
    def made():
        tested = backtest.run(
            first=backtest.parse_month(first, "--from"),
            last=backtest.parse_month(last, "--to"),
            horizon=backtest.parse_horizon(horizon),
            area=area,
            kind=kind,
            tops=_tops(top),
        )
        backtest.record_read(tested, actor_label="safehold risk backtest")
        return tested

    _write(command, made, backtest, format, output, "the backtest")


def write_fairness(command, *, as_of, area, small_numbers, no_backtest, format, output, **_):
    day = command.date_argument(as_of, "--as-of")

    def made():
        report = fairness.report(
            day, area, suppress=not small_numbers, with_backtest=not no_backtest
        )
        fairness.record_read(report, actor_label="safehold risk fairness")
        return report

    _write(command, made, fairness, format, output, f"the fairness report of {day.isoformat()}")


def _write(command, make, module, format: str, output: str | None, what: str) -> None:
    """Make the report (one audit event, on the command line's channel) and write it as the
    module's CSV or JSON, to the file or standard output."""
    try:
        with audit_context(channel=Channel.CLI):
            made = make()
    except ServiceError as exc:
        raise CommandError(str(exc)) from exc
    out = io.StringIO()
    if format == "json":
        json.dump(module.as_json(made), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        writer = csv_writer(out)
        writer.writerow(module.CSV_COLUMNS)
        writer.writerows(module.csv_rows(made))
    if output:
        with open(output, "w", newline="", encoding="utf-8") as f:
            f.write(out.getvalue())
        command.stderr.write(f"Wrote {what} to {output}.")
    else:
        command.stdout.write(out.getvalue(), ending="")
