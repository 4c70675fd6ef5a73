"""Fixtures of the case pages: stored files in a temporary folder; steps of the browser journeys
(their browser is tests/browser_support.py's `in_browser`)."""

from __future__ import annotations

import io
import time
from urllib.parse import urlparse

import pytest


def small_pdf(text: str = "evidence") -> bytes:
    """A real one-page PDF (pypdf writes it), as an applicant would upload."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to a folder of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def path_of(page) -> str:
    return urlparse(page.url).path


def log_in(page, base_url: str, user, *, device=None) -> None:
    """Password, then for everyone who acts for an institution the current TOTP code (once
    more if the 30 s window turned); a device is enrolled for them if they have none."""
    from django_otp.oath import totp

    from sutiao.accounts.devices import AuthenticatorDevice
    from tests.factories import PASSWORD, with_totp

    if device is None and user.needs_second_factor:
        device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first() or with_totp(
            user
        )

    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert path_of(page) != "/accounts/login/", "the password was refused"
    if device is None:
        return
    assert path_of(page) == "/accounts/second-factor/"
    for attempt in range(2):
        if attempt:
            time.sleep(1.5)  # django-otp throttles a device for a second after a failure
        page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if path_of(page) != "/accounts/second-factor/":
            return
    raise AssertionError("the second factor refused the current code twice")
