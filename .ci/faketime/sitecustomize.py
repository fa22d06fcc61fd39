"""This module makes time.sleep work under Debian's libfaketime 0.9.10 with the monotonic clock
left alone (FAKETIME_DONT_FAKE_MONOTONIC=1); `.ci/test` puts it on PYTHONPATH for those runs only.

Python 3.11 sleeps with clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), and that libfaketime
shifts the deadline by the fake offset even when it is told not to fake the monotonic clock, so
every time.sleep fails with EINVAL (libfaketime issue 426). A relative wait through select() is
passed through untouched, so time.sleep is replaced with one for every Python process the tests
start. Faking the monotonic clock instead is no way out: Python's timed lock waits
(sem_clockwait) are not intercepted and would wait for the whole offset.
"""

import os
import select
import time


def _relative_sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    # select() retries after a signal with the time left (PEP 475), as time.sleep does.
    select.select([], [], [], seconds)


if os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") == "1" and "faketime" in os.environ.get(
    "LD_PRELOAD", ""
):
    time.sleep = _relative_sleep
