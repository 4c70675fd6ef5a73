"""Every Python process of a test run on another day: .ci/run's pass on a date in a year whose
holiday schedule is not published (CLOCK_TRAVEL_TO, ISO 8601 with offset; not a SUTIAO_*
setting: the platform-up journey gives its server none of the suite's settings, but the same
world clock).

On PYTHONPATH, this module is imported at interpreter start-up by the test process and by every
Python process it starts (`sutiao serve`, `sutiao demo`), so the platform and the tests see the
same clock, which keeps running: the first process fixes the distance from the real clock
(CLOCK_TRAVEL_OFFSET) and the ones it starts inherit it, so their clocks agree to the
second (one-time codes depend on it). time-machine moves the wall clock only (time.time,
datetime.now, ...), not the monotonic clock, so timeouts and waits behave; Debian's faketime
moves both, and Python's timed lock waits then hang for the distance travelled.
The browser keeps the real clock: it is the user's machine.
"""

import os

if os.environ.get("CLOCK_TRAVEL_TO"):
    import time
    from datetime import datetime

    import time_machine

    real = time.time()
    offset = os.environ.get("CLOCK_TRAVEL_OFFSET")
    if offset is None:
        target = datetime.fromisoformat(os.environ["CLOCK_TRAVEL_TO"]).timestamp()
        offset = str(target - real)
        os.environ["CLOCK_TRAVEL_OFFSET"] = offset
    time_machine.travel(real + float(offset), tick=True).start()
