"""Pages fit a phone: nothing scrolls sideways at 375 px."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

STYLE_RULES_JS = "Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0)"


def test_login_page_has_no_horizontal_scroll_on_a_phone(live_server, in_browser):
    def journey(new_page):
        phone_page = new_page(phone=True)
        phone_page.goto(f"{live_server.url}/accounts/login/")
        assert (
            phone_page.evaluate(STYLE_RULES_JS) > 0
        )  # the stylesheet loaded: the check means something
        assert phone_page.evaluate("window.innerWidth") == 375
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
        button = phone_page.locator("main form button[type=submit]").bounding_box()
        assert button["x"] >= 0 and button["x"] + button["width"] <= 375

    in_browser(journey)
