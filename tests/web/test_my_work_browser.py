"""Issue 15 must-show, in Debian's chromium: the last party to sign sees the agreement waiting
on the home page and the notice of the other party's signature arrives without a reload; the
mediator's open page sees the last signature arrive; the clerk sorts and filters the queue,
exports it to XLSX (the same rows as shown) and prints a paper-service batch as one PDF.

The platform runs as `sutiao serve` runs it: uvicorn (pages and /ws/live/) in this process,
the embedded delivery worker in a thread of its own."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from sutiao.agreements import actions as agreement_actions
from sutiao.delivery import actions as delivery_actions
from sutiao.delivery import engine
from sutiao.web import todo
from tests import factories
from tests.agreements import factories as af
from tests.agreements.conftest import seed_templates
from tests.browser_support import asgi_server
from tests.cases import factories as cf
from tests.cases.conftest import log_in
from tests.delivery.conftest import build_case, free_port, ruling, wait_for
from tests.documents.conftest import media  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots-workspace")


# The worker passes once a second: each pass takes SQLite's one write lock, and on a loaded
# machine a tighter loop starves the log-ins of the pages.
@pytest.fixture
def platform(transactional_db, media):  # noqa: F811
    with asgi_server(free_port()) as url:
        stop = threading.Event()
        worker = threading.Thread(
            target=engine.loop, args=(stop,), kwargs={"every": 1.0}, daemon=True
        )
        worker.start()
        yield url
        stop.set()
        worker.join(10)


def _zh(kind: str) -> str:
    with translation.override("zh-hans"):
        return str(todo.KINDS[kind])


def _in_thread(fn):
    """A step taken by someone else's request: from a thread (and connection) of its own."""

    def run():
        from django.db import connection

        try:
            return fn()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def _signature_added() -> str:
    from sutiao.core import events

    with translation.override("zh-hans"):
        return str(events.EVENTS["agreement.signature_added"].label)


def _pending() -> bool:
    from sutiao.core.models import OutboxEvent

    return OutboxEvent.objects.filter(
        delivered_at__isnull=True, topic__in=list(engine.HANDLERS)
    ).exists()


def _queued_for(user):
    def queued():
        from sutiao.delivery.models import Delivery

        return Delivery.objects.filter(user=user, state__in=["queued", "sending"]).exists()

    return queued


def test_the_last_party_sees_to_sign_and_the_signatures_arrive_live(platform, in_browser):
    seed_templates()
    w = af.mediating_case()
    agreement = agreement_actions.open_for_signing(actor=w.mediator_user, agreement=af.draft(w))
    device = factories.with_totp(w.mediator_user)  # before the worker is busy (SQLite)
    SHOTS.mkdir(exist_ok=True)
    # The notices of the steps so far are out before the pages open.
    assert wait_for(lambda: not _in_thread(_pending), timeout=120)

    def journey(new_page):
        r = new_page(phone=True)
        log_in(r, platform, w.respondent)
        r.goto(f"{platform}/")
        todo_item = r.locator("#my-work li.todo[data-kind=to_sign]")
        assert todo_item.count() == 1 and _zh("to_sign") in todo_item.inner_text()
        r.wait_for_selector("#inbox-unread[data-live='1']", state="attached")
        r.evaluate("window.__sameDocument = 'still here'")
        unread = int(r.get_attribute("#inbox-unread", "data-count"))
        m = new_page()
        log_in(m, platform, w.mediator_user, device=device)
        m.goto(f"{platform}/")
        m.wait_for_selector("#inbox-unread[data-live='1']", state="attached")
        m.evaluate("window.__sameDocument = 'still here'")
        m_unread = int(m.get_attribute("#inbox-unread", "data-count"))

        # The applicant signs elsewhere: the respondent's open home page is told.
        _in_thread(lambda: af.sign_as(w.applicant, agreement, channel="email"))
        # A signature is three timestamped revisions now (B-LTA), then the worker's pass: give
        # a loaded machine time.
        # At least one more: a notice of an earlier step still on its way may arrive too.
        r.wait_for_function(
            "n => +document.getElementById('inbox-unread').dataset.count >= n",
            arg=unread + 1,
            timeout=90_000,
        )
        fresh = r.locator("#inbox-items li.fresh").first.inner_text()
        assert fresh.startswith("待办") and w.reload().number in fresh
        assert r.evaluate("window.__sameDocument") == "still here"
        r.screenshot(path=str(SHOTS / "party-home-live-notice-390.png"), full_page=True)
        assert r.errors == []

        # The respondent, last to sign, signs: the mediator's open page sees it arrive. (The
        # notice's SMS leaves first: the code is read from the last SMS the phone received.)
        assert wait_for(lambda: not _in_thread(_queued_for(w.respondent)), timeout=30)
        _in_thread(lambda: af.sign_as(w.respondent, agreement))
        # Each signature, and the agreement in effect once every party has signed.
        m.wait_for_function(
            "n => +document.getElementById('inbox-unread').dataset.count >= n",
            arg=m_unread + 3,
            timeout=90_000,
        )
        fresh = m.locator("#inbox-items li.fresh").all_inner_texts()
        assert len(fresh) == 3 and all(w.reload().number in t for t in fresh), fresh
        assert sum(_signature_added() in t for t in fresh) == 2, fresh
        assert not any(t.startswith("待办") for t in fresh)  # told, not asked: its turn is next
        assert m.evaluate("window.__sameDocument") == "still here"
        m.reload()
        assert m.locator("#my-work li.todo[data-kind=to_sign]").count() == 1
        m.screenshot(path=str(SHOTS / "mediator-home-to-sign-1366.png"), full_page=True)
        assert m.errors == []

    in_browser(journey)


