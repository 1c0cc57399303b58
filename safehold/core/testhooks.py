"""Pause points for crash tests: a test starts Safehold in a subprocess with
SAFEHOLD_TEST_PAUSE_AT naming one, waits for the process to say it got there, and kills it
with SIGKILL, to check what a crash at exactly that moment leaves behind.

Without that variable (always, outside those tests) `pause_at` does nothing.
"""

import os
import sys
import time

PAUSE_VARIABLE = "SAFEHOLD_TEST_PAUSE_AT"


def paused_message(point: str) -> str:
    """What a process writes on standard error when it waits at `point`."""
    return f"safehold: paused at {point} (pid {os.getpid()})"


def pause_at(point: str) -> None:
    """With SAFEHOLD_TEST_PAUSE_AT=point, say so on standard error and wait to be killed."""
    if os.environ.get(PAUSE_VARIABLE) != point:
        return
    sys.stderr.write(paused_message(point) + "\n")
    sys.stderr.flush()
    while True:
        time.sleep(60)
