"""PostgreSQL restarted under a write load → 0 lost acknowledged writes.

A throw-away cluster of our own (cluster.py) gets this test database's schema and reference
data (pg_dump), and a writer process (writer.py) posts messages through the real action. In
the middle of the load the cluster is stopped as by a crash (`pg_ctl restart -m immediate`:
no checkpoint, the WAL is replayed at the start). The writer waits and goes on. Afterwards
every message the writer was told was committed is in the database, and the audit chain of
all of them verifies (`sutiao audit verify`)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from .cluster import BIN, Cluster

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = 200
RESTART_AFTER = 60
ROOT = Path(__file__).resolve().parents[2]


def _copy_schema_and_reference_data(cluster: Cluster) -> None:
    db = connection.settings_dict
    dump = subprocess.run(
        [
            str(BIN / "pg_dump"),
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"],
            "--no-owner",
            "--no-privileges",
            db["NAME"],
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PGPASSWORD": db["PASSWORD"] or ""},
    )
    subprocess.run(
        [
            str(BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "sutiao",
        ],
        input=dump.stdout,
        check=True,
        capture_output=True,
    )


def _environment(cluster: Cluster, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUTIAO_")}
    env.update(
        SUTIAO_TESTING="1",
        SUTIAO_DATABASE_URL=cluster.url,
        SUTIAO_DATA_DIR=str(tmp_path),
        SUTIAO_SECRET_KEY=settings.SECRET_KEY,
        SUTIAO_MASTER_KEY=settings.MASTER_KEY,
        SUTIAO_FIELD_KEY=settings.FIELD_ENCRYPTION_KEY,
        SUTIAO_AUDIT_KEY=settings.AUDIT_KEY,
        SUTIAO_AUDIT_CHECKPOINT_DIR=str(tmp_path / "checkpoints"),
        SUTIAO_LOG_LEVEL="ERROR",
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'src'}",
    )
    return env


def test_no_acknowledged_write_is_lost_when_postgresql_restarts(tmp_path):
    cluster = Cluster()
    try:
        cluster.start()
        cluster.createdb()
        _copy_schema_and_reference_data(cluster)
        env = _environment(cluster, tmp_path)
        writer = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.writer", str(WRITES)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        acknowledged, retries, restarted = [], 0, threading.Event()
        assert writer.stdout is not None
        for line in writer.stdout:
            word, _, rest = line.strip().partition(" ")
            if word == "ack":
                acknowledged.append(int(rest))
                if len(acknowledged) == RESTART_AFTER:
                    cluster.restart()  # the writer is in the middle of its load
                    restarted.set()
            elif word == "retry":
                retries += 1
        assert writer.wait(timeout=600) == 0, writer.stderr.read() if writer.stderr else ""
        assert restarted.is_set() and len(acknowledged) == WRITES

        with psycopg.connect(
            f"host=127.0.0.1 port={cluster.port} user=postgres dbname=sutiao"
        ) as db:
            stored = {row[0] for row in db.execute("SELECT id FROM cases_message")}
        lost = sorted(set(acknowledged) - stored)
        assert lost == [], f"{len(lost)} acknowledged writes lost"
        assert retries >= 1, "the restart never reached the writer: the test proved nothing"
        verified = subprocess.run(
            [str(Path(sys.executable).with_name("sutiao")), "audit", "verify"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        cluster.destroy()
