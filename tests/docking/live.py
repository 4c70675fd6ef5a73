"""A live Sutiao instance for the docking tests: its own directory and SQLite database, a
real `sutiao serve` process on loopback; its database is read directly (sqlite3) so a test
can watch it without another process."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _sutiao_command() -> list[str]:
    script = Path(sys.executable).with_name("sutiao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sutiao.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, where: Path, **env: str):
        where.mkdir(parents=True, exist_ok=True)
        self.dir, self.port, self.server = where, _free_port(), None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SUTIAO_", "DJANGO_"))}
        self.env.update(
            SUTIAO_DATA_DIR=str(where),
            SUTIAO_DATABASE_URL=f"sqlite:///{where}/db.sqlite3",
            # This checkout's code (not whatever the venv's editable install points at), and
            # the tests, so the court side's script (tests.docking.court_side) imports.
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            **env,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def run(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [*_sutiao_command(), *args],
            cwd=self.dir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def copy_of(self, other: Instance) -> None:
        """This instance starts from a copy of `other`'s freshly migrated database (one
        migration, not two, on a loaded machine); from then on each has its own."""
        src = sqlite3.connect(other.dir / "db.sqlite3")
        dst = sqlite3.connect(self.dir / "db.sqlite3")
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        for key in ("master_key", "audit_key"):  # what the migrated rows may be keyed with
            if (other.dir / key).exists():
                shutil.copy2(other.dir / key, self.dir / key)

    def start(self) -> None:
        log = (self.dir / "serve.log").open("a+")
        self.server = subprocess.Popen(
            [*_sutiao_command(), "serve", "--port", str(self.port)],
            cwd=self.dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                assert self.server.poll() is None, (self.dir / "serve.log").read_text()
                assert time.monotonic() < deadline, "the instance did not come up"
                time.sleep(0.3)

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=20)
        self.server = None

    def sql(self, query: str, *params) -> list[tuple]:
        db = sqlite3.connect(f"file:{self.dir}/db.sqlite3?mode=ro", uri=True, timeout=30)
        try:
            return db.execute(query, params).fetchall()
        finally:
            db.close()

    def wait_for(self, query: str, *params, until, timeout: float = 90) -> list[tuple]:
        deadline = time.monotonic() + timeout
        while True:
            rows = self.sql(query, *params)
            if until(rows):
                return rows
            assert time.monotonic() < deadline, f"{query}: {rows}"
            time.sleep(0.3)
