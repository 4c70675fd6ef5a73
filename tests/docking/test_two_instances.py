"""Two live instances on loopback, each a `sutiao serve` process with its own database: A,
a provincial IP office's platform, docks with B, the court side, as one of B's partners.

B's fault: a proxy on loopback in front of B forwards A's first POST to B and then answers
A 500 instead of B's 202. That is the hard case for exactly-once (B did act; A cannot know
it), harder than B refusing before acting; A retries under the same key and B replays its
first answer. B's steps reach A by signed webhook. While A is down, B's worker keeps
retrying the webhook on its schedule (attempts grow, the next one is due later); A comes
back on the same database and its scheduled feed pull catches up; B's retry arriving
afterwards doubles nothing."""

import json
import threading
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .live import Instance

PEER, PARTNER = "法院调解平台", "省知识产权局平台"


class FailingProxy:
    """Forwards to B; the first POST /applications reaches B but A is answered 500."""

    def __init__(self, target: str):
        self.posts: list[int] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self, method):
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else None
                request = urllib.request.Request(target + self.path, data=body, method=method)
                for k, v in self.headers.items():
                    if k.lower() not in {"host", "content-length", "connection"}:
                        request.add_header(k, v)
                try:
                    with urllib.request.urlopen(request, timeout=30) as r:
                        status, raw = r.status, r.read()
                except urllib.error.HTTPError as exc:
                    status, raw = exc.code, exc.read()
                if method == "POST" and self.path.endswith("/applications"):
                    outer.posts.append(status)
                    if len(outer.posts) == 1:
                        status, raw = 500, b'{"error": {"code": "proxy", "message": "lost"}}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                self._forward("GET")

            def do_POST(self):
                self._forward("POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture(scope="module")
def docked(tmp_path_factory):
    """B migrated and A a copy of its fresh database, B's partner A registered with a webhook to A, A's peer
    B registered behind the failing proxy; both serving."""
    base = tmp_path_factory.mktemp("two")
    b = Instance(base / "court", SUTIAO_DOCKING_POLL_SECONDS="0.5")
    # A's scheduled feed pull stays out of the way until A comes back (then every second),
    # so that the first steps are seen to come by webhook.
    a = Instance(base / "office", SUTIAO_DOCKING_PULL_SECONDS="86400")
    b.run("migrate", "--no-input", timeout=900)
    a.copy_of(b)
    org = b.run(
        "shell",
        "-c",
        "from sutiao.institutions.models import MediationOrg as M; "
        "print(M.objects.create(name='北京知识产权法院调解中心', kind='protection_centre', "
        "region_id='110108').pk)",
    ).split()[-1]
    scopes = ["applications:write", "applications:read", "events:read"]
    out = b.run("docking", "partner", "add", PARTNER, "--scopes", *scopes)
    creds = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    hook = b.run(
        "docking", "webhook", "add", PARTNER, f"{a.url}/api/docking/v1/peers/webhook"
    ).splitlines()
    whsec = hook[-1].split(": ")[1]
    b.start()
    proxy = FailingProxy(b.url)
    a.run(
        "docking",
        "peer",
        "add",
        PEER,
        f"{proxy.url}/api/docking/v1",
        "--client-id",
        creds["client_id"],
        "--client-secret",
        creds["client_secret"],
        "--webhook-secret",
        whsec,
    )
    a.start()
    yield a, b, proxy, int(org)
    a.stop()
    b.stop()
    proxy.server.shutdown()


def _send(a: Instance, org: int, key: str) -> dict:
    body = {
        "reference": "GD-IP-2026-0001",
        "title": "专利侵权纠纷",
        "org_id": org,
        "applicant": {"name": "甲公司", "kind": "legal"},
        "respondents": [{"name": "乙公司", "kind": "legal"}],
    }
    path = a.dir / "application.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return json.loads(a.run("docking", "peer", "send", PEER, str(path), "--key", key))


def _b_events(b: Instance, case: int) -> list[tuple[str, int, str]]:
    rows = b.sql(
        "SELECT event_id, sequence, type FROM docking_caseevent WHERE case_id = ? "
        "ORDER BY sequence",
        case,
    )
    return [(str(uuid.UUID(e)), s, t) for e, s, t in rows]


def _a_events(a: Instance) -> list[tuple[str, int, str]]:
    rows = a.sql("SELECT event_id, sequence, type FROM docking_receivedevent ORDER BY sequence")
    return [(str(uuid.UUID(e)), s, t) for e, s, t in rows]


END_DELIVERY = (
    "SELECT d.state, d.attempts, d.next_at > strftime('%Y-%m-%d %H:%M:%f', 'now'), "
    "d.last_error FROM docking_webhookdelivery d JOIN docking_caseevent e "
    "ON e.id = d.event_id WHERE e.type = 'cn.sutiao.end'"
)


def _court_side(b: Instance, step: str, case: int) -> str:
    code = f"from tests.docking import court_side; print(court_side.{step}({case}))"
    return b.run("shell", "-c", code).split()[-1]


def test_an_application_from_a_is_one_case_in_b_and_its_events_reach_a_once(docked):
    a, b, proxy, org = docked
    first = _send(a, org, "sipo-gd-1")  # B acts, the proxy loses its answer, A retries
    again = _send(a, org, "sipo-gd-1")  # A sends it again under the same key
    assert proxy.posts == [202, 202, 202]  # B answered each: the first, then two replays
    assert first["status"] == again["status"] == 202 and first["body"] == again["body"]
    case = first["body"]["case"]
    assert b.sql("SELECT count(*) FROM cases_case") == [(1,)]
    assert b.sql("SELECT count(*) FROM docking_submission") == [(1,)]
    assert a.sql("SELECT reference, remote_case FROM docking_sentapplication") == [
        ("GD-IP-2026-0001", case)
    ]

    # B's acceptance reaches A by webhook.
    assert _court_side(b, "accept", case) == "mediating"
    a.wait_for(
        "SELECT remote_state FROM docking_sentapplication", until=lambda r: r == [("mediating",)]
    )
    a.wait_for(
        "SELECT via FROM docking_receivedevent WHERE type = 'cn.sutiao.accept'",
        until=lambda r: r == [("webhook",)],
    )

    # A goes down; B records the outcome and its worker keeps retrying the webhook.
    a.stop()
    assert _court_side(b, "end", case) == "failed"
    (first,) = b.wait_for(END_DELIVERY, until=lambda r: r and r[0][1] >= 1)
    assert first[0] == "pending" and first[2] == 1 and first[3], first
    # Its next attempt comes on schedule (30 s ± 20 %), fails again, and the next is later.
    (again,) = b.wait_for(END_DELIVERY, until=lambda r: r[0][1] >= 2, timeout=180)
    assert again[0] == "pending" and again[2] == 1 and again[3], again

    # A comes back on the same database; its scheduled pull reads B's feed from its cursor.
    a.env["SUTIAO_DOCKING_PULL_SECONDS"] = "1"
    a.start()
    expected = _b_events(b, case)
    a.wait_for(
        "SELECT event_id FROM docking_receivedevent", until=lambda r: len(r) >= len(expected)
    )
    assert a.sql("SELECT remote_state FROM docking_sentapplication") == [("failed",)]

    # B's retry comes later (its schedule, moved on): A answers 2xx and keeps nothing twice.
    b.run(
        "shell",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; "
        "from sutiao.docking import engine; "
        "print(dict(engine.deliver_due(now=timezone.now() + timedelta(hours=1))))",
    )
    assert b.sql(END_DELIVERY)[0][0] == "delivered"
    assert _a_events(a) == expected  # every event of B, each once, in order
    assert [s for _e, s, _t in expected] == list(range(1, len(expected) + 1))
    (via,) = a.sql("SELECT via FROM docking_receivedevent WHERE type = 'cn.sutiao.end'")
    assert via in {("feed",), ("webhook",)}  # whichever came first; never both
