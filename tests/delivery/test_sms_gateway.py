"""SMS behind its interface: the local backend (records each message once per idempotency key)
and the HTTP JSON gateway adapter, driven against a gateway on 127.0.0.1: submission with the
key, delivery receipts, temporary and permanent refusals."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from sutiao.delivery import actions, engine
from sutiao.delivery.channels import Permanent
from sutiao.delivery.channels.sms import HttpJsonSmsBackend, LocalSmsBackend
from sutiao.delivery.models import Delivery, Service, SmsRecord

pytestmark = pytest.mark.django_db

PHONE = "13700137000"


class Gateway:
    """An SMS gateway with the JSON API the adapter speaks; `answers` scripts its replies."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.requests.append({"headers": dict(self.headers), "body": body})
                status, answer = (
                    gateway.answers.pop(0)
                    if gateway.answers
                    else (200, {"id": f"gw-{len(gateway.requests)}", "status": "accepted"})
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    gw = Gateway()
    settings.SMS_BACKEND = "http"
    settings.SMS_URL = gw.url
    settings.SMS_KEY = "gateway-key"
    settings.SMS_RECEIPT_TOKEN = "receipt-token"
    settings.DELIVERY_BACKOFF_SECONDS = 0
    yield gw
    gw.close()


def sms_only(s):
    actions.confirm_addresses(
        actor=s.respondent_user, party=s.respondent, e_service=True, phone=PHONE, inbox=False
    )


def test_the_http_gateway_gets_the_key_and_the_receipt_makes_it_arrive(served_case, gateway):
    s = served_case
    sms_only(s)
    actions.serve_document(
        actor=s.judge,
        case=s.case,
        document=s.ruling,
        title="民事裁定书",
        kind="ruling",
        recipients=[s.respondent],
    )
    engine.run_once()
    (request,) = gateway.requests
    d = Delivery.objects.get(channel="sms")
    assert request["headers"]["Authorization"] == "Bearer gateway-key"
    assert request["headers"]["Idempotency-Key"] == d.message_id
    assert request["body"]["to"] == f"+86{PHONE}" and request["body"]["client_ref"] == d.message_id
    assert request["body"]["receipt_url"].endswith("/delivery/sms/receipts/")
    assert "民事裁定书" in request["body"]["text"]
    assert d.state == Delivery.State.SENT and d.provider_ref == "gw-1"
    service = Service.objects.get(party=s.respondent)
    assert service.state == Service.State.PENDING  # sent, not yet arrived

    gateway_client = Client()
    wrong = gateway_client.post(
        "/delivery/sms/receipts/",
        {"client_ref": d.message_id},
        content_type="application/json",
        headers={"Authorization": "Bearer guess"},
    )
    assert wrong.status_code == 401
    receipt = gateway_client.post(
        "/delivery/sms/receipts/",
        {"client_ref": d.message_id, "id": "gw-1", "status": "delivered"},
        content_type="application/json",
        headers={"Authorization": "Bearer receipt-token"},
    )
    assert receipt.status_code == 200
    d.refresh_from_db()
    service.refresh_from_db()
    assert d.state == Delivery.State.ARRIVED
    assert service.state == Service.State.EFFECTIVE and service.effective_channel == "sms"


def test_a_busy_gateway_is_retried_and_a_refusal_is_final(served_case, gateway):
    s = served_case
    sms_only(s)
    gateway.answers = [(503, {"error": "busy"}), (200, {"id": "gw-9", "status": "delivered"})]
    actions.serve_document(
        actor=s.judge,
        case=s.case,
        document=s.ruling,
        title="民事裁定书",
        kind="ruling",
        recipients=[s.respondent],
    )
    engine.run_once()
    d = Delivery.objects.get(channel="sms")
    assert d.state == Delivery.State.ARRIVED and d.attempts == 2
    assert [r["headers"]["Idempotency-Key"] for r in gateway.requests] == [d.message_id] * 2

    with pytest.raises(Permanent):
        gateway.answers = [(400, {"error": "invalid number"})]
        HttpJsonSmsBackend().send(to="123", text="x", key="k")


def test_a_permanent_refusal_fails_the_delivery_at_once(served_case, gateway):
    s = served_case
    sms_only(s)
    gateway.answers = [(422, {"error": "invalid number"})]
    actions.serve_document(
        actor=s.judge,
        case=s.case,
        document=s.ruling,
        title="民事裁定书",
        kind="ruling",
        recipients=[s.respondent],
    )
    engine.run_once()
    d = Delivery.objects.get(channel="sms")
    assert d.state == Delivery.State.FAILED and d.attempts == 1
    assert Service.objects.get(party=s.respondent).state == Service.State.FAILED


def test_the_local_backend_keeps_one_message_per_key(db):
    backend = LocalSmsBackend()
    first = backend.send(to=PHONE, text="你好", key="<k@sutiao>")
    again = backend.send(to=PHONE, text="你好", key="<k@sutiao>")
    assert first.arrived and again.arrived and first.ref == again.ref
    row = SmsRecord.objects.get()
    assert row.submissions == 2
