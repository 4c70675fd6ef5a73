"""Events out: CloudEvents in a pull feed and by webhooks signed per Standard Webhooks, the
signatures checked by the independent `standardwebhooks` package; our own verifier refuses
a tampered body and a stale timestamp; a failing endpoint is retried, a 410 disables it."""

import json
import sqlite3
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import connection
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from sutiao.cases.actions.application import withdraw
from sutiao.cases.models import Case
from sutiao.docking import actions, engine, signing
from sutiao.docking.models import WebhookDelivery

from .conftest import Partner, application, register

pytestmark = pytest.mark.django_db


class Receiver:
    """A partner's webhook endpoint on loopback: answers each POST with the next status."""

    def __init__(self, *statuses: int):
        self.statuses, self.received = list(statuses), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(outer.statuses.pop(0) if outer.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    made = []

    def make(*statuses):
        made.append(Receiver(*statuses))
        return made[-1]

    yield make
    for r in made:
        r.close()


def test_the_feed_gives_cloudevents_in_order_with_a_sequence_per_case(client, org):
    reg = register("平台甲")
    a = Partner(client, reg)
    case_id = a.post("/applications", application(org=org)).json()["case"]
    feed = a.get("/events").json()
    (received,) = feed["events"]
    assert received["specversion"] == "1.0" and received["type"] == "cn.sutiao.application.received"
    assert received["subject"] == f"cases/{case_id}" and received["sequence"] == "1"
    assert received["data"]["reference"] == "GD-2026-0001"
    assert set(received) >= {"id", "source", "time"}
    assert a.get(f"/events?after={feed['next']}").json()["events"] == []

    withdraw(actor=reg.partner.user, case=Case.objects.get(pk=case_id))
    engine.mirror_outbox()
    later = a.get(f"/events?after={feed['next']}").json()["events"]
    assert [(e["type"], e["sequence"]) for e in later] == [("cn.sutiao.withdraw", "2")]
    assert later[0]["data"]["state"] == "withdrawn"
    engine.mirror_outbox()  # read once: no second copy
    assert len(a.get("/events").json()["events"]) == 2


def test_the_feed_shows_another_partners_case_only_to_its_institutions(client, org):
    Partner(client, register("平台甲")).post("/applications", application(org=org))
    stranger = Partner(client, register("平台乙"))
    assert stranger.get("/events").json()["events"] == []
    institution = Partner(client, register("调解组织平台", orgs=[org]))
    (seen,) = institution.get("/events").json()["events"]
    assert "reference" not in seen["data"] and "links" not in seen["data"]


def test_a_cursor_the_feed_never_gave_is_400(client):
    partner = Partner(client, register("平台甲"))
    answer = partner.get("/events?after=abc")
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "docking.bad_cursor"


def test_webhooks_are_signed_as_standardwebhooks_verifies(client, org, receiver):
    reg = register("平台甲")
    hook = receiver(204)
    endpoint = actions.add_webhook(actor="test", partner=reg.partner, url=hook.url)
    Partner(client, reg).post("/applications", application(org=org))
    stats = engine.run_once()
    assert stats["delivered"] == 1
    ((lower, body),) = hook.received
    payload = Webhook(endpoint.secret).verify(body, lower)  # raises if the signature is wrong
    assert payload["type"] == "cn.sutiao.application.received"
    assert lower["webhook-id"] == f"msg_{payload['id']}"
    signing.verify([endpoint.secret], lower, body)  # ours agrees
    assert engine.run_once()["delivered"] == 0  # delivered once


def test_our_verifier_refuses_a_tampered_body_and_a_stale_timestamp():
    secret, other = signing.new_secret(), signing.new_secret()
    body = json.dumps({"id": "e1"}).encode()
    headers = signing.sign(secret, "msg_1", body)
    signing.verify([other, secret], headers, body)  # during a rotation, either secret
    with pytest.raises(signing.BadSignature) as tampered:
        signing.verify([secret], headers, body.replace(b"e1", b"e2"))
    assert tampered.value.status == 401
    stale = signing.sign(secret, "msg_1", body, now=time.time() - 600)
    with pytest.raises(WebhookVerificationError):  # the independent library agrees
        Webhook(secret).verify(body, stale)
    with pytest.raises(signing.BadSignature):
        signing.verify([secret], stale, body)
    with pytest.raises(signing.BadSignature):
        signing.verify([other], headers, body)


def test_a_failing_endpoint_is_retried_with_backoff_and_a_410_disables_it(client, org, receiver):
    reg = register("平台甲")
    hook = receiver(500, 204)
    actions.add_webhook(actor="test", partner=reg.partner, url=hook.url)
    partner = Partner(client, reg)
    partner.post("/applications", application(org=org))
    assert engine.run_once()["failed"] == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.attempts == 1 and delivery.last_status == 500
    assert delivery.next_at > timezone.now() + timedelta(seconds=20)
    assert engine.deliver_due()["delivered"] == 0  # not yet due
    assert engine.deliver_due(now=delivery.next_at + timedelta(seconds=1))["delivered"] == 1
    assert len(hook.received) == 2
    assert hook.received[0][0]["webhook-id"] == hook.received[1][0]["webhook-id"]

    gone = receiver(410)
    endpoint = actions.add_webhook(actor="test", partner=reg.partner, url=gone.url)
    partner.post("/applications", application("GD-2026-0002", org=org), key="k2")
    engine.run_once()
    endpoint.refresh_from_db()
    assert endpoint.active is False and endpoint.disabled_reason == "410 Gone"
    partner.post("/applications", application("GD-2026-0003", org=org), key="k3")
    engine.run_once()
    assert len(gone.received) == 1


@pytest.mark.django_db(transaction=True)
def test_a_webhook_is_posted_outside_any_transaction_so_other_writers_go_on(
    client, org, monkeypatch
):
    """The peer may be slow or down: while its POST is under way this instance holds no
    transaction (on SQLite: not the write lock), so another writer is not kept waiting."""
    reg = register("平台甲")
    actions.add_webhook(actor="test", partner=reg.partner, url="http://127.0.0.1:9/hook")
    Partner(client, reg).post("/applications", application(org=org))
    seen = []

    def post(url, body, headers):
        seen.append(connection.in_atomic_block)
        if connection.vendor == "sqlite":  # another writer takes the write lock at once
            other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            finally:
                other.close()
        return 503

    monkeypatch.setattr(engine, "_post", post)
    assert engine.run_once()["failed"] == 1
    assert seen == [False]
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.state == "pending" and delivery.last_status == 503
