"""Time in tests is an input: the moment a test runs at, when it is not about "today".

A test pins the clock with time-machine's marker, ticking where a browser or a server thread
must see time pass (throttles, timeouts), frozen where it compares instants:

    pytestmark = pytest.mark.time_machine(clock.WORKING_MONDAY, tick=True)

or passes the moment to the code under test (`at=`, `now=`) where that code takes it. A test
that is about today on purpose (bringing the platform up from a fresh clone) keeps the real
clock.
"""

from __future__ import annotations

from datetime import UTC, datetime

# Monday 12 October 2026, 10:00 in Shanghai: a working day after the National Day holiday,
# far enough from the year's end that every period the platform computes ends inside 2026,
# whose holiday schedule is entered.
WORKING_MONDAY = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)
