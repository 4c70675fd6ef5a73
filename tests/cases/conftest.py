"""Fixtures of the case pages: stored files in a temporary folder, and for the browser journeys
Debian's chromium driven by Playwright (sync API) from its own thread, one context per person."""

from __future__ import annotations

import io
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE


def small_pdf(text: str = "evidence") -> bytes:
    """A real one-page PDF (pypdf writes it), as an applicant would upload."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to a folder of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class BrowserThread:
    """Debian's chromium driven by Playwright's sync API from a thread of its own.

    The sync API runs an asyncio loop in the thread that starts it, and refuses to start where
    a loop already runs: in the main thread it would block (or be blocked by) any other
    directory's browser fixture and Channels' `async_to_sync`. Here it never touches the main
    thread, so it coexists with them; journeys run in this thread through `run`.
    """

    def __init__(self):
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self.playwright = self.browser = None

    def run(self, fn, *args, **kwargs):
        return self.pool.submit(fn, *args, **kwargs).result()

    def start(self) -> None:
        from playwright.sync_api import sync_playwright

        def start():
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
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


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"The journeys need Debian's chromium at {CHROMIUM}.", pytrace=False)
    # Another directory's browser fixture may run Playwright's loop in the main thread; Django
    # then refuses ORM calls there (factories, the live server's flush) unless told.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    browser = BrowserThread()
    browser.start()
    yield browser
    browser.stop()


@pytest.fixture
def in_browser(chromium):
    """Run `journey(new_page, *args)` in the browser's thread and return what it returns.

    `new_page(phone=False)` opens a page in a fresh context (own cookies; Chinese, Shanghai
    time; 375 px wide with phone=True). The contexts and the thread's database connections
    are closed when the journey ends, so the test database can be flushed or dropped.
    """

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
                context.set_default_timeout(15_000)
                contexts.append(context)
                page = context.new_page()
                page.errors = []
                page.on("pageerror", lambda exc: page.errors.append(str(exc)))
                return page

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
    path = pytestconfig.rootpath / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def path_of(page) -> str:
    return urlparse(page.url).path


def log_in(page, base_url: str, user, *, device=None) -> None:
    """Password, then for staff the current TOTP code (once more if the 30 s window turned)."""
    from django_otp.oath import totp

    from tests.factories import PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert path_of(page) != "/accounts/login/", "the password was refused"
    if device is None:
        return
    assert path_of(page) == "/accounts/second-factor/"
    for attempt in range(2):
        if attempt:
            time.sleep(1.5)  # django-otp throttles a device for a second after a failure
        page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if path_of(page) != "/accounts/second-factor/":
            return
    raise AssertionError("the second factor refused the current code twice")
