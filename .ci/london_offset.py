"""This module prints how many seconds from now it is until HH:MM today, London time.

`.ci/test` hands the number to faketime as a relative offset, so the suite runs at that London
hour while the clock keeps moving (and every process it starts sees the same time).
"""

import math
import sys
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def seconds_until(hour: int, minute: int) -> int:
    now = datetime.now(UTC)
    target = datetime.combine(now.astimezone(LONDON).date(), time(hour, minute), LONDON)
    return math.ceil((target - now).total_seconds())


if __name__ == "__main__":
    hour, minute = (int(part) for part in sys.argv[1].split(":"))
    print(seconds_until(hour, minute))
