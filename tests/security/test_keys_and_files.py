"""Issue 13, "the database and evidence files are world-readable; by default the field key is
the secret key stored beside the database": the embedded platform's SQLite database is created
0600 in a 0700 directory, and production refuses to start without its own index key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

OPEN_THE_DATABASE = (
    "import django; django.setup();"
    "from django.db import connection;"
    "connection.cursor().execute('CREATE TABLE probe (x integer)')"
)


def _run(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SUTIAO_")}
    clean.update(
        {"SUTIAO_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "sutiao.settings"}
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=180
    )


def test_the_embedded_database_file_is_private(tmp_path):
    before = os.umask(0o022)  # the operator's shell: what the platform must not rely on
    try:
        done = _run(tmp_path, OPEN_THE_DATABASE)
    finally:
        os.umask(before)
    assert done.returncode == 0, done.stderr
    database = tmp_path / "data" / "sutiao.sqlite3"
    assert database.exists()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700


def test_production_refuses_to_start_without_its_own_index_key(tmp_path):
    done = _run(
        tmp_path,
        "import sutiao.settings",
        SUTIAO_PRODUCTION="1",
        SUTIAO_SECRET_KEY="s" * 50,
        SUTIAO_MASTER_KEY="m" * 50,
    )
    assert done.returncode != 0
    assert "SUTIAO_FIELD_KEY is not set" in done.stderr
    assert not (tmp_path / "data" / "secret_key").exists()
