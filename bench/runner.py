"""bench/run: the platform's own paths against the machine's floors, in one run (issue 14, item 2).

Against the PostgreSQL database in SUTIAO_DATABASE_URL (filled by bench/generate, or any copy of
production data), on loopback:
1. prepares: the floor tables, and people to ask as (a clerk of the court with most cases, the
   mediator with most open cases, a party of 30 of that court's cases, an IP office's staff),
   each with a password and, for staff, an authenticator, as production has them;
2. starts the documented pages-and-API server (gunicorn `sutiao.wsgi`, sync workers, the
   PostgreSQL pool on: docs/deployment.md), with the floors mounted (SUTIAO_BENCH_FLOOR);
3. logs each person in through the real log-in and second-factor pages;
4. per run: the floors (a trivial answer, a primary-key read, a locked write) and then every
   path, each for --seconds with wrk (--connections), p50/p95/p99 and throughput from wrk's
   own histogram; each path's ratio is to the floor of its kind measured in the same run;
5. prints and writes bench/RESULTS.md: medians over --runs, data size, versions, date, load,
   the workers' resident memory after the run.
Usage: SUTIAO_DATABASE_URL=postgres://… bench/run [--runs 3] [--seconds 10] [--connections 8]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import lifecycle_writes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
PASSWORD = "Bench-run-password-2026"  # noqa: S105 # nosec B105 - the bench's own people
# wrk prints the percentiles its histogram holds, in microseconds, and the non-2xx/3xx count.
WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.requests, summary.duration,
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Path_:
    label: str
    url: str
    who: str = ""  # whose cookie ("" = anonymous)
    floor: str = "read"  # the floor it is compared with
    cookie: str = ""
    runs: list[dict] = field(default_factory=list)


def _setup_django():
    """Production settings (no SUTIAO_TESTING): the keys come from the environment, or from the
    data directory's key files, which the data generator run with the same SUTIAO_DATA_DIR
    made (so the server opens what it encrypted)."""
    import secrets

    import django

    data = Path(os.environ.setdefault("SUTIAO_DATA_DIR", str(ROOT / "var" / "bench")))
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.pop("SUTIAO_TESTING", None)
    for name in ("SECRET_KEY", "MASTER_KEY", "AUDIT_KEY"):
        key_file = data / name.lower()
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        os.environ.setdefault(f"SUTIAO_{name}", key_file.read_text().strip())
    os.environ.setdefault("SUTIAO_FIELD_KEY", os.environ["SUTIAO_SECRET_KEY"])
    django.setup()


def prepare() -> dict:
    """The people and ids the paths need, made through the platform's own actions."""
    from django.db.models import Count

    from sutiao.accounts import actions
    from sutiao.accounts.devices import AuthenticatorDevice
    from sutiao.accounts.models import User
    from sutiao.accounts.roles import Role
    from sutiao.cases.models import Case, MediatorLoad, Party
    from sutiao.demo.data import make_id_number
    from sutiao.documents.models import Document
    from sutiao.institutions.models import IPOffice
    from sutiao.roster.models import Mediator
    from sutiao.web import bench_floor

    bench_floor.create_tables()
    court_id = (
        Case.objects.filter(court__isnull=False)
        .values("court_id")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["court_id"]
    )
    busiest = MediatorLoad.objects.order_by("-open_cases").first()
    mediator = Mediator.objects.get(pk=busiest.mediator_id) if busiest else Mediator.objects.first()
    office = IPOffice.objects.filter(level=IPOffice.Level.PROVINCIAL).order_by("pk").first()

    def person(username: str, n: int, role: str | None = None, **institution) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = actions.register_person(
                actor=None,
                username=username,
                password=PASSWORD,
                real_name=f"压测{n}号",
                id_number=make_id_number("110108", f"1985010{n}", 900 + n),
                phone=f"1370000{n:04d}",
            )
            if role:
                actions.add_membership(actor=None, user=user, role=role, **institution)
        if (
            user.needs_second_factor
            and not AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()
        ):
            AuthenticatorDevice.objects.create(user=user, name="bench", confirmed=True)
        return user

    from sutiao.institutions.models import Court

    clerk = person("bench-clerk", 1, Role.COURT_CLERK, court=Court.objects.get(pk=court_id))
    staff = person("bench-ipoffice", 2, Role.IP_OFFICE_STAFF, ip_office=office)
    party = person("bench-party", 3)
    mine = list(
        Party.objects.filter(case__court_id=court_id)
        .order_by("-case_id")[:30]
        .values_list("pk", flat=True)
    )
    Party.objects.filter(pk__in=mine).update(user=party)
    people = {"clerk": clerk, "ipoffice": staff, "party": party}
    if mediator is not None:
        if mediator.user_id is None:
            mediator.user = person("bench-mediator", 4, Role.MEDIATOR, org=mediator.orgs.first())
            mediator.save(update_fields=["user"])
        people["mediator"] = mediator.user
    case = Case.objects.filter(court_id=court_id).order_by("-pk").first()
    # A code a person could type (generated documents may carry codes that fail the check).
    from sutiao.documents import codes

    recent = Document.objects.order_by("-pk").values_list("verify_code", flat=True)[:200]
    code = next((c for c in recent if codes.normalise(c) == c), None)
    return {
        "people": people,
        "court": court_id,
        "case": case.pk,
        "office": office.pk if office else None,
        "code": code,
        "size": _size(),
    }


