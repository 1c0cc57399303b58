"""Structured logs (ADR 0062): one JSON object per line, for a log collector to index, with
the request id the audit events carry, so an operator can go from a log line to the audit
trail of the same request and back. Production uses it (`LOG_FORMAT=json`); development keeps
plain lines.

The request's fields (request_id, user_id, method, path, status, duration_ms) are set on a
record by `safehold.audit.logs.RequestContextFilter` and by the request log line itself
(`safehold.upkeep.middleware.RequestLogMiddleware`); this formatter only writes what is there.
"""

import json
import logging
from datetime import UTC, datetime

FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value not in (None, ""):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
