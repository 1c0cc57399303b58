"""Pause points for crash tests: a test starts Safehold in a subprocess with
SAFEHOLD_TEST_PAUSE_AT naming one, waits for the process to say it got there, and kills it
with SIGKILL, to check what a crash at exactly that moment leaves behind.

Without that variable (always, outside those tests) `pause_at` does nothing, and no write
step is counted (below).
"""

import atexit
import os
import sys
import threading
import time

PAUSE_VARIABLE = "SAFEHOLD_TEST_PAUSE_AT"


def paused_message(point: str) -> str:
    """What a process writes on standard error when it waits at `point`."""
    return f"safehold: paused at {point} (pid {os.getpid()})"


def pause_at(point: str, *, force: bool = False) -> None:
    """With SAFEHOLD_TEST_PAUSE_AT=point, say so on standard error and wait to be killed."""
    if not force and os.environ.get(PAUSE_VARIABLE) != point:
        return
    sys.stderr.write(paused_message(point) + "\n")
    sys.stderr.flush()
    while True:
        time.sleep(60)


# --- Numbered write steps (ADR 0063) -------------------------------------------------------
# SAFEHOLD_TEST_PAUSE_AT=write:N pauses before the process's Nth *write step*: a statement
# that changes the database (INSERT, UPDATE, DELETE, REPLACE) or a COMMIT, counted over every
# connection and thread of the process. A crash test picks N from a seeded random between 1
# and the steps of an uninterrupted run, so the kill lands before, inside or after a run's
# transaction, wherever the code has a step, without a named point in every service.

WRITE_PREFIX = "write:"
COUNT_VARIABLE = "SAFEHOLD_TEST_COUNT_WRITES"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_steps = 0
_target: int | None = None
_lock = threading.Lock()


def count_write_steps(*, pause_at_step: int | None = None) -> None:
    """Count write steps on every database connection from now on (and pause before step
    `pause_at_step`, if given). Idempotent; called by CoreConfig.ready() only when
    SAFEHOLD_TEST_PAUSE_AT names a write step, and by crash tests that measure a run."""
    global _target
    from django.db import connections
    from django.db.backends.signals import connection_created

    _target = pause_at_step
    connection_created.connect(_watch, dispatch_uid="safehold-testhooks-write-steps")
    for connection in connections.all(initialized_only=True):
        _watch(connection=connection)


def install_from_environment() -> None:
    """Count write steps if SAFEHOLD_TEST_PAUSE_AT=write:N (pausing before the Nth), or if
    SAFEHOLD_TEST_COUNT_WRITES is set (saying how many on standard error as the process
    exits, to measure an uninterrupted run); else do nothing."""
    point = os.environ.get(PAUSE_VARIABLE, "")
    if point.startswith(WRITE_PREFIX):
        count_write_steps(pause_at_step=int(point.removeprefix(WRITE_PREFIX)))
    elif os.environ.get(COUNT_VARIABLE):
        count_write_steps()
        atexit.register(lambda: sys.stderr.write(f"safehold: {_steps} write steps\n"))


def write_steps() -> int:
    """The write steps counted so far in this process."""
    return _steps


def _step() -> None:
    global _steps
    with _lock:
        _steps += 1
        reached = _steps == _target
    if reached:
        pause_at(f"{WRITE_PREFIX}{_target}", force=True)


def _watch(sender=None, connection=None, **kwargs) -> None:
    if getattr(connection, "_safehold_write_steps", False):
        return
    connection._safehold_write_steps = True
    connection.execute_wrappers.append(_on_execute)
    commit = connection.commit

    def counted_commit():
        _step()
        commit()

    connection.commit = counted_commit


def _on_execute(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(_WRITES):
        _step()
    return execute(sql, params, many, context)
