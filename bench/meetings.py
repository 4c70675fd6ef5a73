"""Signalling under load: 200 concurrent WebSockets in 100 rooms on one server process.

    .venv/bin/python bench/meetings.py [--rooms 100] [--rounds 20] [--interval 0.05]

Builds one case with 100 sessions scheduled for now (through the real actions: propose, the
three answers, the mediator's identity check of both parties), migrating a fresh SQLite file in
a temporary data directory (or the scratch database in SUTIAO_DATABASE_URL). Starts the ASGI
application as `sutiao serve` does (uvicorn, one process, the in-memory channel layer), opens
both parties' sockets in every room (admission, attendance written), then each socket sends
`--rounds` signalling messages to the other party of its room, one every `--interval` s
(±50 % jitter; 0.05 s offers 200 × 20 = 4,000 messages/s, more than one process relays);
the time from send to the peer's receipt is the relay time (both ends in this process).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
os.environ.setdefault("SUTIAO_TESTING", "1")
os.environ.setdefault("SUTIAO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
if not os.environ.get("SUTIAO_DATABASE_URL"):
    os.environ["SUTIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="sutiao-bench-")

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from sutiao.meetings import actions  # noqa: E402
from tests import factories  # noqa: E402
from tests.delivery.conftest import build_case, free_port  # noqa: E402


def build(rooms: int):
    """One session through the real actions (propose, three answers, the identity checks); the
    other rooms are copies of its rows (scheduling serves a formal notice with a PDF per party,
    minutes of work for 100 rooms, and is not what this bench measures)."""
    from sutiao.meetings.models import DayCheck, MeetingSession, Participant

    s = build_case()
    mediator = s.case.mediator.user
    start = timezone.now() + dt.timedelta(minutes=10)
    first = actions.propose(
        actor=mediator, case=s.case, title="bench", times=[(start, start + dt.timedelta(hours=2))]
    )
    time_id = first.times.get().pk
    for user in (mediator, s.applicant_user, s.respondent_user):
        first = actions.answer(actor=user, session=first, time_id=time_id)
    for p in first.participants.exclude(user=mediator):
        actions.confirm_identity(actor=mediator, participant=p)
    cookies = {
        u.pk: f"{settings.SESSION_COOKIE_NAME}="
        + factories.client_for(u).cookies[settings.SESSION_COOKIE_NAME].value
        for u in (s.applicant_user, s.respondent_user)
    }
    sessions = [first]
    for i in range(1, rooms):
        copy = MeetingSession.objects.create(
            case=s.case, title=f"bench {i}", state=first.state, start=first.start, end=first.end
        )
        for p in first.participants.all():
            q = Participant.objects.create(
                session=copy, user=p.user, party=p.party, role=p.role, response=p.response
            )
            for c in p.checks.all():
                DayCheck.objects.create(participant=q, day=c.day, method=c.method, by=c.by, at=c.at)
        sessions.append(copy)
    sockets = []  # (session id, cookie, my participant id, peer participant id)
    for session in sessions:
        a = session.participants.get(user=s.applicant_user)
        b = session.participants.get(user=s.respondent_user)
        sockets.append((session.pk, cookies[a.user_id], a.pk, b.pk))
        sockets.append((session.pk, cookies[b.user_id], b.pk, a.pk))
    return sockets


async def client(url, spec, rounds, ready, go, latencies, joins, interval):
    try:
        await _client(url, spec, rounds, ready, go, latencies, joins, interval)
    except Exception as exc:
        ready.release()  # the run stops with this error instead of waiting for the welcome
        raise RuntimeError(f"socket {spec[:1]} {spec[2:]}: {exc!r}") from exc


async def _client(url, spec, rounds, ready, go, latencies, joins, interval):
    session_id, cookie, me, peer = spec
    headers = {"Cookie": cookie, "Origin": "http://127.0.0.1"}
    t0 = time.perf_counter()
    async with websockets.connect(
        f"{url}/ws/meetings/{session_id}/",
        additional_headers=headers,
        max_queue=None,
        open_timeout=180,
        ping_interval=None,  # on a loaded machine the keepalive, not the relay, timed out
    ) as ws:
        while True:
            msg = json.loads(await ws.recv())
            if msg["type"] == "welcome":
                break
        joins.append(time.perf_counter() - t0)
        ready.release()
        await go.wait()
        received = 0

        async def receive():
            nonlocal received
            while received < rounds:
                msg = json.loads(await ws.recv())
                if msg.get("type") == "signal" and msg["from"] == peer:
                    latencies.append(time.perf_counter() - msg["data"]["t"])
                    received += 1

        receiving = asyncio.create_task(receive())
        for _ in range(rounds):
            await asyncio.sleep(random.uniform(interval / 2, interval * 3 / 2))
            await ws.send(
                json.dumps({"type": "signal", "to": peer, "data": {"t": time.perf_counter()}})
            )
        await asyncio.wait_for(receiving, timeout=120)


async def run(url, sockets, rounds, interval):
    ready, go = asyncio.Semaphore(0), asyncio.Event()
    latencies: list[float] = []
    joins: list[float] = []
    tasks = []
    t0 = time.perf_counter()
    for spec in sockets:  # joins write attendance: 20 at a time, as a crowd arrives
        tasks.append(
            asyncio.create_task(client(url, spec, rounds, ready, go, latencies, joins, interval))
        )
        if len(tasks) % 20 == 0:
            await asyncio.sleep(0.2)
    for _ in sockets:
        await ready.acquire()
    failed = [t for t in tasks if t.done() and t.exception()]
    if failed:
        raise failed[0].exception()
    all_in = time.perf_counter() - t0
    t1 = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    return latencies, joins, all_in, time.perf_counter() - t1


def pct(values, q):
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.05)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    sockets = build(args.rooms)
    print(f"built {args.rooms} sessions in {time.perf_counter() - t:.1f} s")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "sutiao.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--lifespan",
            "off",
        ],
        # This checkout's code, not whichever sutiao the virtualenv has installed.
        env=os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "no server"
                time.sleep(0.1)
        latencies, joins, all_in, relay_time = asyncio.run(
            run(f"ws://127.0.0.1:{port}", sockets, args.rounds, args.interval)
        )
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(
        f"{len(sockets)} sockets in {args.rooms} rooms open in {all_in:.1f} s; "
        f"join (connect → welcome) p50 {pct(joins, 50):.0f} ms, p99 {pct(joins, 99):.0f} ms"
    )
    print(
        f"{len(latencies)} messages relayed in {relay_time:.1f} s "
        f"({len(latencies) / relay_time:.0f}/s): p50 {pct(latencies, 50):.1f} ms, "
        f"p99 {pct(latencies, 99):.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )
    print(os.popen("uptime").read().strip())


if __name__ == "__main__":
    main()
