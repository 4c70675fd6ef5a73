"""Work a request leaves to a thread (the embedded platform has no task queue)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import close_old_connections, connection


def start_thread(work: Callable[[], object], *, name: str) -> threading.Thread:
    """Run `work` in a daemon thread named `name` with a database connection of its own,
    closed when it ends; the thread is started and returned (tests join it)."""

    def run() -> None:
        close_old_connections()
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread
