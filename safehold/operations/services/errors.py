from safehold.core.errors import NotPermitted, ServiceError


class OperationError(ServiceError):
    """An operation cannot be planned or recorded as given (a 400 with this message)."""


def require_takes_part(by, operation) -> None:
    """Casework roles of the lead or a partner agency record an operation's results."""
    from safehold.operations import rules

    if by is not None and not (rules.can_record(by) and rules.takes_part(by, operation)):
        raise NotPermitted("You cannot record results of this operation")


def require_leads(by, operation) -> None:
    """Only the lead agency's casework roles change an operation's plan."""
    from safehold.operations import rules

    if by is not None and not (rules.can_plan(by) and rules.leads(by, operation)):
        raise NotPermitted("You cannot change the plan of this operation")