def test_the_clerk_sorts_filters_exports_and_prints_a_paper_batch(live_server, in_browser, media):  # noqa: F811, E501
    s = build_case(respondent_consents=False)
    court = s.case.court
    more = [cf.submitted_case(court, applicant=factories.person("party")) for _ in range(2)]
    delivery_actions.serve_document(
        actor=s.judge, case=s.case, document=ruling(s.case), title="民事裁定书", kind="ruling"
    )
    url = live_server.url

    def journey(new_page):
        page = new_page()
        log_in(page, url, s.clerk)
        page.goto(f"{url}/queues/clerk/")
        assert page.locator("#queue tbody tr[data-case]").count() == 3
        page.select_option("#f-sort", "-submitted")
        with page.expect_navigation():
            page.click("#queue-filters button[type=submit]")
        shown = [
            int(v)
            for v in page.locator("#queue tbody tr").evaluate_all(
                "rows => rows.map(r => r.dataset.case)"
            )
        ]
        assert shown == [more[1].pk, more[0].pk, s.case.pk]
        with page.expect_navigation():
            page.click(".state-counts a[data-state=submitted]")
        shown = [
            int(v)
            for v in page.locator("#queue tbody tr").evaluate_all(
                "rows => rows.map(r => r.dataset.case)"
            )
        ]
        assert shown == [more[1].pk, more[0].pk]
        cells = page.locator("#queue tbody tr").evaluate_all(
            "rows => rows.map(r => [...r.cells].slice(1, 9).map(c => c.innerText.trim()))"
        )
        with page.expect_download() as download:
            page.click("#queue-export")
        book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        exported = [
            [v or "" for v in r[1:9]] for r in list(book.active.iter_rows(values_only=True))[1:]
        ]
        assert exported == cells and len(exported) == 2
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(SHOTS / "clerk-queue-390.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=str(SHOTS / "clerk-queue-1366.png"), full_page=True)

        page.goto(f"{url}/delivery/paper/")
        href = page.get_attribute("#paper-batch", "href")
        pdf = page.request.get(f"{url}{href}")
        assert pdf.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(pdf.body()))
        text = reader.pages[0].extract_text()
        assert "纸质送达" in text and s.respondent.name in text
        assert len(reader.pages) >= 2  # the cover, then the ruling
        assert page.errors == []

    SHOTS.mkdir(exist_ok=True)
    in_browser(journey)
