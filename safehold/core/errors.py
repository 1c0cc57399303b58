"""The errors services raise when they refuse a change: one family, one meaning per class.

Every app's service errors subclass these, so pages and the API turn any of them into the same
answer without knowing the app: a `ServiceError` is bad input (400, its message shown to the
person), a `Conflict` is a change the record's state does not allow now (409), and
`NotPermitted` is an actor who may not touch the record (404: it does not exist for them).
"""


class ServiceError(Exception):
    """A change a service refuses; the message says why, in words a user can act on."""

    status = 400


class Conflict(ServiceError):
    """The record's state does not allow this now (it has changed since the page was shown)."""

    status = 409


class NotPermitted(ServiceError):
    """The actor may not do this to this record. Pages and the API check first and answer 404,
    so this is the service's own guard: the API or the command line cannot go around a page."""

    status = 404
