"""A live instance on loopback, its own SQLite database and `sutiao serve` process: the
sending side (docking.client, the outbound half of the Sutiao-to-Sutiao adapter) sends one
application twice under the same key and once more under a new key; the receiving
instance has it once."""

import os
import re
import subprocess
import time
import urllib.request

import pytest

from sutiao.docking.client import Remote
from tests.browser.test_platform_up import _free_port as _port
from tests.browser.test_platform_up import _sutiao_command as _sutiao


@pytest.fixture
def instance(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUTIAO_", "DJANGO_"))}
    env["SUTIAO_DATA_DIR"] = str(tmp_path)
    env["SUTIAO_DATABASE_URL"] = f"sqlite:///{tmp_path}/b.sqlite3"

    def run(*args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [*_sutiao(), *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
        return done.stdout

    run("migrate", "--no-input", timeout=900)  # every migration, on a loaded machine
    org = run(
        "shell",
        "-c",
        "from sutiao.institutions.models import MediationOrg as M; "
        "print(M.objects.create(name='法院侧调解组织', kind='protection_centre', "
        "region_id='110108').pk)",
    ).strip()
    out = run(
        "docking",
        "partner",
        "add",
        "省知识产权局平台",
        "--scopes",
        "applications:write",
        "applications:read",
    )
    client_id = re.search(r"client_id: (\S+)", out).group(1)
    secret = re.search(r"client_secret: (\S+)", out).group(1)
    port = _port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [*_sutiao(), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read()
                time.sleep(0.3)
        remote = Remote(f"http://127.0.0.1:{port}/api/docking/v1", client_id, secret)
        yield remote, int(org.split()[-1]), run
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_an_application_sent_twice_under_one_key_is_one_case_on_the_far_side(instance):
    remote, org, run = instance
    body = {
        "reference": "SIPO-GD-0001",
        "title": "专利侵权纠纷",
        "org_id": org,
        "applicant": {"name": "甲公司", "kind": "legal"},
        "respondents": [{"name": "乙公司", "kind": "legal"}],
    }
    first = remote.post("/applications", body, key="send-1")
    again = remote.post("/applications", body, key="send-1")
    new_key = remote.post("/applications", body, key="send-2")
    assert (first.status, again.status, new_key.status) == (202, 202, 200), first.body
    assert again.body == first.body and new_key.body["receipt"] == first.body["receipt"]
    assert remote.get("/applications/SIPO-GD-0001").body["case"] == first.body["case"]
    count = run("shell", "-c", "from sutiao.cases.models import Case; print(Case.objects.count())")
    assert count.split()[-1] == "1"
