"""Issue 15 must-show: each role's home, a case page, a queue and the agreement form at 390 px
(a phone) and 1366 px (a laptop), written to test-artifacts/screens/ for a person to look at.
Each shot is also measured: HTTP 200, no sideways scroll, no console error, axe clean."""

from __future__ import annotations

import pytest

from sutiao.agreements.models import Agreement
from sutiao.cases.models import Case

from .conftest import ROLES, signed_in
from .crawl import visit

pytestmark = pytest.mark.browser

WIDTHS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 768}}


def _shots() -> list[tuple[str, str | None, str]]:
    """(name, log-in, path): every home, then the pages of the demo's case under mediation."""
    mediating = Case.objects.filter(state="mediating").order_by("pk").first()
    signed = Agreement.objects.filter(state="signed").order_by("pk").first()
    assert mediating and signed, "the demo has a case under mediation and a signed agreement"
    shots = [(f"home-{role}", username, "/") for role, username in ROLES]
    return shots + [
        ("case-party", "party", f"/cases/{mediating.pk}/"),
        ("case-mediator", "mediator", f"/cases/{mediating.pk}/"),
        ("case-clerk", "clerk", f"/cases/{signed.case_id}/"),
        ("queue-clerk", "clerk", "/queues/clerk/"),
        ("queue-judge", "judge", "/queues/judge/"),
        ("agreement-form-mediator", "mediator", f"/agreements/case/{mediating.pk}/"),
        ("agreement-signed-party", "party", f"/agreements/case/{signed.case_id}/"),
    ]


def test_screenshots_of_homes_cases_queues_and_the_agreement_form(
    demo_site, sessions, axe, in_browser, artifacts
):
    folder = artifacts / "screens"
    folder.mkdir(exist_ok=True)
    shots = _shots()

    def journey(new_page):
        faults, written = [], []
        for name, username, path in shots:
            page = signed_in(new_page, demo_site, sessions, username)
            for width, size in WIDTHS.items():
                page.set_viewport_size(size)
                found = visit(page, f"{demo_site}{path}", axe)
                assert found is not None, f"{path} is a page, not a file"
                if found.status != 200 or found.scrolls_sideways or found.errors or found.serious:
                    faults.append(f"{name}@{width}: {found}")
                target = folder / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            page.context.close()
        return faults, written

    faults, written = in_browser(journey)
    assert not faults, "\n".join(faults)
    assert len(written) == 2 * len(shots)
    # A real picture each, not an empty file: a full page is at least one screen high.
    assert all(p.stat().st_size > 10_000 for p in written), [
        (p.name, p.stat().st_size) for p in written if p.stat().st_size <= 10_000
    ]


@pytest.mark.django_db  # also what makes pytest-django create the test database demo_site uses
def test_every_role_has_a_demo_log_in_to_photograph():
    from sutiao.demo.data import LOGINS

    demo = {username for _, username, *_ in LOGINS}
    assert {u for _, u in ROLES if u} <= demo
    assert set(WIDTHS) == {"390", "1366"}
