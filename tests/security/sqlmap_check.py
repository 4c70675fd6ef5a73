"""sqlmap at level 2 on every list and search parameter (issue 21, item 3) → 0 injectable.

Run by scripts/sqlmap-check (once, in .ci/run's PostgreSQL step), not by the suite: the name
does not start with test_. The platform is served on loopback by pytest-django's live
server on the test database, with people of each kind logged in; sqlmap (Debian's package)
asks every list page and list endpoint, each of its query parameters in turn, as the person
who sees that list. The API's lists come from its OpenAPI document, so a new one is asked
too; the pages' lists are named below."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from sutiao.api import api
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = pytest.mark.time_machine(WORKING_MONDAY, tick=True)

SQLMAP = shutil.which("sqlmap") or "sqlmap"
# The pages that list or search, with their parameters, and who sees each.
PAGES = {
    "/institutions/": (["region", "q"], "party"),
    # IP-office staff (and platform administrators) read the organisations' list.
    "/institutions/orgs/": (["region", "q", "kind", "ip_kind", "fee", "page"], "ip_office_staff"),
    "/roster/": (["show", "court", "region", "expertise", "fee", "q", "ip_only", "page"], "party"),
    "/cases/": (["state", "q", "cursor"], "party"),
    "/roster/manage/": (["q", "status", "show", "page"], "ip_office_staff"),
    "/judicial/queue/": (["state"], "judge"),
    "/delivery/inbox/": (["unread"], "party"),
}
# sqlmap processes at once (the server answers them all; 2 cores in CI).
WORKERS = int(os.environ.get("SQLMAP_WORKERS", "4"))
VULNERABLE = re.compile(r"(?i)(is vulnerable|appears to be injectable|sqlmap identified)")


def api_lists() -> dict[str, tuple[list[str], str]]:
    """Every GET operation of /api/v1 with query parameters. The docking API answers a
    partner's OAuth token only (a session is refused with 401 before any query runs); its
    parameters are exercised with a token by schemathesis (tests/security/schemathesis_api.py)."""
    found = {}
    for doc in (api.get_openapi_schema(),):
        for path, ops in doc["paths"].items():
            op = ops.get("get")
            params = [p["name"] for p in (op or {}).get("parameters", []) if p["in"] == "query"]
            if op and params and "{" not in path:
                found[path] = (params, "party")
    return found


# A value the list accepts, where "1" is refused before any query runs.
SAMPLES = {"view": "party", "industry": "software"}


def _sample(params: list[str]) -> str:
    return "&".join(f"{p}={SAMPLES.get(p, 1)}" for p in params)


# Boolean-based blind, error-based, UNION and stacked queries: every technique but
# time-based blind, whose payloads each wait seconds for a delay and made the run 6+ minutes
# (docs/assurance.md). A parameter that reaches SQL unescaped is caught by the others.
TECHNIQUES = "BEUS"


def _sqlmap(
    url: str, params: list[str], param: str, cookie: str, out: Path
) -> tuple[str, str, int]:
    """sqlmap on one parameter of one list (the others keep their sample values)."""
    # One output directory per run: sqlmap keeps its session per host, and runs sharing one
    # would flush each other's (--flush-session) while they test.
    out = out / re.sub(r"\W+", "_", f"{url}_{param}")
    out.mkdir(parents=True, exist_ok=True)
    traffic = out / "traffic.txt"
    try:
        answer = subprocess.run(
            [
                SQLMAP,
                "-u",
                f"{url}?{_sample(params)}",
                "-p",
                param,
                "--level",
                "2",
                "--risk",
                "1",
                "--dbms",
                "PostgreSQL",
                "--batch",
                "--disable-coloring",
                "--cookie",
                cookie,
                "--output-dir",
                str(out),
                "--technique",
                TECHNIQUES,
                "--flush-session",
                # sqlmap 1.7's ORDER BY probe can take an unstable page (the CSRF token changes
                # on every answer) for a query of hundreds of columns ("appears to have 239
                # columns") and then hang building the UNION (the last CI's failure, a run that
                # never ended). Its own ranges stop at 40; a wider query reached unescaped is
                # still caught by the boolean, error and stacked techniques.
                "--union-cols",
                "1-40",
                "--threads",
                "4",
                # A loaded machine answers slowly: wait and retry rather than give up on a page.
                "--timeout",
                "60",
                "--retries",
                "5",
                "-t",
                str(traffic),
            ],
            capture_output=True,
            text=True,
            # One parameter takes 10–60 s idle; a loaded CI machine can make it several times that.
            timeout=900,
        )
        text = answer.stdout + answer.stderr
    except subprocess.TimeoutExpired as late:  # reported with what it printed, not as a crash
        printed = late.stdout or b""  # bytes here even with text=True
        said = printed.decode(errors="replace") if isinstance(printed, bytes) else str(printed)
        text = f"sqlmap still running after {late.timeout} s:\n{said}"
    sent = traffic.read_text(errors="replace").count("HTTP request [#") if traffic.exists() else 0
    return f"{url} {param}", text, sent


def _who_sees(base: str, path: str, params: list[str], named: str, cookies: dict[str, str]) -> str:
    refusals = []
    for who in [named, *(w for w in cookies if w != named)]:
        asked = Request(f"{base}{path}?{_sample(params)}", headers={"Cookie": cookies[who]})
        try:
            with urlopen(asked, timeout=60) as answer:  # noqa: S310 # nosec B310 - the loopback server
                if answer.status == 200:
                    return who
        except HTTPError as refused:
            refusals.append(f"{who}: {refused.code} {refused.read()[:200]!r}")
    raise AssertionError(f"{path} answers nobody: {refusals}")


@pytest.mark.django_db(transaction=True)
def test_no_list_or_search_parameter_is_injectable(live_server, tmp_path, capsys):
    court = factories.court()
    office = factories.office()
    party = factories.person("party")
    judge = factories.person("judge", court=court)
    staff = factories.person("ip_office_staff", ip_office=office)
    cf.submitted_case(court, applicant=party)
    cookies = {}
    for role, user in {"party": party, "judge": judge, "ip_office_staff": staff}.items():
        session = factories.client_for(user).cookies["sessionid"].value
        cookies[role] = f"sessionid={session}"
    targets = {**PAGES, **api_lists()}
    only = os.environ.get("SQLMAP_ONLY")  # one path, to try a change quickly
    targets = {k: v for k, v in targets.items() if not only or k == only}
    assert targets, only
    # Each list is asked as a person it answers (the one named first): a refusal page would
    # be tested instead of the query.
    who_for = {
        path: _who_sees(live_server.url, path, params, who, cookies)
        for path, (params, who) in targets.items()
    }
    started = time.monotonic()
    # One sqlmap run per parameter: a list of eight parameters in one run took 8 minutes
    # alone (the last CI's timeout); runs of one parameter share the workers evenly.
    jobs = [(path, params, param) for path, (params, _who) in targets.items() for param in params]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        runs = list(
            pool.map(
                lambda job: _sqlmap(
                    live_server.url + job[0], job[1], job[2], cookies[who_for[job[0]]], tmp_path
                ),
                jobs,
            )
        )
    injectable = [url for url, text, _sent in runs if VULNERABLE.search(text)]
    tested = sum(len(params) for params, _who in targets.values())
    with capsys.disabled():
        print(
            f"\nsqlmap level 2 ({TECHNIQUES}): {len(targets)} lists, {tested} parameters, "
            f"{sum(sent for _u, _t, sent in runs)} requests, {len(injectable)} injectable, "
            f"{time.monotonic() - started:.0f} s"
        )
        per_list: dict[str, int] = {}
        for run, _text, sent in runs:
            path = run.removeprefix(live_server.url).split()[0]
            per_list[path] = per_list.get(path, 0) + sent
        for path, sent in sorted(per_list.items(), key=lambda item: -item[1]):
            print(f"  {path}: {sent} requests")
    assert not injectable, injectable
    # sqlmap ran, reached the server and tested each parameter: every unfinished run is named.
    unfinished = {
        run: text[-1500:]
        for run, text, _sent in runs
        if "all tested parameters do not appear to be injectable" not in text
    }
    assert not unfinished, unfinished
