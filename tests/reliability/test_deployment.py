"""The documented multi-server layout on loopback, with real parts (issue 14, item 4):
nginx (Debian) in front of two gunicorn app servers for pages and API and one `sutiao serve`
(uvicorn) for /ws/, two Celery workers (Redis broker, one of them with beat), PostgreSQL, the Redis
channel layer. Shown:

- a session made through one app server works on the other (nginx names the upstream of
  each answer in a header, so the test sees both serve the same signed-in person);
- a live event raised by an app server (log out everywhere) and one raised by a Celery
  worker (a served document lands in the inbox) reach a page connected to the ASGI server;
- an app server killed (SIGKILL) during a write load through nginx loses no acknowledged
  write: every 201 the clients were given is a row in the database afterwards.

PostgreSQL pass only (tests/reliability/conftest.py): the servers share this test's database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import settings

from sutiao.accounts.actions import issue_api_token
from sutiao.cases import actions as case_actions
from sutiao.cases.models import Message
from sutiao.delivery import actions as delivery_actions
from tests.delivery.conftest import build_case, free_port
from tests.delivery.test_worker_killed_after_accept import _database_url
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_DB = 11  # the broker and the channel layer of this test only (a db of the local Redis)


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _wait_http(url: str, seconds: float = 240) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(url, timeout=10)
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


NGINX_CONF = """
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  upstream app {{ server 127.0.0.1:{app1} max_fails=1 fail_timeout=30s;
                 server 127.0.0.1:{app2} max_fails=1 fail_timeout=30s; }}
  upstream live {{ server 127.0.0.1:{asgi}; }}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 20m;
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $remote_addr;
    location /ws/ {{
      proxy_pass http://live; proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 300s;
    }}
    location / {{
      proxy_pass http://app;
      # A server that refuses the connection is skipped; a request already sent is never
      # sent twice (nginx does not retry non-idempotent methods by default).
      proxy_next_upstream error timeout;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""


class Deployment:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.stack = ExitStack()
        self.procs: dict[str, subprocess.Popen] = {}
        self.ports = {k: free_port() for k in ("port", "app1", "app2", "asgi")}
        self.url = f"http://127.0.0.1:{self.ports['port']}"
        redis = f"redis://127.0.0.1:6379/{REDIS_DB}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SUTIAO_")}
        self.env.update(
            SUTIAO_TESTING="1",
            SUTIAO_DATABASE_URL=_database_url(),
            SUTIAO_DATA_DIR=str(root / "data"),
            SUTIAO_SECRET_KEY=settings.SECRET_KEY,
            SUTIAO_FIELD_KEY=settings.FIELD_ENCRYPTION_KEY,
            SUTIAO_MASTER_KEY=settings.MASTER_KEY,
            SUTIAO_SITE_URL=self.url,
            SUTIAO_BROKER_URL=redis,
            SUTIAO_CHANNEL_LAYER=redis,
            SUTIAO_CACHE_URL=redis,
            SUTIAO_LOG_LEVEL="WARNING",
            PYTHONPATH=os.pathsep.join(sys.path),
        )

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - closed with the stack
        self.stack.callback(log.close)
        proc = subprocess.Popen(
            args,
            env=self.env,
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def app_server(self, name: str) -> None:
        port = self.ports[name]
        # Two servers on one machine: no shared control socket in ~/.gunicorn (gunicorn 25+).
        control = ["--no-control-socket"]
        self.start(
            name, [_bin("gunicorn"), "sutiao.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", *control]
        )

    def up(self) -> None:
        (self.root / "data").mkdir()
        (self.root / "nginx.conf").write_text(NGINX_CONF.format(dir=self.root, **self.ports))
        self.app_server("app1")
        self.app_server("app2")
        # As docs/deployment.md says: `sutiao serve --no-scheduler` for /ws/ (uvicorn).
        asgi = ["serve", "--host", "127.0.0.1", "--port", str(self.ports["asgi"]), "--no-scheduler"]
        self.start("asgi", [_bin("sutiao"), *asgi])
        celery = [_bin("celery"), "-A", "sutiao.delivery.tasks", "worker", "-c", "1", "-l", "info"]
        self.start("worker1", [*celery, "-n", "w1@%h", "--beat", "-s", str(self.root / "beat")])
        self.start("worker2", [*celery, "-n", "w2@%h"])
        self.start("nginx", [NGINX, "-p", str(self.root), "-c", str(self.root / "nginx.conf")])
        for key in ("app1", "app2", "asgi", "port"):
            _wait_http(f"http://127.0.0.1:{self.ports[key]}/accounts/login/")

    def kill(self, name: str) -> None:
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait(10)

    def down(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.stack.close()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
            for p in sorted(self.root.glob("*.log"))
        )


@pytest.fixture
def deployment(tmp_path):
    for tool in ("gunicorn", "sutiao", "celery"):
        assert Path(_bin(tool)).exists(), f"{tool} is not installed in the test environment"
    assert Path(NGINX).exists(), "nginx is not installed (scripts/test installs it)"
    subprocess.run(["redis-cli", "-n", str(REDIS_DB), "flushdb"], check=True, capture_output=True)
    d = Deployment(tmp_path)
    try:
        d.up()
    except BaseException:
        print(d.logs())
        d.down()
        raise
    yield d
    d.down()


class Browser:
    """A person's HTTP client through nginx: cookies, CSRF as a browser sends it."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        answer = self.opener.open(self.base + path, timeout=30)
        return answer, answer.read().decode()

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def log_in(self, username: str) -> None:
        _answer, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=data)
        request.add_header("Referer", self.base + "/accounts/login/")
        self.opener.open(request, timeout=30).read()

    def post(self, path: str, form: dict[str, str]) -> int:
        data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.cookie("csrftoken")})
        request = urllib.request.Request(self.base + path, data=data.encode())
        request.add_header("Referer", self.base + path)
        return self.opener.open(request, timeout=30).status


def _live_socket(d: Deployment, browser: Browser):
    from websockets.sync.client import connect

    return connect(
        d.url.replace("http", "ws") + "/ws/live/",
        additional_headers={
            "Cookie": f"sessionid={browser.cookie('sessionid')}",
            "Origin": d.url,
        },
        open_timeout=30,
    )


def _receive_until(socket, wanted, seconds: float):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            event = json.loads(socket.recv(timeout=max(0.1, end - time.monotonic())))
        except TimeoutError:
            break
        if wanted(event):
            return event
    raise AssertionError("the live event did not arrive")


def test_sessions_live_events_and_a_killed_app_server(deployment):
    try:
        _walk(deployment)
    except BaseException:
        print(deployment.logs())  # the servers' own account of what went wrong
        raise


def _walk(d: Deployment) -> None:
    started = time.monotonic()
    s = build_case()
    party = s.respondent_user
    mediator = s.case.mediator.user
    case = case_actions.accept(actor=mediator, case=s.case)

    # One session, served by both app servers.
    browser = Browser(d.url)
    browser.log_in(party.username)
    seen: dict[str, int] = {}
    for _ in range(12):
        answer, page = browser.get("/")
        assert answer.status == 200 and party.real_name in page
        seen[answer.headers["X-Upstream"]] = seen.get(answer.headers["X-Upstream"], 0) + 1
    assert set(seen) == {f"127.0.0.1:{d.ports['app1']}", f"127.0.0.1:{d.ports['app2']}"}, seen

    # A Celery worker delivers a served document to the inbox: the page hears of it.
    with _live_socket(d, browser) as socket:
        assert json.loads(socket.recv(timeout=30))["type"] == "hello"
        delivery_actions.serve_document(
            actor=s.judge,
            case=case,
            document=s.ruling,
            title="民事裁定书",
            kind="ruling",
            recipients=[s.respondent],
        )
        event = _receive_until(socket, lambda e: e.get("type") == "inbox", 60)
        assert event["unread"] >= 1
        # An app server ends the person's sessions: the socket on the ASGI server closes.
        other = Browser(d.url)
        other.log_in(party.username)
        assert other.post("/accounts/logout/everywhere/", {}) == 200
        from websockets.exceptions import ConnectionClosed

        ended = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            _receive_until(socket, lambda e: False, 60)
        assert time.monotonic() - ended < 60
        # The consumer closes with 4401; through nginx the frame may be cut short, but the
        # socket is gone either way.
        assert closed.value.rcvd is None or closed.value.rcvd.code == 4401

    # Writes through nginx while app1 is killed: every acknowledged write is kept.
    _token, raw = issue_api_token(actor=mediator, name="load")
    acked: list[tuple[int, str]] = []
    failed: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def client(n: int) -> None:
        i = 0
        while not stop.is_set():
            body = f"写入{n}-{i}"
            request = urllib.request.Request(
                f"{d.url}/api/v1/cases/{case.pk}/messages",
                data=json.dumps({"body": body}).encode(),
                headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    if answer.status == 201:
                        with lock:
                            acked.append((json.loads(answer.read())["id"], body))
            except (urllib.error.HTTPError, OSError) as error:
                with lock:
                    failed.append(str(error))
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    before = len(acked)
    d.kill("app1")
    time.sleep(4)
    stop.set()
    for t in threads:
        t.join(60)
    after_kill = len(acked) - before
    assert before > 10 and after_kill > 10, (before, after_kill, failed[:5])
    stored = dict(Message.objects.filter(case=case).values_list("pk", "body"))
    lost = [(pk, body) for pk, body in acked if stored.get(pk) != body]
    assert not lost, lost[:5]
    print(
        f"deployment: {len(acked)} acknowledged writes ({after_kill} after the kill), "
        f"{len(failed)} refused, 0 lost; upstreams {seen}; {time.monotonic() - started:.0f} s"
    )
