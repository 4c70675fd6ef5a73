"""TURN against a running coturn (Debian's, started here on 127.0.0.1 with the shared-secret
REST scheme): with SUTIAO_TURN_RELAY_ONLY two pages in the mesh room connect only through the
TURN server (iceTransportPolicy "relay": the selected candidate pair's local candidate is a
relay one, and video frames are decoded); with a secret coturn does not share, coturn refuses
the allocation (401) and no relay candidate, hence no connection, comes about."""

from __future__ import annotations

import re
import secrets
import time

import pytest

from tests.delivery.conftest import build_case

from .conftest import check_everyone, enter_room, mediator_of, schedule, session_cookies
from .turn_server import turn_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATH_JS = """
async () => {
  const out = {};
  for (const [id, p] of window.__meeting.peers) {
    const stats = await p.pc.getStats();
    const byId = new Map();
    stats.forEach((r) => byId.set(r.id, r));
    let frames = 0, local = null, remote = null, relays = 0;
    stats.forEach((r) => {
      if (r.type === "inbound-rtp" && r.kind === "video") frames += r.framesDecoded || 0;
      if (r.type === "local-candidate" && r.candidateType === "relay") relays += 1;
      if (r.type === "transport" && r.selectedCandidatePairId) {
        const pair = byId.get(r.selectedCandidatePairId);
        local = byId.get(pair.localCandidateId);
        remote = byId.get(pair.remoteCandidateId);
      }
    });
    out[id] = {
      frames: frames, relays: relays, policy: p.pc.getConfiguration().iceTransportPolicy,
      local: local && local.candidateType, remote: remote && remote.candidateType,
      state: p.pc.connectionState,
    };
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def coturn(tmp_path_factory):
    with turn_server(tmp_path_factory.mktemp("coturn"), secret=secrets.token_hex(16)) as t:
        yield t


def _two_pages(settings_secret, coturn, settings):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    settings.TURN_URLS = [coturn.url]
    settings.TURN_SECRET = settings_secret
    settings.TURN_RELAY_ONLY = True
    return session, session_cookies([mediator_of(s), s.applicant_user])


def test_relay_only_media_go_through_coturn(platform, in_browser, coturn, settings):
    session, cookies = _two_pages(coturn.secret, coturn, settings)

    def journey(new_page):
        pages = enter_room(new_page, platform, session, cookies)
        seen: list[dict] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            seen = [page.evaluate(PATH_JS) for page in pages]
            if all(
                len(s) == 1 and all(v["frames"] > 0 and v["local"] for v in s.values())
                for s in seen
            ):
                break
            time.sleep(0.5)
        for page in pages:
            assert page.errors == []
        return seen

    seen = in_browser(journey)
    for per_page in seen:
        (path,) = per_page.values()
        assert path["policy"] == "relay", seen
        assert path["local"] == "relay" and path["remote"] == "relay", seen
        assert path["frames"] > 0, seen
    log = coturn.log_text()  # coturn allocated relays with the platform's credentials
    assert re.search(r"user <\d+:\d+>: incoming packet ALLOCATE processed, success", log), log
    assert "CHANNEL_BIND processed, success" in log, log[-3000:]


def test_a_secret_coturn_does_not_share_gets_no_relay(platform, in_browser, coturn, settings):
    session, cookies = _two_pages("not-" + coturn.secret, coturn, settings)
    before = len(coturn.log_text())

    def journey(new_page):
        pages = enter_room(new_page, platform, session, cookies)
        time.sleep(8)  # ICE gathering against coturn, refused
        return [page.evaluate(PATH_JS) for page in pages]

    seen = in_browser(journey)
    for per_page in seen:
        for path in per_page.values():
            assert path["policy"] == "relay" and path["relays"] == 0, seen
            assert path["frames"] == 0 and path["local"] is None, seen
    refused = coturn.log_text()[before:]  # the credentials were refused, nothing allocated
    assert re.search(r"user <\d+:\d+>: incoming packet message processed, error 401", refused)
    assert "ALLOCATE processed, success" not in refused, refused[-3000:]
