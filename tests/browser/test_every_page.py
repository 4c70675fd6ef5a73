"""Issue 15, items 4 and 8: every page each demo role reaches from its home, at 360 px — none
scrolls sideways, none logs a console error, none answers 5xx, and axe-core finds no critical
or serious violation. The pages visited and the counts are printed per role."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest

from .conftest import ROLES, signed_in
from .crawl import crawl

pytestmark = pytest.mark.browser

PHONE_360 = {"width": 360, "height": 740}


def _report(role: str, visits, seconds: float) -> str:
    lines = [f"\n{role}: {len(visits)} pages at 360 px in {seconds:.0f} s"]
    for v in visits:
        counts = {}
        for violation in v.violations:
            counts[violation["impact"]] = counts.get(violation["impact"], 0) + 1
        shown = ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "axe clean"
        lines.append(f"  {urlparse(v.url).path}  {v.scroll_width}px  {shown}")
    return "\n".join(lines)


def _faults(visits) -> list[str]:
    out = []
    for v in visits:
        where = urlparse(v.url).path
        if v.status >= 500 or v.status == 0:
            out.append(f"{where}: HTTP {v.status}")
        if v.scrolls_sideways:
            out.append(f"{where}: {v.scroll_width}px wide > {v.inner_width} ({v.widest})")
        out += [f"{where}: console: {e}" for e in v.errors]
        out += [
            f"{where}: axe {s['id']} ({s['impact']}, {s['nodes']} nodes: {s['targets']})"
            for s in v.serious
        ]
    return out


@pytest.mark.parametrize(("role", "username"), ROLES, ids=[r for r, _ in ROLES])
def test_every_page_fits_360px_and_passes_axe(
    demo_site, sessions, axe, in_browser, capsys, role, username
):
    def journey(new_page):
        page = signed_in(new_page, demo_site, sessions, username, phone=True)
        page.set_viewport_size(PHONE_360)
        assert page.evaluate("window.innerWidth") == 360
        return crawl(page, demo_site, axe)

    started = time.monotonic()
    visits = in_browser(journey)
    with capsys.disabled():
        print(_report(role, visits, time.monotonic() - started))
    paths = [urlparse(v.url).path for v in visits]
    # The walk went past the home page: the figures above mean something.
    assert len(paths) >= 8 and "/roster/" in paths, paths
    if username is not None:
        assert "/delivery/inbox/" in paths, paths
    assert not _faults(visits), "\n".join(_faults(visits))


@pytest.mark.django_db  # also what makes pytest-django create the test database demo_site uses
def test_the_walk_follows_pages_of_this_site_only():
    from .crawl import _follow, _route

    base = "http://127.0.0.1:8000"
    assert _follow(base, f"{base}/cases/3/#parties") == f"{base}/cases/3/"
    for skipped in (
        f"{base}/accounts/logout/",
        f"{base}/queues/clerk/export.xlsx",
        f"{base}/agreements/2/preview.pdf",
        "https://example.org/cases/3/",
    ):
        assert _follow(base, skipped) is None, skipped
    assert _route("/cases/3/") == _route("/cases/4/")  # one visit per kind of page
