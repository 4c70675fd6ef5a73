"""Walk a role's pages from its home (issue 15, items 4 and 8): a bounded breadth-first search
over same-origin links, GET only, measuring on every page whether it scrolls sideways, what
the console said and what axe-core finds.

axe-core comes from npm (never from a CDN at run time): `axe_script` installs it once into
.cache/axe-core of the repository and returns the path of axe.min.js, which each page gets
evaluated in the page (see `visit`).
"""

from __future__ import annotations

import functools
import re
import subprocess
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlparse

AXE_PACKAGE = "axe-core@4"
# Links the walk never follows: leaving, switching language, files rather than pages.
SKIP = re.compile(
    r"/accounts/logout/|/i18n/|/static/|/media/|/admin/"
    r"|\.(pdf|xlsx|csv|zip|ofd|p7s|png|jpg)$"
    r"|/(pdf|xlsx|export|download|file|print|batch-pdf|certificate)(/|$)"
)
LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.href)"""
AXE_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""
WIDTH_JS = "[document.documentElement.scrollWidth, window.innerWidth]"
# What the page's widest element is, to say in a failure where the overflow comes from.
WIDEST_JS = """() => { const w = window.innerWidth; let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && (!worst || r.right > worst.right))
      worst = {right: Math.round(r.right), tag: el.tagName.toLowerCase(),
               id: el.id, cls: el.className && String(el.className)};
  }
  return worst; }"""


def axe_script(root: Path) -> Path:
    """axe.min.js installed from npm into the repository's .cache (once per machine)."""
    cache = root / ".cache" / "axe-core"
    script = cache / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(cache), AXE_PACKAGE, "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script


@dataclass
class Visit:
    url: str
    status: int
    scroll_width: int = 0
    inner_width: int = 0
    errors: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)
    widest: dict | None = None

    @property
    def serious(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in {"critical", "serious"}]

    @property
    def scrolls_sideways(self) -> bool:
        return self.scroll_width > self.inner_width + 1


def _route(path: str) -> str:
    """The URL pattern a path resolves to, so that a walk sees each kind of page, not each id."""
    from django.urls import Resolver404, resolve

    try:
        return resolve(path).route
    except Resolver404:
        return path


def _follow(base: str, href: str) -> str | None:
    url, _ = urldefrag(href)
    parsed = urlparse(url)
    if f"{parsed.scheme}://{parsed.netloc}" != base or SKIP.search(parsed.path):
        return None
    return url


@functools.cache
def _source(axe: Path) -> str:
    return axe.read_text(encoding="utf-8") + "\n;void 0"


def visit(page, url: str, axe: Path) -> Visit | None:
    """Measure one page; None when the link turned out to be a file (a download)."""
    from playwright.sync_api import Error

    page.errors.clear()
    try:
        response = page.goto(url, wait_until="load")
    except Error as exc:
        if "Download is starting" in str(exc):
            return None
        raise
    status = response.status if response else 0
    scroll, inner = page.evaluate(WIDTH_JS)
    found = Visit(url, status, scroll, inner)
    if found.scrolls_sideways:
        found.widest = page.evaluate(WIDEST_JS)
    found.errors = list(page.errors)
    if "text/html" in (response.headers.get("content-type", "") if response else ""):
        # Not add_script_tag: the product's CSP (script-src 'self') refuses an inline
        # script, rightly; evaluating the file through the DevTools protocol is not a script
        # the page loads, so the policy stays on for the page's own scripts.
        page.evaluate(_source(axe))
        found.violations = page.evaluate(AXE_JS)
    return found


def crawl(page, base: str, axe: Path, *, limit: int = 40, per_route: int = 1) -> list[Visit]:
    """Pages reachable from the current page by links, breadth first: at most `per_route`
    pages of one URL pattern and `limit` pages in all."""
    seen: set[str] = set()
    routes: dict[str, int] = {}
    queue = deque([page.url])
    visits: list[Visit] = []
    while queue and len(visits) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        route = _route(urlparse(url).path)
        if routes.get(route, 0) >= per_route:
            continue
        routes[route] = routes.get(route, 0) + 1
        found = visit(page, url, axe)
        if found is None:
            continue
        visits.append(found)
        for href in page.evaluate(LINKS_JS):
            nxt = _follow(base, href)
            if nxt and nxt not in seen:
                queue.append(nxt)
    return visits
