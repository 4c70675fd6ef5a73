"""In Debian's chromium through the real pages: a judge opens a batch whose cases were filed,
ticks a selection and entrusts it to the matched mediators in one action; each mediator then
finds its own entrusted cases under "my cases"."""

from __future__ import annotations

from collections import Counter

import pytest

from sutiao.cases.models import Case
from tests import factories
from tests.cases.conftest import log_in, path_of
from tests.cases.factories import rostered_mediator
from tests.clock import WORKING_MONDAY

from .conftest import file_all, rows, upload, xlsx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]


def test_the_judge_entrusts_a_selection_of_filed_cases_and_the_mediators_see_them(
    live_server, transactional_db, in_browser, artifacts
):
    url = live_server.url
    court = factories.court("北京知识产权法院", code="京73")
    world = {
        "court": court,
        "holder": factories.person("party"),
        "clerk": factories.person("court_clerk", court=court),
    }
    judge = factories.person("judge", court=court)
    mediators = [rostered_mediator(court, name=n) for n in ("张调解", "李调解", "赵调解")]
    batch, _created = upload(world, xlsx(rows(9, bad=False)))
    file_all(world, batch)
    chosen = list(
        Case.objects.filter(batch_link__batch=batch)
        .order_by("batch_link__line")
        .values_list("pk", flat=True)[:6]
    )

    def journey(new_page):
        page = new_page()
        log_in(page, url, judge)
        page.goto(f"{url}/batches/")
        with page.expect_navigation():
            page.click(f"text={batch.title}")
        assert path_of(page) == f"/batches/{batch.pk}/"
        assert page.locator("#entrust-form").count() == 1
        for pk in chosen:
            page.check(f"#batch-cases tr[data-case='{pk}'] input[type=checkbox]")
        with page.expect_navigation():
            page.click("#entrust-form button[type=submit]")
        assert "6" in page.locator("ul.messages").inner_text()
        assert page.locator("#batch-cases .entrusted-as").count() == 6
        page.screenshot(path=str(artifacts / "batch-entrusted.png"), full_page=True)
        assert not page.errors
        seen = {}
        for m in mediators:
            other = new_page(phone=True)
            log_in(other, url, m.user)
            other.goto(f"{url}/cases/assigned/")
            seen[m.name] = [
                int(pk)
                for pk in other.locator("#cases li[data-case]").evaluate_all(
                    "els => els.map(e => e.dataset.case)"
                )
            ]
            assert not other.errors
        return seen

    seen = in_browser(journey)
    made = Case.objects.filter(filed_case__origin__in=chosen).select_related("mediator")
    assert Counter(c.mediator.name for c in made) == {m.name: 2 for m in mediators}
    for c in made:
        assert c.pk in seen[c.mediator.name]
    assert sorted(len(v) for v in seen.values()) == [2, 2, 2]
    assert not Case.objects.filter(channel="entrusted").exclude(pk__in=[c.pk for c in made])
