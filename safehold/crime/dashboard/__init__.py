"""The police.uk dashboard, the analysis pages and the ward locality report: their filters
(`forms`) and their sections (`sections`: plain functions of a DuckDB connection and the
filters, built on safehold.crime.queries and safehold.crime.police_hotspots; no request, no
ORM). The views are safehold/crime/views/police.py, police_analyses.py and ward_report.py."""
