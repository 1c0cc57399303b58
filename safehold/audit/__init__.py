"""The audit log. `from safehold import audit; audit.record(...)` is the one way to write it."""

from safehold.audit.purposes import search_purpose

__all__ = ["batched", "immediately", "record", "search_purpose"]


def record(**kwargs):
    """Write one audit event in the caller's transaction (see `safehold.audit.services.record`)."""
    # Imported here so `safehold.audit` can be imported before Django's app registry is ready.
    from safehold.audit.services import record as _record

    return _record(**kwargs)


def batched():
    """Append a long piece of work's events together at its end (see `services.batched`)."""
    from safehold.audit.services import batched as _batched

    return _batched()


def immediately():
    """Append events at once, even inside a view's batch (see `services.immediately`)."""
    from safehold.audit.services import immediately as _immediately

    return _immediately()
