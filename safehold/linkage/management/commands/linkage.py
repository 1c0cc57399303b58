"""`safehold linkage run [--engine duckdb|spark] [--user EMAIL]`,
`safehold linkage clusters --format csv --output FILE`,
`safehold linkage evaluate (--labels FILE.csv | --decisions)`.

`run` links Safehold's people and every current people extract and makes the result the current
resolved-identity table (people's decisions on pairs are obeyed). `clusters` writes that table:
`source, record_id, cluster_id, match_probability`, source `safehold` or the extract's agency's
name. `evaluate` reports pairwise precision, recall and F1 of the current clusters against a
labelled file (`source_l, record_id_l, source_r, record_id_r, is_match`: 1/0, yes/no,
true/false), or against the reviewers' own decisions (docs/formats/linkage-input.md)."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from safehold.audit.choices import Channel
from safehold.audit.services import audit_context
from safehold.core.csvfiles import ImportInvalid, decode, header_positions, read_records
from safehold.core.exports import csv_writer
from safehold.imports.commands import ImportCommand
from safehold.linkage import selectors, services

LABEL_COLUMNS = ("source_l", "record_id_l", "source_r", "record_id_r", "is_match")
TRUE, FALSE = {"1", "yes", "true", "y", "t"}, {"0", "no", "false", "n", "f"}


class Command(ImportCommand):
    help = "Record linkage: `linkage run`, `linkage clusters`, `linkage evaluate`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser("run", help="Link Safehold's people and every current people extract.")
        run.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
        self.add_user_argument(run)
        clusters = sub.add_parser("clusters", help="Write the current resolved-identity table.")
        clusters.add_argument("--format", choices=("csv",), default="csv")
        clusters.add_argument("--output", help="The file to write (default: standard output).")
        evaluate = sub.add_parser("evaluate", help="Score the current clusters against labels.")
        labels = evaluate.add_mutually_exclusive_group(required=True)
        labels.add_argument("--labels", help="A CSV of labelled pairs (see the command's help).")
        labels.add_argument(
            "--decisions", action="store_true", help="Use the reviewers' decisions as the labels."
        )

    def handle(self, *args, subcommand: str, **options):
        getattr(self, f"_{subcommand}")(**options)

    def _run(self, *, engine: str, user: str | None, **options):
        by = self.user_of(user)
        with audit_context(channel=Channel.CLI):
            run = services.run_linkage(
                by=by,
                engine_name=engine,
                progress=lambda done, total: self.stderr.write(f"Step {done} of {total}"),
            )
        self.stdout.write(
            f"Linked {run.record_count} records into {run.cluster_count} people: "
            f"{run.linked_pair_count} pairs linked, {run.review_pair_count} for review "
            f"(threshold {run.threshold}, review from {run.review_floor})."
        )

    def _current(self):
        run = selectors.current_run()
        if run is None:
            raise CommandError("No linkage run has finished yet: run `safehold linkage run` first")
        return run

    def _clusters(self, *, output: str | None, **options):
        run = self._current()
        out = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout
        try:
            writer = csv_writer(out)
            writer.writerow(["source", "record_id", "cluster_id", "match_probability"])
            count = 0
            for source, record_id, cluster_id, probability in selectors.cluster_rows(run):
                writer.writerow(
                    [
                        source,
                        record_id,
                        cluster_id,
                        "" if probability is None else f"{probability:.6f}",
                    ]
                )
                count += 1
        finally:
            if output:
                out.close()
        if output:
            self.stderr.write(f"Wrote {count} records to {output}")

    def _evaluate(self, *, labels: str | None, decisions: bool, **options):
        run = self._current()
        pairs = selectors.decisions_as_labels() if decisions else self._labels(Path(labels))
        if not pairs:
            raise CommandError("There are no labelled pairs to score against")
        result = selectors.evaluate(run, pairs)

        def figure(value):
            return "not defined" if value is None else f"{value:.4f}"

        self.stdout.write(
            f"Labelled pairs: {result.labelled_pairs} "
            f"({result.unknown_records} name a record this run does not have)\n"
            f"True links found: {result.true_positives}; false links: {result.false_positives}; "
            f"links missed: {result.false_negatives}\n"
            f"Precision {figure(result.precision)}, recall {figure(result.recall)}, "
            f"F1 {figure(result.f1)}"
        )

    def _labels(self, path: Path) -> list[tuple[str, str, bool]]:
        try:
            records = read_records(decode(self.read_file(path)), skip_empty=True)
        except ImportInvalid as exc:  # not UTF-8, not CSV, a control character
            raise self.refused(exc.errors) from exc
        if not records:
            raise CommandError(f"{path} is empty")
        (_, header), rows = records[0], records[1:]
        at, errors = header_positions(
            header,
            known=LABEL_COLUMNS,
            required=LABEL_COLUMNS,
            unknown=lambda name: (
                f"{name} is not a column of a labels file ({', '.join(LABEL_COLUMNS)})"
            ),
        )
        if errors:
            raise self.refused(errors)
        labels, problems, prefixes = [], [], {}

        def key(source: str, record_id: str) -> str:
            if source not in prefixes:
                prefixes[source] = selectors.key_for(source, "")
            return prefixes[source] + record_id

        def cell(cells: list[str], column: str) -> str:  # a short row's missing cells: blank
            return cells[at[column]].strip() if at[column] < len(cells) else ""

        for number, cells in rows:
            value = cell(cells, "is_match").lower()
            if value not in TRUE | FALSE:
                problems.append(
                    f"row {number}, is_match: {value!r} is not 1/0, yes/no or true/false"
                )
                continue
            try:
                left = key(cell(cells, "source_l"), cell(cells, "record_id_l"))
                right = key(cell(cells, "source_r"), cell(cells, "record_id_r"))
            except LookupError as exc:
                problems.append(f"row {number}: {exc}")
                continue
            labels.append((left, right, value in TRUE))
        if problems:
            raise CommandError("\n".join(problems[: self.max_errors_shown]))
        return labels
