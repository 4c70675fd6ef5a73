"""Must-show, in Debian's chromium through the real pages: the clerk opens a batch, ticks a
selection and delegates it to the matched mediators (a mediator who declared a conflict with
the rights holder is not offered); each mediator then sees its own cases of the batch."""

from __future__ import annotations

from collections import Counter

import pytest

from sutiao.batches.models import DeclaredConflict
from sutiao.cases.models import Case
from tests import factories
from tests.cases.conftest import log_in, path_of
from tests.cases.factories import rostered_mediator
from tests.clock import WORKING_MONDAY

from .conftest import rows, upload, xlsx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]


def test_the_clerk_delegates_a_selection_to_the_matched_mediators(
    live_server, transactional_db, in_browser, artifacts
):
    url = live_server.url
    court = factories.court("北京知识产权法院", code="京73")
    world = {"court": court, "holder": factories.person("party")}
    clerk = factories.person("court_clerk", court=court)
    mediators = [rostered_mediator(court, name=n) for n in ("张调解", "李调解", "赵调解")]
    conflicted = rostered_mediator(court, name="钱调解")
    DeclaredConflict.objects.create(mediator=conflicted, kind="counsel", name="某图片社有限公司")
    batch, _created = upload(world, xlsx(rows(12, bad=False)))
    chosen = list(
        Case.objects.filter(batch_link__batch=batch)
        .order_by("batch_link__line")
        .values_list("pk", flat=True)[:6]
    )

    def journey(new_page):
        page = new_page()
        log_in(page, url, clerk)
        page.goto(f"{url}/batches/")
        with page.expect_navigation():
            page.click(f"text={batch.title}")
        assert path_of(page) == f"/batches/{batch.pk}/"
        page.locator("#matching ol.matches > li").first.wait_for()  # all_inner_texts waits not
        matched = page.locator("#matching ol.matches > li strong").all_inner_texts()
        assert set(matched) == {"张调解", "李调解", "赵调解"}  # not 钱调解: a declared conflict
        for pk in chosen:
            page.check(f"#batch-cases tr[data-case='{pk}'] input[type=checkbox]")
        with page.expect_navigation():
            page.click("#send-form button[type=submit]")
        assert "6" in page.locator("ul.messages").inner_text()
        page.screenshot(path=str(artifacts / "batch-delegated.png"), full_page=True)
        seen = {}
        for m in mediators:
            other = new_page(phone=True)
            log_in(other, url, m.user)
            other.goto(f"{url}/batches/{batch.pk}/")
            seen[m.name] = other.locator("#batch-cases tbody tr").count()
            assert (
                other.locator(f"#batch-cases tbody td:has-text('{m.name}')").count() == seen[m.name]
            )
            assert not other.errors
        return seen

    seen = in_browser(journey)
    assert sorted(seen.values()) == [2, 2, 2]
    delegated = Case.objects.filter(pk__in=chosen)
    assert Counter(c.mediator.name for c in delegated) == {m.name: 2 for m in mediators}
    assert not Case.objects.filter(batch_link__batch=batch, state="awaiting_acceptance").exclude(
        pk__in=chosen
    )
