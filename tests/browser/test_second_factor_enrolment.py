"""A new court clerk without an authenticator app sets one up at the first log-in."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import totp

from sutiao.accounts.devices import AuthenticatorDevice
from tests import factories

from .steps import log_in, pass_second_factor, path_of, submit_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _key_from_base32(secret: str) -> bytes:
    secret = secret.strip()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def _wrong_code(key: bytes) -> str:
    """A code no window django-otp accepts (it tolerates one step either side)."""
    valid = {f"{totp(key, drift=d):06d}" for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222") if c not in valid)


def test_new_clerk_enrols_an_authenticator_app(live_server, in_browser):
    clerk = factories.person("court_clerk", court=factories.court())
    assert not AuthenticatorDevice.objects.filter(user=clerk).exists()

    def journey(new_page):
        page = new_page()
        log_in(page, live_server.url, clerk.username, factories.PASSWORD)
        assert path_of(page) == "/accounts/second-factor/"
        assert page.locator(".qr svg").count() == 1
        secret = page.inner_text("[data-testid=totp-secret]")
        key = _key_from_base32(secret)
        device = AuthenticatorDevice.objects.get(user=clerk)
        assert not device.confirmed and device.bin_key == key

        submit_code(page, _wrong_code(key))
        assert path_of(page) == "/accounts/second-factor/"
        error = page.inner_text(".field.has-error .error")
        assert CHINESE.search(error), error
        # Still enrolling the same key: the QR code and the key are shown again.
        assert page.locator(".qr svg").count() == 1
        assert page.inner_text("[data-testid=totp-secret]") == secret

        time.sleep(1.1)  # a failure throttles the device for a second; a person reads the error
        pass_second_factor(page, key)
        assert path_of(page) == "/"
        page.locator("section.role-card[data-role=court_clerk]").wait_for()
        assert CHINESE.search(page.inner_text(".messages .msg.success"))
        assert AuthenticatorDevice.objects.get(pk=device.pk).confirmed
        assert page.errors == []

    in_browser(journey)
