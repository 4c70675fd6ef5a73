"""The demo, loaded once for the browser tests that walk it and served as `sutiao serve` serves it
(uvicorn: pages and /ws/live/), with each demo role's session made once (a TOTP code is good
once per device and 30 s window, so a second log-in would wait for the next window)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from sutiao.delivery import engine
from sutiao.demo import data
from tests import reference_data
from tests.browser_support import asgi_server
from tests.delivery.conftest import free_port

from .crawl import axe_script
from .steps import log_in, pass_second_factor, path_of

DEMO_KEY = bytes.fromhex(data.DEMO_TOTP_HEX)
# (role as the brief names it, demo log-in or None for the public)
ROLES = [
    ("party", "party"),
    ("agent", "lawyer"),
    ("mediator", "mediator"),
    ("org_admin", "orgadmin"),
    ("court_clerk", "clerk"),
    ("judge", "judge"),
    ("ip_office_clerk", "ipoffice"),
    ("supervisor", "supervisor"),
    ("public", None),
]


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """Base URL of the served demo, for every module that walks it: loaded once (a flush
    takes the reference data of the migrations with it, so it could not load again). The
    tests that use it take no `db`, so pytest-django runs them after every database test."""
    from django.db import connection

    # pytest-django makes the test database only when some test of the run takes `db`: each
    # module that uses this fixture has one. Never load into (and flush) a real database.
    assert Path(str(connection.settings_dict["NAME"])).name.startswith("test"), (
        "no test database: the module needs a test marked django_db"
    )
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        reference_data.put_back()  # an earlier transactional test's flush took it
        loaded = data.load()
        assert not loaded.problems, loaded.problems
        # What `sutiao serve`'s worker does next: the notices reach the inboxes, so the walk
        # sees the pages they link to.
        for _ in range(5):
            if not engine.run_once()["events"]:
                break
        try:
            with asgi_server(free_port()) as url:
                yield url
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="session")
def axe(pytestconfig):
    return axe_script(pytestconfig.rootpath)


@pytest.fixture(scope="session")
def sessions() -> dict:
    """Cookies of each role's signed-in session, made by the first page that needs it."""
    return {}


def signed_in(new_page, base: str, sessions: dict, username: str | None, **page_kwargs):
    """A fresh page signed in as `username` (anonymous for None), on its home page."""
    page = new_page(**page_kwargs)
    if username in sessions:
        page.context.add_cookies(sessions[username])
    elif username is not None:
        log_in(page, base, username, data.DEMO_PASSWORD)
        if path_of(page) == "/accounts/second-factor/":
            pass_second_factor(page, DEMO_KEY)
        assert path_of(page) == "/", f"{username} did not reach the home page: {page.url}"
        sessions[username] = page.context.cookies()
    page.goto(f"{base}/")
    return page
