"""TURN credentials (coturn's shared-secret REST scheme) in the room's welcome."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from sutiao.meetings import turn
from tests.delivery.conftest import build_case

from .conftest import check_everyone, cookie_for, schedule
from .test_room_socket import socket

pytestmark = pytest.mark.django_db(transaction=True)


def welcome(session, user) -> dict:
    cookie = cookie_for(user)

    async def run():
        ws = socket(session.pk, cookie)
        assert (await ws.connect())[0]
        msg = await ws.receive_json_from()
        await ws.disconnect()
        return msg

    return async_to_sync(run)()


@pytest.fixture
def room(media):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    return s, session


def test_with_turn_configured_each_participant_gets_short_lived_credentials(room, settings):
    s, session = room
    settings.TURN_URLS = ["turn:turn.example.cn:3478?transport=udp", "turns:turn.example.cn:5349"]
    settings.TURN_SECRET = "coturn-static-auth-secret"
    settings.TURN_TTL = 600
    before = int(time.time())
    (server,) = welcome(session, s.applicant_user)["ice"]
    after = int(time.time())
    assert server["urls"] == settings.TURN_URLS
    expiry, user_id = server["username"].split(":")
    assert user_id == str(s.applicant_user.pk)
    assert before + 600 <= int(expiry) <= after + 600
    # What coturn computes from its static-auth-secret:
    mac = hmac.new(b"coturn-static-auth-secret", server["username"].encode(), hashlib.sha1)
    assert server["credential"] == base64.b64encode(mac.digest()).decode()
    other = welcome(session, s.respondent_user)["ice"][0]
    assert other["username"].endswith(f":{s.respondent_user.pk}")
    assert other["credential"] != server["credential"]


def test_without_turn_the_welcome_has_no_ice_servers(room, settings):
    s, session = room
    settings.TURN_URLS, settings.TURN_SECRET = [], ""
    assert welcome(session, s.applicant_user)["ice"] == []
    settings.TURN_URLS = ["turn:turn.example.cn:3478"]  # a URL without its secret: none either
    assert welcome(session, s.applicant_user)["ice"] == []


def test_the_credential_is_rfc_2104_hmac_sha1_of_the_username():
    # An independent vector: HMAC-SHA1("key", "The quick brown fox jumps over the lazy dog").
    expected = bytes.fromhex("de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9")
    got = turn.credential("key", "The quick brown fox jumps over the lazy dog")
    assert base64.b64decode(got) == expected
    assert timezone.now()  # settings-free: the function alone


def test_relay_only_is_in_the_welcome_only_with_turn_configured(room, settings):
    s, session = room
    settings.TURN_URLS, settings.TURN_SECRET = ["turn:turn.example.cn:3478"], "secret"
    settings.TURN_RELAY_ONLY = False
    assert welcome(session, s.applicant_user)["ice_policy"] == "all"
    settings.TURN_RELAY_ONLY = True
    assert welcome(session, s.applicant_user)["ice_policy"] == "relay"
    settings.TURN_SECRET = ""  # no TURN to relay through: relay only would connect nothing
    assert welcome(session, s.applicant_user)["ice_policy"] == "all"
