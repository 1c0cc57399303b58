"""The network's file formats, both ways where the format allows (docs/formats/networks.md):
entities.csv + links.csv (also as one ZIP file), GraphML, and i2 Analyst's Notebook ANX (export only). Pure functions
over `safehold.networks.graph.Graph`: no database, no request."""

from safehold.networks.formats.anx import write_anx
from safehold.networks.formats.csv import read_csv, read_csv_zip, write_csv, write_csv_zip
from safehold.networks.formats.graphml import read_graphml, write_graphml
from safehold.networks.formats.validation import NetworkFileError

__all__ = [
    "NetworkFileError",
    "read_csv",
    "read_csv_zip",
    "read_graphml",
    "write_anx",
    "write_csv",
    "write_csv_zip",
    "write_graphml",
]
