"""The error every service raises when it refuses a change: its message is for the person."""


class ServiceError(Exception):
    """A change a service refuses; the message says why, in words a user can act on."""


class NotPermitted(ServiceError):
    """The actor may not do this to this record. Pages and the API check first and answer 404,
    so this is the service's own guard: the API or the command line cannot go around a page."""
