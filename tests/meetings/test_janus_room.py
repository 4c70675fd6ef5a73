"""Must-show: the same three-person session through the Janus backend, all media on loopback;
recording on Janus (refused without consent; with it, a playable WebM in the case file).

Re-runs janus_in_netns.py under `unshare -n` (we run as root) in a network namespace made here:
lo up and a veth pair whose one end holds 127.0.0.2/32, the only non-loopback interface Janus
and chromium can gather ICE candidates on. Inside, PostgreSQL is reached over its Unix socket.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
NETNS = (
    "set -e; ip link set lo up; ip link add v0 type veth peer name v1;"
    " ip addr add 127.0.0.2/32 dev v0; ip link set v0 up; ip link set v1 up;"
    ' exec "$@"'
)

pytestmark = pytest.mark.browser


def inner_database_url() -> str | None:
    """The same server, over its Unix socket (TCP 127.0.0.1 is another host in the namespace),
    under a name of its own so that its test database does not meet this run's."""
    url = os.environ.get("SUTIAO_DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    parts = urlsplit(url)
    user = parts.username or "postgres"
    name = (parts.path.lstrip("/") or "postgres") + "_netns"
    return urlunsplit((parts.scheme, f"{user}@%2Fvar%2Frun%2Fpostgresql", "/" + name, "", ""))


def test_janus_sessions_in_a_network_namespace_of_their_own():
    assert shutil.which("unshare") and shutil.which("ip") and shutil.which("janus")
    env = {**os.environ, "SUTIAO_TESTING": "1"}
    if (db := inner_database_url()) is not None:
        env["SUTIAO_DATABASE_URL"] = db
    command = [
        "unshare",
        "-n",
        "sh",
        "-c",
        NETNS,
        "netns",
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-q",
        "tests/meetings/janus_in_netns.py",
    ]
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    print(run.stdout[-6000:], run.stderr[-3000:])
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert re.search(r"\b4 passed\b", run.stdout), run.stdout[-3000:]
