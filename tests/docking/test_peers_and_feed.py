"""Events in: a peer's webhook is taken only with a good Standard Webhooks signature (made
here by the independent `standardwebhooks` package), once per event id whether it came by
webhook or feed. The feed's cursor is in commit order: an event whose transaction commits
late, with a smaller id, is still read by a reader already past a larger one."""

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from sutiao.audit.models import AuditEntry
from sutiao.cases.models import Case
from sutiao.docking import feed, peers, signing
from sutiao.docking.models import CaseEvent, ReceivedEvent, SentApplication

from .conftest import Partner, application, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def peer():
    return peers.add_peer(
        actor="test",
        name="法院调解平台",
        base_url="http://127.0.0.1:9/api/docking/v1",
        client_id="c",
        client_secret="s",
        webhook_secret=signing.new_secret(),
    )


def _event(n: int = 1, **data) -> dict:
    return {
        "specversion": "1.0",
        "id": f"00000000-0000-0000-0000-00000000000{n}",
        "source": "http://court.example/api/docking/v1",
        "type": "cn.sutiao.accept",
        "subject": "cases/41",
        "time": "2026-12-02T06:00:00+00:00",
        "sequence": str(n),
        "data": {"case": 41, "state": "mediating", "reference": "GD-1", **data},
    }


def _post(client, peer, body: bytes, headers: dict):
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    return client.post(
        "/api/docking/v1/peers/webhook",
        body,
        content_type="application/cloudevents+json",
        **extra,
    )


def _signed(peer, body: bytes, at: datetime | None = None) -> dict:
    """Signed by the standardwebhooks package, not by our own signing module."""
    at = at or datetime.now(tz=UTC)
    hook = Webhook(peer.webhook_secrets)
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": hook.sign("msg_1", at, body.decode()),
    }


def test_a_webhook_signed_by_standardwebhooks_is_kept_once(client, peer):
    SentApplication.objects.create(
        peer=peer, reference="GD-1", receipt="r", remote_case=41, remote_state="draft"
    )
    body = json.dumps(_event(), ensure_ascii=False).encode()
    assert _post(client, peer, body, _signed(peer, body)).status_code == 204
    assert _post(client, peer, body, _signed(peer, body)).status_code == 204  # a retry
    (kept,) = ReceivedEvent.objects.all()
    assert (kept.type, kept.sequence, kept.via) == ("cn.sutiao.accept", 1, "webhook")
    assert SentApplication.objects.get().remote_state == "mediating"
    assert AuditEntry.objects.filter(action="docking.event_received").count() == 1


def test_a_tampered_body_or_a_timestamp_10_minutes_old_is_401_and_keeps_nothing(client, peer):
    body = json.dumps(_event()).encode()
    tampered = body.replace(b"mediating", b"settled")
    answer = _post(client, peer, tampered, _signed(peer, body))
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "docking.bad_signature"
    stale = _signed(peer, body, datetime.now(tz=UTC) - timedelta(minutes=10))
    assert _post(client, peer, body, stale).status_code == 401
    other = signing.sign(signing.new_secret(), "msg_1", body)
    assert _post(client, peer, body, other).status_code == 401
    assert _post(client, peer, body, {}).status_code == 401
    assert not ReceivedEvent.objects.exists()


def test_a_signed_body_that_is_no_cloudevent_is_422(client, peer):
    body = b'{"hello": "world"}'
    answer = _post(client, peer, body, _signed(peer, body))
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "docking.not_a_cloudevent"
    assert client.get("/api/docking/v1/peers/webhook").status_code == 405


def test_the_webhook_is_taken_as_the_peer_whose_secret_signed_it(client, peer):
    other = peers.add_peer(
        actor="test",
        name="另一法院平台",
        base_url="http://127.0.0.1:9/x",
        client_id="c2",
        client_secret="s2",
        webhook_secret=signing.new_secret(),
    )
    body = json.dumps(_event()).encode()
    assert _post(client, other, body, _signed(other, body)).status_code == 204
    assert _post(client, peer, body, _signed(peer, body)).status_code == 204
    assert sorted(ReceivedEvent.objects.values_list("peer__name", flat=True)) == [
        "另一法院平台",
        "法院调解平台",
    ]


