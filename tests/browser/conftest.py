"""Browser tests: Debian's chromium driven by Playwright's sync API.

`browser` is one chromium for all tests here; `page` / `phone_page` / `new_page` give each
test its own context (cookies, storage) with a Chinese locale. A missing chromium is a
failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE

TIMEOUT_MS = 15_000


def _cjk_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return "Noto Sans CJK" in out or "Noto Serif CJK" in out


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests run last, each directory's together.

    Playwright's sync API keeps an asyncio loop running in the main thread while it is
    started, and `async_to_sync` (Channels' tests, pushes to the live channel) refuses to run
    under it; nor can a second Playwright start in the same thread. So no other test runs
    while `browser` is up, and it is closed before another directory's browser tests start.
    The sort is stable: pytest-django's order holds within a directory.
    """
    in_browser = [item for item in items if item.get_closest_marker("browser")]
    if in_browser:
        in_browser.sort(key=lambda item: str(item.path.parent))
        items[:] = [item for item in items if not item.get_closest_marker("browser")] + in_browser


@pytest.fixture(scope="package")
def browser():
    """One chromium for all of tests/browser (released after them, see above)."""
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
    # With Playwright's loop running in the main thread, Django refuses ORM calls from it
    # (factories, pytest-django's flush) unless told; only browser tests run from here on.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser):
    """Factory: a page in a fresh context; `new_page(phone=True)` is 375x740."""
    contexts = []

    def make(*, phone: bool = False, viewport: dict | None = None) -> Page:
        context = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=viewport or (PHONE if phone else DESKTOP),
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        # Uncaught script errors and console errors (CSP violations among them) are collected
        # so tests can assert a page is clean.
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: page.js_errors.append(msg.text) if msg.type == "error" else None,
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def phone_page(new_page) -> Page:
    return new_page(phone=True)


@pytest.fixture(scope="session")
def artifacts_dir(pytestconfig) -> Path:
    path = pytestconfig.rootpath / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
