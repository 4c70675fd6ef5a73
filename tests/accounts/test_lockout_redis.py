"""Issue 13, fix 2, as production runs it with several server processes: the lock-out's
counters, codes and throttles (accounts.lockout, accounts.throttle) in the real Redis on
127.0.0.1:6379. A distinct database number and key prefix per run keep parallel test runs
apart; the keys are deleted afterwards."""

from __future__ import annotations

import os
import re
import uuid

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from sutiao.accounts import lockout
from sutiao.agreements.otp import LocalSmsSender
from tests import factories

pytestmark = pytest.mark.django_db

REDIS_DB = 11
STRANGER, OWNER = "203.0.113.20", "198.51.100.20"


@pytest.fixture
def redis_cache(settings):
    prefix = f"sutiao-test-security-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    location = f"redis://127.0.0.1:6379/{REDIS_DB}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    settings.IDENTITY_CODE_SENDER = "sutiao.agreements.otp.LocalSmsSender"
    LocalSmsSender.outbox.clear()
    server = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    assert server.ping()
    yield server, prefix, location
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)
    LocalSmsSender.outbox.clear()


def _login(client, username, password, address):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _keys(server, prefix) -> list[bytes]:
    return list(server.scan_iter(f"{prefix}:*"))


def test_the_lock_lives_in_redis_with_its_window_and_is_shared_by_every_process(redis_cache):
    server, prefix, location = redis_cache
    assert isinstance(caches["default"], RedisCache)
    judge = factories.person("judge", court=factories.court())
    stranger = Client()
    for _ in range(5):
        assert _login(stranger, judge.username, "Wrong-Guess-2026", STRANGER).status_code in (
            200,
            403,
        )
    assert _login(stranger, judge.username, factories.PASSWORD, STRANGER).status_code == 403
    [key] = _keys(server, prefix)
    assert int(server.get(key)) == 5
    assert 0 < server.ttl(key) <= 1800  # the counter expires with its 30-minute window
    # Another server process (its own connection to the same Redis) sees the same lock.
    other_process = RedisCache(location, {"KEY_PREFIX": prefix})
    assert other_process.get(key.decode().split(":", 2)[2]) == 5
    # The owner, from their own address, is not locked.
    assert _login(Client(), judge.username, factories.PASSWORD, OWNER).status_code == 302
    assert not lockout.is_locked(judge.username, OWNER)


def test_the_unlock_code_through_redis_ends_the_lock(redis_cache):
    server, prefix, _location = redis_cache
    clerk = factories.person("court_clerk", court=factories.court())
    client = Client()
    for _ in range(5):
        _login(client, clerk.username, "Wrong-Guess-2026", OWNER)
    assert lockout.is_locked(clerk.username, OWNER)
    client.post("/accounts/unlock/", {"username": clerk.username}, REMOTE_ADDR=OWNER)
    [sms] = [m for m in LocalSmsSender.outbox if m.phone == clerk.phone]
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", sms.text).group(1)
    assert len(_keys(server, prefix)) >= 3  # the failures, the code, the send throttles
    done = client.post(
        "/accounts/unlock/", {"username": clerk.username, "code": code}, REMOTE_ADDR=OWNER
    )
    assert done.status_code == 302
    assert not lockout.is_locked(clerk.username, OWNER)
    assert _login(client, clerk.username, factories.PASSWORD, OWNER).status_code == 302
    # The code is used up: its key is gone from Redis, a second use is refused.
    assert not lockout.unlock(clerk.username, OWNER, code)