class FakeFeed:
    """The peer's feed in two pages, then nothing: what pull_feed reads."""

    def __init__(self, *pages):
        self.pages, self.asked = list(pages), []

    def events_after(self, cursor):
        self.asked.append(cursor)
        if not self.pages:
            return [], cursor
        page = self.pages.pop(0)
        return page, page[-1]["cursor"]


def test_the_feed_and_webhooks_together_keep_each_event_once(client, peer):
    SentApplication.objects.create(
        peer=peer, reference="GD-1", receipt="r", remote_case=41, remote_state="draft"
    )
    body = json.dumps(_event(1)).encode()
    assert _post(client, peer, body, _signed(peer, body)).status_code == 204
    pages = [
        [{**_event(1), "cursor": "7"}, {**_event(2), "cursor": "8"}],
        [{**_event(3, state="failed"), "cursor": "9"}],
    ]
    source = FakeFeed(*pages)
    assert peers.pull_feed(peer, adapter=source) == 2
    assert source.asked == ["0", "8", "9"]
    peer.refresh_from_db()
    assert peer.feed_cursor == "9"
    peers.take_event(peer, {**_event(2, state="mediating"), "id": "late"}, via="webhook")
    assert SentApplication.objects.get().remote_state == "failed"  # an older event told later
    assert list(ReceivedEvent.objects.values_list("sequence", "via")) == [
        (1, "webhook"),
        (2, "feed"),
        (3, "feed"),
        (2, "webhook"),
    ]
    assert peers.pull_feed(peer, adapter=FakeFeed()) == 0


def test_an_event_committed_late_with_a_smaller_id_is_not_skipped(client, org):
    """A transaction that took id n and commits after the one with id n+1: the reader who
    already read n+1 still gets n, since the cursor is the position given after commit."""
    reg = register("平台甲")
    a = Partner(client, reg)
    case = Case.objects.get(pk=a.post("/applications", application(org=org)).json()["case"])
    early = CaseEvent.objects.create(
        case=case, sequence=2, type="cn.sutiao.x", time=case.created_at
    )
    hole = early.pk
    early.delete()  # id `hole` is taken by a transaction still open
    CaseEvent.objects.create(case=case, sequence=3, type="cn.sutiao.y", time=case.created_at)
    read = a.get("/events").json()
    assert [e["type"] for e in read["events"]] == [
        "cn.sutiao.application.received",
        "cn.sutiao.y",
    ]
    # The late transaction commits now, with the smaller id.
    CaseEvent.objects.create(
        pk=hole, case=case, sequence=2, type="cn.sutiao.x", time=case.created_at
    )
    later = a.get(f"/events?after={read['next']}").json()
    assert [e["type"] for e in later["events"]] == ["cn.sutiao.x"]
    assert int(later["next"]) > int(read["next"])
    assert feed.stamp() == 0  # each event positioned once
    positions = list(CaseEvent.objects.order_by("position").values_list("pk", flat=True))
    assert positions[-1] == hole


def test_our_signature_format_is_the_standard_one():
    """Our signer and the package agree byte for byte (same id, timestamp and body)."""
    secret = signing.new_secret()
    body = b'{"a": 1}'
    now = int(time.time())
    ours = signing.sign(secret, "msg_x", body, now=now)["webhook-signature"]
    theirs = Webhook(secret).sign("msg_x", datetime.fromtimestamp(now, tz=UTC), body.decode())
    assert ours == theirs and base64.b64decode(ours.split(",")[1])


def test_the_scheduled_pull_reads_every_peer_and_a_silent_one_is_tried_next_time(peer, monkeypatch):
    """`docking.pull` (the scheduler's job): a peer that does not answer is logged and left
    for the next run; the other peers are still read from their cursors."""
    other = peers.add_peer(
        actor="test",
        name="另一法院平台",
        base_url="http://127.0.0.1:9/api/docking/v1",
        client_id="c2",
        client_secret="s2",
        webhook_secret=signing.new_secret(),
    )
    read = []

    def pull(p, *, adapter=None):
        read.append(p.name)
        if p == peer:
            raise OSError("connection refused")
        return 3

    monkeypatch.setattr(peers, "pull_feed", pull)
    assert peers.pull_all() == 3
    assert read == [peer.name, other.name]
