"""A Janus of the test's own: Debian's `janus` with a config written here (../shared/STACK-NOTES.md
"Janus SFU"): HTTP and WebSocket transports on one 127.0.0.x address only, no admin API, the
stock secrets replaced, only the VideoRoom plugin and the two transports loaded (the MQTT,
RabbitMQ and nanomsg transports would reach the brokers that run on these machines)."""

from __future__ import annotations

import json
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LIB = "/usr/lib/x86_64-linux-gnu/janus"


@dataclass
class Janus:
    http: str  # the Janus API over HTTP (the platform's control channel)
    ws: str  # the Janus API over WebSocket (what the browsers use)
    admin_key: str  # VideoRoom: needed to create rooms
    rec_dir: Path
    log: Path


def free_port(ip: str) -> int:
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


def write_config(folder: Path, *, ip: str, http: int, ws: int, admin_key: str, rec: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    disabled_transports = (
        "libjanus_mqtt.so,libjanus_rabbitmq.so,libjanus_nanomsg.so,libjanus_pfunix.so"
    )
    plugins = sorted(p.name for p in Path(LIB, "plugins").glob("libjanus_*.so"))
    disabled_plugins = ",".join(p for p in plugins if p != "libjanus_videoroom.so")
    (folder / "janus.jcfg").write_text(
        f"""general: {{
  configs_folder = "{folder}"
  plugins_folder = "{LIB}/plugins"
  transports_folder = "{LIB}/transports"
  events_folder = "{LIB}/events"
  loggers_folder = "{LIB}/loggers"
  debug_level = 4
  admin_secret = "{secrets.token_hex(16)}"
}}
media: {{ rtp_port_range = "20000-40000" }}
nat: {{ nice_debug = false }}
plugins: {{ disable = "{disabled_plugins}" }}
transports: {{ disable = "{disabled_transports}" }}
events: {{ broadcast = false }}
"""
    )
    (folder / "janus.transport.http.jcfg").write_text(
        f"""general: {{ json = "compact" base_path = "/janus" http = true port = {http}
  ip = "{ip}" https = false }}
admin: {{ admin_http = false admin_https = false }}
"""
    )
    (folder / "janus.transport.websockets.jcfg").write_text(
        f"""general: {{ json = "compact" ws = true ws_port = {ws} ws_ip = "{ip}" wss = false }}
admin: {{ admin_ws = false admin_wss = false }}
"""
    )
    (folder / "janus.plugin.videoroom.jcfg").write_text(
        f"""general: {{ admin_key = "{admin_key}" lock_rtp_forward = true lock_play_file = true }}
"""
    )
    rec.mkdir(parents=True, exist_ok=True)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/info", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def janus_server(folder: Path, ip: str = "127.0.0.1") -> Iterator[Janus]:
    """Start Janus with its own config in `folder`; stop it (SIGINT) at the end."""
    if not shutil.which("janus"):
        raise RuntimeError("apt-get install -y janus janus-tools ffmpeg (scripts/test does it)")
    http, ws = free_port(ip), free_port(ip)
    admin_key = secrets.token_hex(16)
    conf, log, rec = folder / "conf", folder / "janus.log", folder / "recordings"
    write_config(conf, ip=ip, http=http, ws=ws, admin_key=admin_key, rec=rec)
    proc = subprocess.Popen(
        ["janus", "-F", str(conf), "-C", str(conf / "janus.jcfg"), "-o", "-L", str(log), "-N"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    found = Janus(
        http=f"http://{ip}:{http}/janus",
        ws=f"ws://{ip}:{ws}",
        admin_key=admin_key,
        rec_dir=rec,
        log=log,
    )
    try:
        deadline = time.monotonic() + 20
        while not _answers(found.http):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Janus did not start:\n" + _tail(log))
            time.sleep(0.05)
        yield found
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def _post(url: str, body: dict) -> dict:
    body = {**body, "transaction": secrets.token_hex(6)}
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as r:
        return json.load(r)


def try_join(
    janus: Janus,
    room: int,
    token: str | None,
    feed: int | None = None,
    private_id: int | None = None,
) -> dict:
    """Join `room` as a publisher (or, with `feed`, as a subscriber to that publisher) the way
    a browser does (join request, event by long poll); the VideoRoom's answer:
    {"videoroom": "joined" | "attached", ...} or {"error_code": 433, ...}."""
    session = _post(janus.http, {"janus": "create"})["data"]["id"]
    handle = _post(
        f"{janus.http}/{session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"}
    )
    body: dict = {"request": "join", "ptype": "publisher", "room": room, "display": "probe"}
    if feed is not None:
        body = {"request": "join", "ptype": "subscriber", "room": room, "streams": [{"feed": feed}]}
    if token is not None:
        body["token"] = token
    if private_id is not None:
        body["private_id"] = private_id
    _post(f"{janus.http}/{session}/{handle['data']['id']}", {"janus": "message", "body": body})
    try:
        return _event(janus, session)
    finally:
        _post(f"{janus.http}/{session}", {"janus": "destroy"})


def _event(janus: Janus, session: int) -> dict:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{janus.http}/{session}?maxev=1", timeout=35) as r:
            event = json.load(r)
        if event.get("janus") == "event":
            return event["plugindata"]["data"]
    raise AssertionError("no answer from the VideoRoom")


@contextmanager
def joined(janus: Janus, room: int, token: str) -> Iterator[dict]:
    """A publisher that stays in `room` (no media) while the block runs: its join answer (its
    `id` and `private_id`)."""
    session = _post(janus.http, {"janus": "create"})["data"]["id"]
    handle = _post(
        f"{janus.http}/{session}", {"janus": "attach", "plugin": "janus.plugin.videoroom"}
    )["data"]["id"]
    body = {"request": "join", "ptype": "publisher", "room": room, "token": token}
    _post(f"{janus.http}/{session}/{handle}", {"janus": "message", "body": body})
    try:
        yield _event(janus, session)
    finally:
        _post(f"{janus.http}/{session}", {"janus": "destroy"})
