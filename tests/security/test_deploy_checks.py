"""`sutiao check --deploy` (Django's deployment checks and django-oauth-toolkit's RFC 9700
checks) is clean with the production settings of docs/deployment.md (issue 21, item 3)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

SUTIAO = str(Path(sys.executable).with_name("sutiao"))


def _production(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUTIAO_")}
    env.update(
        SUTIAO_PRODUCTION="1",
        SUTIAO_DATA_DIR=str(tmp_path),
        SUTIAO_SECRET_KEY=secrets.token_urlsafe(50),
        SUTIAO_MASTER_KEY=secrets.token_urlsafe(32),
        SUTIAO_FIELD_KEY=secrets.token_urlsafe(32),
        SUTIAO_AUDIT_KEY=secrets.token_urlsafe(32),
        SUTIAO_SECURE_COOKIES="1",
        SUTIAO_BEHIND_TLS_PROXY="1",
        SUTIAO_ALLOWED_HOSTS="sutiao.example.cn",
        **extra,
    )
    return env


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SUTIAO, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_are_clean_with_the_production_settings(tmp_path):
    done = _check(_production(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues (0 silenced)" in done.stdout + done.stderr


def test_deploy_checks_catch_a_production_without_https(tmp_path):
    """The same run fails when the deployment forgets HTTPS: the check is not a formality."""
    env = _production(tmp_path)
    del env["SUTIAO_SECURE_COOKIES"], env["SUTIAO_BEHIND_TLS_PROXY"]
    done = _check(env)
    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout  # no HSTS
    assert "security.W012" in done.stderr + done.stdout  # session cookie not secure


def test_deploy_checks_catch_the_bench_floor_left_on(tmp_path):
    """bench/run's floor endpoints (unaudited writes for anyone) must never be deployed."""
    done = _check(_production(tmp_path, SUTIAO_BENCH_FLOOR="1"))
    assert done.returncode != 0
    assert "sutiao.W001" in done.stderr + done.stdout
