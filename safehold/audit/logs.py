"""Every log record written during a request, command or job carries the request id of its
audit context (the id its audit events are written with), for the JSON log lines (ADR 0062)."""

import logging


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Django logs a 4xx or 5xx ("django.request") after the middleware, so outside the
            # audit context; it gives the request, on which the audit middleware left its id.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", "") or _request_id()
        return True


def _request_id() -> str:
    # Imported when first needed: logging is configured before the apps (and audit's models).
    try:
        from safehold.audit.services import current_context
    except Exception:  # a record logged while Django is still starting
        return ""
    return current_context().request_id
