import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture
def inline_imports(settings):
    """Run an uploaded file's import when the upload commits, instead of in a thread."""
    settings.ROSTER_IMPORT_INLINE = True


@pytest.fixture
def chromium():
    """Debian's chromium driven by Playwright; one browser per test, a context per person."""
    import os

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
