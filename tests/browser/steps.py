"""Steps the browser journeys share: log in, pass the second factor, log out, the live socket."""

from __future__ import annotations

import time
import warnings
from urllib.parse import urlparse

from django_otp.oath import totp
from playwright.sync_api import Page


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def submit_code(page: Page, code: str) -> None:
    page.fill("input[name=token]", code)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def pass_second_factor(page: Page, key: bytes) -> None:
    """Enter the current code; once more with a fresh one if the 30 s window turned over.

    A failed code throttles the device for a second (django-otp), hence the pause.
    """
    for attempt in range(2):
        if attempt:
            warnings.warn("second factor: first code refused, retrying", stacklevel=2)
            time.sleep(1.5)
        submit_code(page, f"{totp(key):06d}")
        if path_of(page) != "/accounts/second-factor/":
            return
    raise AssertionError(f"the second factor refused the current code twice ({page.url})")


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.click("header form[action$='/accounts/logout/'] button[type=submit]")


WS_HELLO_JS = """
() => new Promise((resolve, reject) => {
  const ws = new WebSocket(`ws://${location.host}/ws/live/`);
  const timer = setTimeout(() => { ws.close(); reject(new Error("no message in 5 s")); }, 5000);
  ws.onmessage = (event) => { clearTimeout(timer); ws.close(); resolve(JSON.parse(event.data)); };
  ws.onclose = (event) => { clearTimeout(timer); reject(new Error(`closed ${event.code}`)); };
})
"""


def websocket_hello(page: Page) -> dict:
    """The first message the live channel sends to this page's session."""
    return page.evaluate(WS_HELLO_JS)
