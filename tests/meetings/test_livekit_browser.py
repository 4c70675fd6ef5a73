"""The room page on the LiveKit provider, in chromium: it loads the vendored livekit-client
(its own UMD build, served by the platform under the strict CSP) and livekit-room.js, which
connects to the configured LiveKit URL with the token of the welcome: the signalling request
the browser makes carries a token livekit-api's TokenVerifier accepts for this session's room
and this participant. No LiveKit server ran (none could be had here): the stand-in answers
that request with a 404, so no media flow in this test."""

from __future__ import annotations

import time
import urllib.parse

import pytest
from livekit import api

from sutiao.meetings.providers.livekit import LiveKit
from tests.delivery.conftest import build_case

from .conftest import check_everyone, enter_room, schedule, session_cookies
from .livekit_server import fake_livekit
from .test_livekit_provider import KEY, SECRET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_room_page_connects_to_livekit_with_its_token(platform, in_browser, settings):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    me = session.participants.get(user=s.applicant_user)
    cookies = session_cookies([s.applicant_user])
    with fake_livekit(KEY, SECRET) as lk:
        settings.MEETINGS_PROVIDER = "livekit"
        settings.LIVEKIT_URL = lk.url.replace("http://", "ws://")
        settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET = KEY, SECRET

        def journey(new_page):
            (page,) = enter_room(new_page, platform, session, cookies)
            deadline = time.monotonic() + 20
            while not lk.gets and time.monotonic() < deadline:
                time.sleep(0.2)
            loaded = page.evaluate(
                "() => [typeof window.LivekitClient.Room, typeof window.SutiaoLiveKit.join]"
            )
            return loaded, [e for e in page.errors if "Content Security Policy" in e]

        loaded, csp = in_browser(journey)
    assert loaded == ["function", "function"]
    assert csp == []
    assert lk.gets, "the page never called the LiveKit server"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(lk.gets[0]).query)
    assert lk.gets[0].startswith("/rtc")
    claims = api.TokenVerifier(KEY, SECRET).verify(query["access_token"][0])
    assert claims.identity == str(me.pk)
    assert claims.video.room == LiveKit.from_settings().room_name(session)
