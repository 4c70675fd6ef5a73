"""Every Python process of a test run on another day: .ci/run's pass on a date in a year whose
holiday schedule is not published (SUTIAO_TEST_NOW, ISO 8601 with offset).

On PYTHONPATH, this module is imported at interpreter start-up by the test process and by every
Python process it starts (`sutiao serve`, `sutiao demo`), so the platform and the tests see the
same clock, which keeps running from that moment. time-machine moves the wall clock only
(time.time, datetime.now, ...), not the monotonic clock, so timeouts and waits behave; Debian's
faketime moves both, and Python's timed lock waits then hang for the distance travelled.
The browser keeps the real clock: it is the user's machine.
"""

import os

_now = os.environ.get("SUTIAO_TEST_NOW")
if _now:
    import time_machine

    time_machine.travel(_now, tick=True).start()
