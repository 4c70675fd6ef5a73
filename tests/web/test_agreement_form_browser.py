"""Issue 15: the agreement form on a phone (390 px). A term shows only the fields of its kind
(the table of agreements/terms.py, which sutiao.css repeats), the unchosen terms come one at a
time, and an error stands under the field it is about, visible, with nothing wider than the
screen."""

from __future__ import annotations

import pytest

from sutiao.agreements import terms
from tests.agreements import factories as af
from tests.agreements.conftest import seed_templates
from tests.cases.conftest import log_in
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import media  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("media"),
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
]
PHONE = {"width": 390, "height": 844}
# The form's field for each of terms.FIELDS (the form asks yuan, the term keeps fen).
FORM_NAME = {"amount_fen": "amount"}
VISIBLE_FIELDS_JS = """(n) => Array.from(document.querySelectorAll(`#term-${n} .term-field`))
  .filter(el => el.offsetParent !== null).map(el => el.dataset.f)"""
VISIBLE_TERMS_JS = """() => Array.from(document.querySelectorAll('fieldset.term'))
  .filter(el => el.offsetParent !== null).map(el => el.id)"""


def test_each_kind_shows_its_own_fields_and_terms_come_one_at_a_time(
    live_server, transactional_db, in_browser
):
    seed_templates()
    world = af.mediating_case()
    url = f"{live_server.url}/agreements/case/{world.case.pk}/"
    expected = {
        code: ["kind", *(FORM_NAME.get(f, f) for f in kind.fields)]
        for code, kind in terms.KINDS.items()
    }

    def journey(new_page):
        page = new_page(phone=True)
        page.set_viewport_size(PHONE)
        log_in(page, live_server.url, world.mediator_user)
        page.goto(url)
        shown = {"start": (page.evaluate(VISIBLE_TERMS_JS), page.evaluate(VISIBLE_FIELDS_JS, 0))}
        for code in expected:
            page.select_option("#id_term-0-kind", code)
            shown[code] = page.evaluate(VISIBLE_FIELDS_JS, 0)
        shown["one more"] = page.evaluate(VISIBLE_TERMS_JS)
        shown["width"] = page.evaluate("document.documentElement.scrollWidth")
        return shown

    shown = in_browser(journey)
    # Nothing chosen: one term, showing only its kind.
    assert shown["start"] == (["term-0"], ["kind"])
    for code, fields in expected.items():
        assert shown[code] == fields, code
    # A kind chosen in term 1 brings term 2, still empty; the other four stay out of the way.
    assert shown["one more"] == ["term-0", "term-1"]
    assert shown["width"] <= PHONE["width"]


def test_errors_stand_under_their_fields_on_a_phone(live_server, transactional_db, in_browser):
    seed_templates()
    world = af.mediating_case()
    url = f"{live_server.url}/agreements/case/{world.case.pk}/"

    def journey(new_page):
        page = new_page(phone=True)
        page.set_viewport_size(PHONE)
        log_in(page, live_server.url, world.mediator_user)
        page.goto(url)
        page.fill("#id_facts", "")
        page.select_option("#id_term-0-kind", "pay")
        page.fill("#id_term-0-amount", "-5")
        with page.expect_navigation():
            page.click("#save-draft")
        amount_error = page.locator("#term-0 [data-f=amount] .error")
        facts_error = page.locator(".field:has(#id_facts) .error")
        return {
            "amount": amount_error.inner_text() if amount_error.count() else None,
            "amount shown": amount_error.count() == 1 and amount_error.is_visible(),
            "facts": facts_error.count(),
            "flagged": page.locator("#term-0 legend .tag.warning").count(),
            "still pay": page.input_value("#id_term-0-kind"),
            "width": page.evaluate("document.documentElement.scrollWidth"),
            "errors": page.errors,
        }

    got = in_browser(journey)
    assert got["amount"] and "0" in got["amount"], got  # 确保该值大于或等于0
    assert got["amount shown"] and got["facts"] == 1 and got["flagged"] == 1, got
    assert got["still pay"] == "pay"  # what was typed comes back, to correct, not retype
    assert got["width"] <= PHONE["width"] and got["errors"] == []
    assert not world.case.agreements.exists()  # a refused draft saves nothing


def test_typing_in_a_term_updates_its_preview(live_server, transactional_db, in_browser):
    """The clause beside the row follows what is typed (htmx, agreements:term_preview), with
    the wording the agreement prints, at desktop width, side by side with the fields."""
    seed_templates()
    world = af.mediating_case()
    url = f"{live_server.url}/agreements/case/{world.case.pk}/"
    preview = "#term-preview-0 [data-testid=term-text]"

    def journey(new_page):
        page = new_page()
        page.set_viewport_size({"width": 1366, "height": 900})
        log_in(page, live_server.url, world.mediator_user)
        page.goto(url)
        got = {"before": page.locator(preview).count()}
        page.select_option("#id_term-0-kind", "pay")
        page.wait_for_selector(preview)
        got["chosen"] = page.inner_text(preview)
        page.fill("#id_term-0-amount", "30000")
        page.wait_for_function(
            "(s) => document.querySelector(s).innerText.includes('叁万元整')", arg=preview
        )
        got["typed"] = page.inner_text(preview)
        page.fill("#id_term-0-subject", "经济损失及合理开支")
        page.wait_for_function(
            "(s) => document.querySelector(s).innerText.includes('经济损失')", arg=preview
        )
        got["missing"] = page.locator("#term-preview-0 [data-code=missing]").inner_text()
        fields = page.locator("#term-0 .term-fields").bounding_box()
        beside = page.locator("#term-preview-0").bounding_box()
        got["beside"] = beside["x"] >= fields["x"] + fields["width"] - 1
        got["errors"] = page.errors
        return got

    got = in_browser(journey)
    assert got["before"] == 0
    assert "（未载明）" in got["chosen"] and "叁万元整" not in got["chosen"]
    assert "叁万元整" in got["typed"] and "30,000.00" in got["typed"]
    assert got["missing"], got  # who pays and for whom are still to choose
    assert got["beside"] and got["errors"] == [], got
    assert not world.case.agreements.exists()  # previews save nothing
