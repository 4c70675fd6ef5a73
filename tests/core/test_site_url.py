"""Links in SMS, e-mail and PDF footers use the site URL: `SUTIAO_SITE_URL` when it is set,
otherwise the address `sutiao serve` actually serves (its host and port), never a fixed :8000."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from sutiao.core.site import served_url
from sutiao.documents import codes


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("sutiao.example.gov.cn", 80, "http://sutiao.example.gov.cn"),
        ("0.0.0.0", 8080, "http://localhost:8080"),  # every interface: this machine's name
        ("::", 8443, "http://localhost:8443"),
        ("::1", 9000, "http://[::1]:9000"),
    ],
)
def test_the_served_address_as_a_url(host, port, url):
    assert served_url(host, port) == url


@pytest.fixture
def no_site_url(monkeypatch, settings):
    monkeypatch.setenv("SUTIAO_SITE_URL", "")
    monkeypatch.delenv("SUTIAO_SITE_URL")  # restored as it was after the test
    runs = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: runs.append(kw))
    return runs


def test_serve_links_to_the_port_it_listens_on(no_site_url, settings):
    call_command("serve", host="127.0.0.1", port=9123, no_scheduler=True)
    assert no_site_url[0]["port"] == 9123
    assert django_settings.SITE_URL == "http://127.0.0.1:9123"
    assert codes.verify_page_url() == "http://127.0.0.1:9123/documents/verify/"
    # worker processes (--workers) read their settings afresh from the environment
    assert os.environ["SUTIAO_SITE_URL"] == "http://127.0.0.1:9123"


def test_a_configured_site_url_wins_over_the_served_address(no_site_url, monkeypatch, settings):
    monkeypatch.setenv("SUTIAO_SITE_URL", "https://sutiao.example.gov.cn")
    settings.SITE_URL = "https://sutiao.example.gov.cn"
    call_command("serve", host="0.0.0.0", port=9123, no_scheduler=True)
    assert django_settings.SITE_URL == "https://sutiao.example.gov.cn"
    assert codes.verify_page_url() == "https://sutiao.example.gov.cn/documents/verify/"


def test_the_default_site_url_follows_sutiao_host_and_port():
    env = {k: v for k, v in os.environ.items() if k != "SUTIAO_SITE_URL"}
    env.update(SUTIAO_HOST="127.0.0.1", SUTIAO_PORT="9001")
    out = subprocess.run(
        [sys.executable, "-c", "from sutiao import settings; print(settings.SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "http://127.0.0.1:9001"
