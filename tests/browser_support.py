"""What every browser test shares: Debian's chromium, how it is started, the page sizes, and
the one way a test drives it (a pytest plugin, registered in tests/conftest.py).

Never `playwright install` (it cannot download here): Playwright drives /usr/bin/chromium,
which scripts/test installs as root. The background-networking flags keep chromium from
calling out of this closed network at every start.

A browser test is marked `browser` and takes `in_browser`; it puts what it does in the browser
in a function, `journey(new_page, ...)`, that `in_browser(journey, ...)` runs in chromium's own
thread and whose result it returns:

    pytestmark = pytest.mark.browser

    def test_something(live_server, in_browser):
        def journey(new_page):
            page = new_page()              # a fresh context: own cookies, zh-CN, Shanghai time
            page.goto(f"{live_server.url}/accounts/login/")
            assert page.errors == []       # uncaught script errors and console errors
            return page.title()

        assert in_browser(journey) == "登录"
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
# Generous: CI runs on 2 cores, and a log-in hashes a password with argon2 (a real server has
# no test settings); a journey that waits this long has failed anyway.
TIMEOUT_MS = 30_000


class BrowserThread:
    """Debian's chromium driven by Playwright's sync API from a thread of its own.

    The sync API runs an asyncio loop in the thread that starts it, and refuses to start where
    a loop already runs. In the main thread that loop would make Django refuse ORM calls there
    and Channels' `async_to_sync` refuse to run, for every test after it. Here it never touches
    the main thread; journeys run in this thread through `run`, while the main thread waits.
    """

    def __init__(self, extra_args: tuple[str, ...] = ()):
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self.playwright = self.browser = None
        self.extra_args = list(extra_args)

    def run(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        return self.pool.submit(fn, *args, **kwargs).result()

    def start(self) -> None:
        from playwright.sync_api import sync_playwright

        def start():
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS + self.extra_args
            )

        self.run(start)

    def stop(self) -> None:
        def stop():
            if self.browser is not None:
                self.browser.close()
            if self.playwright is not None:
                self.playwright.stop()

        try:
            self.run(stop)
        finally:
            self.pool.shutdown()


def _cjk_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return "Noto Sans CJK" in out or "Noto Serif CJK" in out


@pytest.fixture(scope="session")
def chromium() -> BrowserThread:
    """One chromium for the whole run, started at the first browser test. A missing chromium
    or Chinese font is a failure, never a skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Browser tests need Debian's chromium at {CHROMIUM}: "
            "apt-get install chromium fonts-noto-cjk (never `playwright install`).",
            pytrace=False,
        )
    if not _cjk_font_installed():
        pytest.fail(
            "Browser tests need a Chinese font or pages render as boxes: "
            "apt-get install fonts-noto-cjk.",
            pytrace=False,
        )
    browser = BrowserThread()
    browser.start()
    yield browser
    browser.stop()


class _AsyncUnsafeAllowed:
    """Journeys read and write the database from chromium's thread, where Playwright's loop
    runs, so Django must be told to allow it; only while a journey runs (the main thread
    waits meanwhile), so that no other test runs with the check off."""

    def __enter__(self):
        self.before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    def __exit__(self, *exc):
        if self.before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.before


@pytest.fixture
def in_browser(request, chromium):
    """Run `journey(new_page, *args, **kwargs)` in the browser's thread; return what it returns.

    `new_page(phone=False)` opens a page in a fresh context (own cookies; Chinese, Shanghai
    time; 1280x900, or 375x740 with phone=True). `page.errors` collects its uncaught script
    errors and console errors (CSP violations among them), so a journey can assert a page is
    clean. The contexts and the thread's database connections are closed when the journey
    ends, so the test database can be flushed or dropped.
    """
    if not request.node.get_closest_marker("browser"):
        pytest.fail("A test that drives chromium is marked `browser`.", pytrace=False)

    def run(journey, *args, **kwargs):
        def body():
            from django.db import connections

            contexts = []

            def new_page(*, phone: bool = False):
                context = chromium.browser.new_context(
                    locale="zh-CN",
                    timezone_id="Asia/Shanghai",
                    viewport=PHONE if phone else DESKTOP,
                    is_mobile=phone,
                    has_touch=phone,
                    accept_downloads=True,
                )
                context.set_default_timeout(TIMEOUT_MS)
                contexts.append(context)
                page = context.new_page()
                page.errors = []
                page.on("pageerror", lambda exc: page.errors.append(str(exc)))
                page.on(
                    "console",
                    lambda msg: page.errors.append(msg.text) if msg.type == "error" else None,
                )
                return page

            with _AsyncUnsafeAllowed():
                try:
                    return journey(new_page, *args, **kwargs)
                finally:
                    for context in contexts:
                        context.close()
                    connections.close_all()

        return chromium.run(body)

    return run


@pytest.fixture(scope="session")
def artifacts(pytestconfig) -> Path:
    """Screenshots the journeys leave for a person to look at (test-artifacts/)."""
    path = pytestconfig.rootpath / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@contextmanager
def asgi_server(port: int) -> Iterator[str]:
    """The ASGI application as `sutiao serve` runs it (uvicorn: pages and WebSockets) in a
    thread of this process, on 127.0.0.1:`port`; yields its base URL."""
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(
            "sutiao.asgi:application",
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
