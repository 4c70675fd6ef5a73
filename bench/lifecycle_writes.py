"""bench/run's lifecycle writes (issue 14): accept, record a session, end, through the API.

Before the measured runs, `pools` draws from the generated data the cases in the right state
for each step (awaiting the mediator's acceptance; mediating with every party consented; active,
so it may end) and splits them so that no case is written twice in a run. Each case's writer is
its own mediator: a mediator without an account gets one (the mediator role of its
organisation), and each writer a bearer token (`accounts.actions.issue_api_token`), as a script
or another platform has one. wrk then POSTs each request to a different case of the pool
(its own Lua table, each thread its own share), stops when the share is used up or after
--seconds, and counts the answers that are not 2xx/3xx.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date

STEPS = ("accept", "record a session", "end")
THREADS = 2
ENDING = {
    "course": "压测：调解员组织双方进行了一次线上调解。",
    "reasons": "压测：双方分歧较大，未能达成协议。",
}


@dataclass
class Write:
    label: str
    step: str
    floor: str = "write"
    per_run: list[list[tuple[str, str, str]]] = field(default_factory=list)  # (url, token, body)
    runs: list[dict] = field(default_factory=list)


def _writers(mediator_ids: set[int]) -> dict[int, str]:
    """A bearer token for each mediator's account (an account made where there is none),
    used once before the runs, as a client that has used its token before."""
    from django.db import transaction

    from sutiao.accounts import actions
    from sutiao.accounts.models import User
    from sutiao.accounts.roles import Role
    from sutiao.roster.models import Mediator

    tokens = {}
    for mediator in Mediator.objects.filter(pk__in=mediator_ids).select_related("user"):
        with transaction.atomic():
            user = mediator.user
            if user is None:
                user = User(username=f"bench-mediator-{mediator.pk}", real_name=mediator.name)
                user.set_unusable_password()  # writes with a token only
                user.save()
                org = mediator.orgs.order_by("pk").first()
                actions.add_membership(actor=None, user=user, role=Role.MEDIATOR, org=org)
                mediator.user = user
                mediator.save(update_fields=["user"])
            tokens[mediator.pk] = actions.issue_api_token(actor=user, name="bench/run", days=1)[1]
        actions.user_for_token(tokens[mediator.pk])  # its first use writes last_used_at
    return tokens


def pools(runs: int, warm: int) -> tuple[list[Write], list[tuple[str, str, str]]]:
    """The three writes, each with a disjoint share of its pool per run, and `warm` requests
    of each (on cases of their own) for the workers to load their code before the runs."""
    from sutiao.cases.choices import EndReason, State
    from sutiao.cases.models import Case, Party

    def ids(states: set[str]) -> list[tuple[int, int]]:
        found = Case.objects.filter(state__in=states, mediator__isnull=False)
        return list(found.order_by("pk").values_list("pk", "mediator_id"))

    waiting = ids({State.AWAITING_ACCEPTANCE})
    active = ids({State.MEDIATING, State.PAUSED})
    unconsented = set(
        Party.objects.filter(case__state__in={State.MEDIATING, State.PAUSED})
        .exclude(
            consent_at__isnull=False, consents_online=True, notice_acknowledged_at__isnull=False
        )
        .values_list("case_id", flat=True)
    )
    tokens = _writers({m for _, m in waiting + active})
    session = {"session_date": date.today().isoformat(), "text": "压测：线上调解，双方陈述意见。"}
    bodies = {
        "accept": "",
        "record a session": json.dumps(session, ensure_ascii=False),
        "end": json.dumps(
            {"reason": int(EndReason.POSITIONS_TOO_FAR), **ENDING}, ensure_ascii=False
        ),
    }
    slug = {"accept": "accept", "record a session": "transcripts", "end": "end"}

    def item(step: str, case: tuple[int, int]) -> tuple[str, str, str]:
        return (f"/api/v1/cases/{case[0]}/{slug[step]}", tokens[case[1]], bodies[step])

    # Sessions and endings share the mediating cases: a session leaves a case mediating, so
    # the sessions of a run go first, on the cases that run's endings then close (those
    # whose parties have all consented, as a session needs).
    def share(pool: list, run: int) -> list:
        return pool[run * len(pool) // runs : (run + 1) * len(pool) // runs]

    warming = [item("accept", c) for c in waiting[:warm]]
    warming += [item("record a session", c) for c in active[:warm] if c[0] not in unconsented]
    warming += [item("end", c) for c in active[:warm]]
    writes = [Write(f"lifecycle write: {step}", step) for step in STEPS]
    for run in range(runs):
        mine = share(active[warm:], run)
        writes[0].per_run.append([item("accept", c) for c in share(waiting[warm:], run)])
        writes[1].per_run.append(
            [item("record a session", c) for c in mine if c[0] not in unconsented]
        )
        writes[2].per_run.append([item("end", c) for c in mine])
    return writes, warming


def warm_up(base: str, items: list[tuple[str, str, str]]) -> None:
    import urllib.request

    for url, token, body in items:
        asked = urllib.request.Request(  # noqa: S310 # nosec B310 - loopback
            base + url,
            data=body.encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        urllib.request.urlopen(asked, timeout=60).read()  # noqa: S310 # nosec B310


LUA = """
local items = {%(items)s}
local n, threads = 0, {}
function setup(thread)
  thread:set("tid", n)
  n = n + 1
  table.insert(threads, thread)
end
local i, posted, done_, failed = nil, false, 0, 0
function request()
  i = (i == nil) and (tid + 1) or (i + %(threads)d)
  local it = items[i]
  if it == nil then
    posted = false
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  posted = true
  return wrk.format("POST", it[1], {["Authorization"] = "Bearer " .. it[2],
    ["Content-Type"] = "application/json"}, it[3])
end
function response(status, headers, body)
  if status ~= 200 and status ~= 201 and (status < 300 or status > 399) then
    failed = failed + 1
    if failed == 1 then io.stderr:write(status .. " " .. body:sub(1, 300) .. "\\n") end
  end
  done_ = done_ + 1
  wrk.thread:set("answered", done_)
  wrk.thread:set("failed", failed)
end
function done(summary, latency, requests)
  local answered, failed = 0, 0
  for _, t in ipairs(threads) do
    answered = answered + (t:get("answered") or 0)
    failed = failed + (t:get("failed") or 0)
  end
  io.write(string.format("BENCH %%d %%d %%d %%d %%d %%d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), answered, summary.duration, failed))
end
"""


def _lua_string(text: str) -> str:
    # A JSON string without \u escapes is a valid Lua string (LuaJIT takes UTF-8 as it is).
    return json.dumps(text, ensure_ascii=False)


def measure(base: str, items: list[tuple[str, str, str]], seconds: int, connections: int) -> dict:
    """One wrk run over `items`, each POSTed once; the same figures as bench/run's paths."""
    rows = ",".join("{" + ",".join(_lua_string(part) for part in item) + "}" for item in items)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA % {"items": rows, "threads": THREADS})
    connections = max(THREADS, min(connections, len(items)))
    done = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "-s", lua.name, base + "/"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    if "BENCH " not in done.stdout:
        raise SystemExit(f"wrk: {done.stderr or done.stdout}")
    p50, p95, p99, answered, duration, failed = map(int, done.stdout.split("BENCH ")[1].split())
    return {
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "rps": answered / (duration / 1e6),
        "errors": failed,
        "requests": answered,
        "pool": len(items),
        "first_error": done.stderr.strip()[:300],
    }
