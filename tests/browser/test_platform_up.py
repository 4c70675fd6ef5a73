"""A fresh clone brings the platform up: migrate, load the demo, serve, and every role logs in.

The platform runs as a real `sutiao serve` process (uvicorn, HTTP and WebSocket) on its own
SQLite database in a temporary directory, whatever database the rest of the suite uses.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest

from sutiao.demo.data import DEMO_PASSWORD, DEMO_TOTP_HEX

from .steps import log_in, log_out, pass_second_factor, path_of, websocket_hello

pytestmark = pytest.mark.browser

CHINESE = re.compile(r"[\u4e00-\u9fff]")
DEMO_KEY = bytes.fromhex(DEMO_TOTP_HEX)
# username, role, needs the second factor
DEMO_LOGINS = [
    ("party", "party", False),
    ("mediator", "mediator", True),
    ("orgadmin", "org_admin", True),
    ("ipoffice", "ip_office_staff", True),
    ("clerk", "court_clerk", True),
    ("judge", "judge", True),
    ("supervisor", "national_supervisor", True),
    ("admin", "platform_admin", True),
]


def _sutiao_command() -> list[str]:
    script = Path(sys.executable).with_name("sutiao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sutiao.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """Base URL of a freshly migrated, demo-loaded `sutiao serve`."""
    data_dir = tmp_path_factory.mktemp("platform")
    # What someone who just cloned the repository has: none of the suite's SUTIAO_* settings.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SUTIAO_")
        and k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["SUTIAO_DATA_DIR"] = str(data_dir)
    env["SUTIAO_DATABASE_URL"] = f"sqlite:///{data_dir}/db.sqlite3"
    sutiao = _sutiao_command()

    def run(*args: str) -> str:
        done = subprocess.run(
            [*sutiao, *args], cwd=data_dir, env=env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, (
            f"sutiao {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        )
        return done.stdout

    run("migrate", "--no-input")
    out = run("demo")
    assert "clerk" in out and DEMO_PASSWORD in out
    run("demo")  # scripts/run loads the demo on every start: it must be idempotent
    assert (data_dir / "db.sqlite3").exists()

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (data_dir / "serve.log").open("w+")
    server = subprocess.Popen(
        [*sutiao, "serve", "--port", str(port)],
        cwd=data_dir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"sutiao serve exited with {server.returncode}:\n{log.read()}")
            try:
                if _get(f"{base_url}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"sutiao serve did not answer /healthz in 30 s:\n{log.read()}")
            time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_login_page_is_chinese(platform, in_browser):
    def journey(new_page):
        page = new_page()
        page.goto(f"{platform}/accounts/login/")
        assert page.get_attribute("html", "lang") == "zh-CN"
        assert "登录" in page.inner_text("body")
        assert page.errors == []

    in_browser(journey)


@pytest.mark.parametrize(
    ("username", "role", "staff"), DEMO_LOGINS, ids=[u for u, *_ in DEMO_LOGINS]
)
def test_demo_role_logs_in_and_out(platform, in_browser, artifacts, username, role, staff):
    def journey(new_page):
        page = new_page()
        log_in(page, platform, username, DEMO_PASSWORD)
        if path_of(page) == "/accounts/login/":
            # Seen 3 times under CI's load (never alone): the password step answered the log-in
            # page again after ~20 s, SQLite's lock timeout: the worker sealed the demo's two
            # dozen proofs of service inside its write transactions (fixed in session 9: they
            # are sealed before). A person would try again; the test does, once, and says so,
            # so any other long writer stays visible.
            warnings.warn(
                f"log-in of {username} refused once: {page.inner_text('main')[:300]!r}",
                stacklevel=1,
            )
            time.sleep(2)
            log_in(page, platform, username, DEMO_PASSWORD)
        if staff:
            assert path_of(page) == "/accounts/second-factor/", page.inner_text("main")[:500]
            assert page.locator(".qr").count() == 0  # the demo device is set up already
            pass_second_factor(page, DEMO_KEY)
        assert path_of(page) == "/"
        card = page.locator(f"section.role-card[data-role={role}]")
        card.wait_for()
        assert card.count() == 1
        # The role's name is translated, not only the data: the project's catalog is loaded.
        role_name = card.locator("h2").inner_text().split("·")[0]
        assert CHINESE.search(role_name), role_name
        if username == "clerk":
            page.screenshot(path=str(artifacts / "clerk-home.png"), full_page=True)

        hello = websocket_hello(page)
        assert hello["type"] == "hello"

        assert page.errors == []
        log_out(page)
        assert path_of(page) == "/accounts/login/"
        page.goto(f"{platform}/")
        assert page.locator("section.role-card").count() == 0

    in_browser(journey)


def test_api_docs_and_schema(platform, in_browser):
    def journey(new_page):
        page = new_page()
        response = page.goto(f"{platform}/api/v1/docs")
        assert response.status == 200
        page.wait_for_selector("#swagger-ui")
        response = page.goto(f"{platform}/api/v1/openapi.json")
        assert response.status == 200
        schema = response.json()
        assert schema["info"]["title"] == "Sutiao API"
        assert schema["paths"]

    in_browser(journey)
