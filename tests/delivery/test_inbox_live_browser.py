"""Must-show 5, in Debian's chromium: the party's inbox shows a newly served document without a
reload.

The platform runs as `sutiao serve` runs it: uvicorn (HTTP and the /ws/live/ WebSocket) in this
process, the embedded delivery worker in a thread of its own (the scheduler's job), the
in-memory channel layer between them. The party has the inbox open; a judge serves a ruling;
the worker stores it in the party's inbox and pushes it: the item and the unread badge appear
while the page stays the same page (a marker set in it survives)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from sutiao.delivery import actions, engine
from sutiao.delivery.models import InboxItem
from tests.browser_support import asgi_server

from .conftest import build_case, free_port, log_in, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def platform(transactional_db, media):
    """The ASGI application on a free port, and the embedded delivery worker."""
    with asgi_server(free_port()) as url:
        stop = threading.Event()
        worker = threading.Thread(
            target=engine.loop,
            args=(stop,),
            kwargs={"every": 0.2},
            name="delivery-worker",
            daemon=True,
        )
        worker.start()
        yield url
        stop.set()
        worker.join(10)


def test_the_inbox_shows_a_newly_served_document_without_a_reload(platform, in_browser, artifacts):
    s = build_case()

    def serve():
        # From a thread of its own, as a judge's request would (not the browser's thread).
        def act():
            from django.db import connection

            try:
                actions.serve_document(
                    actor=s.judge,
                    case=s.case,
                    document=s.ruling,
                    title="民事裁定书（确认调解协议效力）",
                    kind="ruling",
                )
            finally:
                connection.close()

        with ThreadPoolExecutor(1) as pool:
            pool.submit(act).result()

    def journey(new_page):
        page = new_page()
        log_in(page, platform, s.respondent_user)
        page.goto(f"{platform}/delivery/inbox/")
        assert path_of(page) == "/delivery/inbox/"
        assert page.locator("#inbox-items [data-item-id]").count() == 0
        assert page.get_attribute("#inbox-unread", "data-count") == "0"
        page.wait_for_selector("#inbox-unread[data-live='1']", state="attached")
        page.evaluate("window.__sameDocument = 'still here'")

        serve()

        item = page.wait_for_selector("#inbox-items [data-item-id]", timeout=15_000)
        assert "民事裁定书（确认调解协议效力）" in item.inner_text()
        page.wait_for_selector("#inbox-unread[data-count='1']", state="attached")
        assert page.inner_text("#inbox-unread") == "1"
        assert page.inner_text("[data-unread-count]") == "1"  # the filter's count too
        assert page.evaluate("window.__sameDocument") == "still here"  # no reload
        assert page.locator("#inbox-items .inbox-doc").count() == 1
        page.screenshot(path=str(artifacts / "delivery-inbox-live.png"), full_page=True)

        # Opening it is recorded, and the badge goes back to 0 on the next page.
        with page.expect_navigation():
            page.click("#inbox-items [data-item-id] a.inbox-title")
        assert page.get_attribute("#inbox-unread", "data-count") == "0"
        assert page.locator("#download").count() == 1
        assert page.errors == []

    in_browser(journey)
    item = InboxItem.objects.get(user=s.respondent_user)
    assert item.read_at is not None and item.document_id == s.ruling.pk