def _size() -> dict:
    from sutiao.cases.models import Case
    from sutiao.roster.models import Mediator

    return {"cases": Case.objects.count(), "mediators": Mediator.objects.count()}


def _code(user) -> str:
    """The code the person's authenticator shows now (the next step if this one was used)."""
    from django_otp.oath import TOTP

    from sutiao.accounts.devices import AuthenticatorDevice

    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    step = max(int((time.time() - device.t0) // device.step), device.last_t + 1)
    while int((time.time() - device.t0) // device.step) + 1 < step:
        time.sleep(1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(base: str, user) -> str:
    """Log in through the pages a person uses; the Cookie header of that session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path: str, fields: dict) -> str:
        page = opener.open(base + path).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        asked = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})
        with opener.open(asked) as answer:  # noqa: S310 # nosec B310 - loopback
            return answer.geturl()

    landed = post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    if "/accounts/second-factor/" in landed:
        landed = post("/accounts/second-factor/", {"token": _code(user)})
    if "/accounts/" in landed:
        raise SystemExit(f"{user.username} could not log in (landed on {landed})")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def paths(ids: dict, base: str) -> list[Path_]:
    """Every path measured: the floors first, then the platform's own."""
    found = [
        Path_("floor: trivial answer", "/bench/floor/trivial", floor="trivial"),
        Path_("floor: primary-key read", "/bench/floor/read", floor="read"),
        Path_("floor: locked write", "/bench/floor/write", floor="write"),
        Path_("case page (clerk)", f"/cases/{ids['case']}/", "clerk"),
        Path_("clerk's queue", "/cases/queue/", "clerk"),
        Path_("clerk's queue, search", "/cases/queue/?q=2026", "clerk"),
        Path_("party's cases", "/cases/mine/", "party"),
        Path_("mediator's cases", "/cases/assigned/", "mediator"),
        Path_("public roster", "/roster/"),
        Path_("public roster, search", "/roster/?q=%E5%BC%A0"),
        Path_("a court's roster", f"/roster/courts/{ids['court']}/"),
        Path_("IP office's roster page", "/roster/manage/", "ipoffice"),
        Path_("API: cases", "/api/v1/cases", "clerk"),
        Path_("API: roster of mediators", "/api/v1/roster/mediators"),
        Path_("national figures", "/figures/", "ipoffice"),
    ]
    if ids["code"]:
        found.append(Path_("document verification", f"/documents/verify/{ids['code']}/"))
    for deep in [p for p in found if p.label in {"clerk's queue", "public roster"}]:
        url = _deep(base, deep.url, ids["cookies"].get(deep.who, ""))
        if url:
            found.append(Path_(deep.label + ", deep page", url, deep.who))
    return [p for p in found if not p.who or p.who in ids["cookies"]]


def _deep(base: str, url: str, cookie: str, pages: int = 5) -> str | None:
    """The list's page after following "next" `pages` times (cursor or page number)."""
    for _ in range(pages):
        asked = urllib.request.Request(base + url, headers={"Cookie": cookie})
        with urllib.request.urlopen(asked) as answer:  # noqa: S310 # nosec B310 - loopback
            page = answer.read().decode()
        nexts = re.findall(r'href="(\?[^"]*(?:cursor|page)=[^"]+)"[^>]*rel="next"', page) or [
            m for m in re.findall(r'href="(\?[^"]*(?:cursor|page)=[^"]+)"', page)
        ]
        if not nexts:
            return None
        url = url.split("?")[0] + nexts[-1].replace("&amp;", "&")
    return url


def wrk(base: str, path: Path_, seconds: int, connections: int, lua: str) -> dict:
    headers = ["-H", f"Cookie: {path.cookie}"] if path.cookie else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", lua, *headers, base + path.url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    p50, p95, p99, requests, duration, errors = map(int, out.split("BENCH ")[1].split())
    return {
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "rps": requests / (duration / 1e6),
        "errors": errors,
        "requests": requests,
    }


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "SUTIAO_BENCH_FLOOR": "1", "SUTIAO_DB_POOL": "1"}
    env["PYTHONPATH"] = str(ROOT / "src")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "sutiao.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310 # nosec B310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz in 20 s")


def rss_mb(server: subprocess.Popen) -> list[float]:
    """Resident memory of each worker (the master's children)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8811)
    parser.add_argument("--only", default="", help="measure only the paths whose label has this")
    parser.add_argument("--write", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    if not os.environ.get("SUTIAO_DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("bench/run measures PostgreSQL: set SUTIAO_DATABASE_URL")
    _setup_django()
    ids = prepare()
    writes, warming = lifecycle_writes.pools(args.runs, warm=args.workers * 2)
    writes = [w for w in writes if args.only in w.label or not args.only]
    server = start_server(args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        ids["cookies"] = {who: log_in(base, user) for who, user in ids["people"].items()}
        measured = paths(ids, base)
        for p in measured:
            p.cookie = ids["cookies"].get(p.who, "")
        if args.only:
            measured = [p for p in measured if p.label.startswith("floor") or args.only in p.label]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(WRK_LUA)
        for p in measured:  # each worker's first answer loads templates and catalogs
            for _ in range(args.workers * 2):
                asked = urllib.request.Request(base + p.url, headers={"Cookie": p.cookie})
                urllib.request.urlopen(asked, timeout=60).read()  # noqa: S310 # nosec B310
        lifecycle_writes.warm_up(base, warming)
        loads = [os.getloadavg()[0]]
        for run in range(args.runs):
            for p in measured:
                p.runs.append(wrk(base, p, args.seconds, args.connections, lua.name))
                print(f"run {run + 1}: {p.label}: {json.dumps(p.runs[-1])}", flush=True)
            for w in writes:  # after the reads: they change the cases' states
                w.runs.append(
                    lifecycle_writes.measure(base, w.per_run[run], args.seconds, args.connections)
                )
                print(f"run {run + 1}: {w.label}: {json.dumps(w.runs[-1])}", flush=True)
            loads.append(os.getloadavg()[0])
        rss = rss_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = results([*measured, *writes], ids, args, loads, rss)
    print(report)
    Path(args.write).write_text(report)


def results(measured: list, ids: dict, args, loads: list[float], rss: list[float]) -> str:
    import django
    from django.db import connection

    floors = {p.floor: p for p in measured if p.label.startswith("floor")}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    lines = [
        "# bench/run results",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {ids['size']['cases']:,} cases, "
        f"{ids['size']['mediators']:,} mediators · Python {platform.python_version()}, Django "
        f"{django.get_version()}, PostgreSQL {pg}, gunicorn sync × {args.workers} (pool on) · "
        f"wrk 2 threads × {args.connections} connections × {args.seconds} s per path, "
        f"{args.runs} runs (medians below) · load average {min(loads):.1f}–{max(loads):.1f} "
        f"on {os.cpu_count()} cores",
        "",
        "| path | p50 ms | p95 ms | p99 ms | req/s | share of its floor | non-2xx |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in measured:
        floor = floors[p.floor]
        shares = [r["rps"] / f["rps"] for r, f in zip(p.runs, floor.runs, strict=True)]

        def med(key: str, p=p) -> float:
            return statistics.median(r[key] for r in p.runs)

        share = (
            "—" if p.label.startswith("floor") else f"{statistics.median(shares):.0%} of {p.floor}"
        )
        lines.append(
            f"| {p.label} | {med('p50'):.1f} | {med('p95'):.1f} | {med('p99'):.1f} | "
            f"{med('rps'):.0f} | {share} | {sum(r['errors'] for r in p.runs)} |"
        )
    writes = [p for p in measured if isinstance(p, lifecycle_writes.Write)]
    if writes:
        pools = ", ".join(f"{w.step} {w.runs[0]['pool']:,}" for w in writes)
        lines += [
            "",
            "Lifecycle writes: POST through the API with each case's own mediator's token, every "
            f"request a different case; cases per run (wrk stops when they are used up): {pools}.",
        ]
    lines += [
        "",
        f"Worker resident memory after the run: {', '.join(f'{m:.0f} MB' for m in rss)}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
