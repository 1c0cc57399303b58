"""`safehold networks import ENTITIES.csv LINKS.csv --user EMAIL` (safehold.networks.imports),
`safehold networks analyse --measure components|degree|betweenness|communities --user EMAIL
[--format csv] [--output FILE]`, `safehold networks analyse --measure path --from ID --to ID
--user EMAIL` and `safehold networks export --format anx|graphml|csv --output FILE --user EMAIL
[--ocg NAME]`.

Everything is of the network the user may see (`selectors.visible_graph`, ADR 0050): --user is
required, as on the pages, so a count or a path never goes through what that user may not see.
The analyse CSV has the columns `entity_id` and the measure's value (`component`, `degree`,
`betweenness`, `community`); a path prints one entity id a line. `export --format csv` writes a
ZIP holding entities.csv and links.csv (docs/formats/networks.md). Each run is one audit event
naming what it gave out.
"""

import io
import sys
from pathlib import Path

from django.core.management.base import CommandError

from safehold import audit
from safehold.audit.choices import Action, Channel
from safehold.core.errors import ServiceError
from safehold.core.exports import csv_writer
from safehold.imports.commands import ImportCommand
from safehold.networks import graph, selectors
from safehold.networks.analysis import Network, UnknownEntity
from safehold.networks.formats import (
    NetworkFileError,
    read_csv,
    write_anx,
    write_csv_zip,
    write_graphml,
)
from safehold.networks.imports import import_network

MEASURES = {
    "components": "component", "degree": "degree", "betweenness": "betweenness",
    "communities": "community",
}  # fmt: skip


class Command(ImportCommand):
    help = "The network: `networks analyse --measure …` and `networks export --format …`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        analyse = sub.add_parser("analyse", help="A measure of every entity, or a path.")
        analyse.add_argument("--measure", required=True, choices=(*MEASURES, "path"))
        analyse.add_argument("--format", choices=("csv",), default="csv")
        analyse.add_argument("--from", dest="start", help="For --measure path: an entity id.")
        analyse.add_argument("--to", dest="end", help="For --measure path: an entity id.")
        analyse.add_argument("--seed", type=int, default=1, help="Communities: the random seed.")
        analyse.add_argument("--output", help="Write to this file instead of standard output.")
        self.add_user_argument(analyse, help="The user whose view to analyse (required).")
        export = sub.add_parser("export", help="The network (or a group's) as a file.")
        export.add_argument("--format", required=True, choices=("anx", "graphml", "csv"))
        export.add_argument("--output", required=True, help="The file to write.")
        export.add_argument("--ocg", help="Only this group's chart: its name.")
        self.add_user_argument(export, help="The user whose view to export (required).")
        load = sub.add_parser("import", help="Add entities and links from CSV files.")
        load.add_argument("entities", help="entities.csv (docs/formats/networks.md)")
        load.add_argument("links", help="links.csv")
        self.add_user_argument(load, help="The user who records them (required).")

    def handle(self, *args, subcommand: str, **options):
        user = self.user_of(options.get("user"))
        if user is None:
            raise CommandError("Give --user EMAIL: the network is analysed as one user sees it")
        if subcommand == "analyse":
            self._analyse(user, options)
        elif subcommand == "export":
            self._export(user, options)
        else:
            self._import(user, Path(options["entities"]), Path(options["links"]))

    def _import(self, user, entities: Path, links: Path) -> None:
        try:
            result = import_network(read_csv(str(entities), str(links)), by=user)
        except NetworkFileError as exc:
            raise self.refused(exc.problems) from exc
        except ServiceError as exc:
            raise CommandError(f"{exc}; nothing was imported") from exc
        if result.entities_added or result.links_added:
            self.stdout.write(
                f"Imported: {result.entities_added:,} entities and {result.links_added:,} links "
                f"added; {result.entities_found:,} entities and {result.links_found:,} links "
                "were already there."
            )
        else:
            self.stdout.write("Nothing changed: every entity and link is already there.")

    def _record(self, user, network: graph.Graph, purpose: str) -> None:
        subjects, objects = selectors.consulted(network)
        audit.record(
            action=Action.CONSULT, actor=user, object_type="networks.entity", object_ids=objects,
            subjects=subjects, purpose=purpose, channel=Channel.EXPORT,
        )  # fmt: skip

    def _analyse(self, user, options) -> None:
        visible = selectors.visible_graph(user)
        network = Network.from_graph(visible)
        measure = options["measure"]
        out = io.StringIO()
        if measure == "path":
            if not options["start"] or not options["end"]:
                raise CommandError("Give --from ID and --to ID for --measure path")
            try:
                path = network.shortest_path(options["start"], options["end"])
            except UnknownEntity as exc:
                raise CommandError(f"{exc}: no entity with that id that you can see") from exc
            if path is None:
                raise CommandError("No chain of links you can see joins them")
            by_id = {e.id: e for e in visible.entities}
            self._record(user, graph.Graph.of([by_id[i] for i in path.entities], ()),
                         "network path (command line)")  # fmt: skip
            out.write("".join(f"{entity_id}\n" for entity_id in path.entities))
        else:
            values = {
                "components": network.components, "degree": network.degree,
                "betweenness": network.betweenness,
                "communities": lambda: network.communities(seed=options["seed"]),
            }[measure]()  # fmt: skip
            self._record(user, visible, f"network analysis (command line): {measure}")
            writer = csv_writer(out)
            writer.writerow(["entity_id", MEASURES[measure]])
            writer.writerows(values.rows())
        if options["output"]:
            Path(options["output"]).write_text(out.getvalue(), encoding="utf-8", newline="")
        else:
            sys.stdout.write(out.getvalue())

    def _export(self, user, options) -> None:
        title = "The partnership's network"
        if options["ocg"]:
            group = selectors.ocgs_visible_to(user).filter(name=options["ocg"]).first()
            if group is None:
                raise CommandError(f"There is no group called {options['ocg']!r} that you can see")
            network = selectors.visible_graph(user, around=f"ocg:{group.pk}", steps=2)
            title = group.name
        else:
            network = selectors.visible_graph(user)
        body = {
            "anx": lambda: write_anx(network, title=title),
            "graphml": lambda: write_graphml(network),
            "csv": lambda: write_csv_zip(network),
        }[options["format"]]()  # fmt: skip
        self._record(user, network, f"network exported as {options['format']}: {title}")
        Path(options["output"]).write_bytes(body)
        self.stdout.write(
            f"Wrote {options['output']}: {len(network.entities):,} entities, "
            f"{len(network.links):,} links."
        )
