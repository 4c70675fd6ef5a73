"""A coturn of the test's own (Debian's `coturn`, `turnserver`): on 127.0.0.1 only, the
shared-secret REST scheme the platform's meetings/turn.py implements (`use-auth-secret`,
`static-auth-secret`), relaying between loopback peers (`allow-loopback-peers`, relay ports in
a narrow range), UDP and TCP without TLS, no CLI, no database of its own beyond a file in the
test's folder. Its log says what it allocated and what it refused (401)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Turn:
    url: str  # turn:127.0.0.1:PORT?transport=udp
    secret: str
    log: Path

    def log_text(self) -> str:
        return "".join(
            p.read_text(errors="replace") for p in sorted(self.log.parent.glob("turn*.log"))
        )


def free_udp_port(ip: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind((ip, 0))
        port = udp.getsockname()[1]
    with socket.socket() as tcp:  # coturn listens on both
        tcp.bind((ip, port))
    return port


def _listening(ip: str, port: int) -> bool:
    try:
        with socket.create_connection((ip, port), timeout=0.5):
            return True
    except OSError:
        return False


@contextmanager
def turn_server(folder: Path, secret: str, ip: str = "127.0.0.1") -> Iterator[Turn]:
    if not shutil.which("turnserver"):
        raise RuntimeError("apt-get install -y coturn (scripts/test does it)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_udp_port(ip)
    low = 49152 + (port % 400) * 20  # a narrow relay range of its own
    log = folder / "turn.log"
    args = [
        "turnserver",
        "-n",  # no configuration file: only these options
        f"--listening-ip={ip}",
        f"--relay-ip={ip}",
        f"--listening-port={port}",
        f"--min-port={low}",
        f"--max-port={low + 19}",
        "--use-auth-secret",
        f"--static-auth-secret={secret}",
        "--realm=sutiao.test",
        "--allow-loopback-peers",
        "--no-cli",
        "--no-tls",
        "--no-dtls",
        "--no-multicast-peers",
        "--fingerprint",
        f"--userdb={folder / 'turndb'}",
        f"--pidfile={folder / 'turnserver.pid'}",
        f"--log-file={log}",
        "--simple-log",
        "--verbose",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    found = Turn(url=f"turn:{ip}:{port}?transport=udp", secret=secret, log=log)
    try:
        deadline = time.monotonic() + 15
        while not _listening(ip, port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("coturn did not start:\n" + found.log_text()[-3000:])
            time.sleep(0.05)
        yield found
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
