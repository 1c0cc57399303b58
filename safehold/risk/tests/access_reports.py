"""The backtest and fairness report pages for the shared access, leak and axe tests: TO MERGE
into safehold/risk/tests/access.py (owned by the list's pages) by adding these names to its
sets. Both pages show counts only, never a record (NO_RECORDS); both offer CSV and JSON."""

OTHER_URLS = {"risk:backtest", "risk:fairness"}
NO_RECORDS = {"risk:backtest", "risk:fairness"}
EXPORT_FORMATS = {"risk:backtest": ("csv", "json"), "risk:fairness": ("csv", "json")}
