"""Must-show 2: the worker dies between "sent" and "recorded", and is started again.

The worker is a real `sutiao delivery work --once` process on this test's database. The fault
point `after_accept` stops it dead (os._exit, as kill -9 would: no handler, no cleanup) right
after the SMTP server answered 250 to a message and before the worker recorded that. A second
worker process, started once the lease ran out, finds the row still "sending": nobody can ask
an SMTP server whether it has a message, so it sends it again, byte for byte the same, with
the same Message-ID. The recipient's mail system keeps one message per Message-ID: the
recipient holds exactly one; the record is complete (docs/delivery.md, "Guarantees").
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.db import connection

from sutiao.delivery import actions, faults
from sutiao.delivery.models import Delivery, DeliveryEvent, Service

from .conftest import APPLICANT_MAIL, RESPONDENT_MAIL, build_case

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _sutiao() -> list[str]:
    script = Path(sys.executable).with_name("sutiao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sutiao.cli"]


def run_worker(smtp_port: int, data_dir: Path, *, fault: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUTIAO_")}
    env.update(
        SUTIAO_TESTING="1",
        SUTIAO_DATABASE_URL=_database_url(),
        SUTIAO_DATA_DIR=str(data_dir),
        SUTIAO_SECRET_KEY=settings.SECRET_KEY,
        SUTIAO_FIELD_KEY=settings.FIELD_ENCRYPTION_KEY,
        SUTIAO_MASTER_KEY=settings.MASTER_KEY,
        SUTIAO_SITE_URL=settings.SITE_URL,
        SUTIAO_EMAIL_HOST="127.0.0.1",
        SUTIAO_EMAIL_PORT=str(smtp_port),
        SUTIAO_DELIVERY_EMAIL_BACKEND="smtp",
        SUTIAO_DELIVERY_LEASE_SECONDS="1",
        SUTIAO_LOG_LEVEL="WARNING",
    )
    if fault:
        env["SUTIAO_DELIVERY_FAULT"] = fault
    return subprocess.run(
        [*_sutiao(), "delivery", "work", "--once"],
        env=env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=180,
    )


def kinds(delivery: Delivery) -> list[str]:
    return list(delivery.events.order_by("at", "id").values_list("kind", flat=True))


def test_killed_after_the_server_accepted_then_restarted_the_recipient_holds_one_message(
    smtp, media, settings, tmp_path
):
    s = build_case()
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    first_email = Delivery.objects.get(channel="email", address=APPLICANT_MAIL)

    # 1. The worker sends the applicant's e-mail, the server accepts it, the worker dies.
    killed = run_worker(smtp.port, tmp_path, fault="after_accept:exit")
    assert killed.returncode == faults.EXIT_CODE, killed.stderr
    assert smtp.mail.sent_to(APPLICANT_MAIL) == [first_email.message_id]
    first_email.refresh_from_db()
    assert first_email.state == Delivery.State.SENDING and first_email.attempts == 1
    assert kinds(first_email) == ["queued", "sending"]  # accepted, but not recorded
    assert not smtp.mail.sent_to(RESPONDENT_MAIL)

    # 2. Restarted after the lease ran out: everything is sent and recorded.
    time.sleep(1.2)
    restarted = run_worker(smtp.port, tmp_path)
    assert restarted.returncode == 0, restarted.stderr

    # Over the wire the in-doubt message went twice, identical (at least once) ...
    wire = [(mid, data) for rcpt, mid, data in smtp.mail.transmissions if rcpt == APPLICANT_MAIL]
    assert [mid for mid, _ in wire] == [first_email.message_id] * 2
    assert wire[0][1] == wire[1][1]
    # ... and the recipient holds exactly one message with that Message-ID.
    assert list(smtp.mail.mailboxes[APPLICANT_MAIL]) == [first_email.message_id]
    assert len(smtp.mail.mailboxes[RESPONDENT_MAIL]) == 1
    assert len(smtp.mail.sent_to(RESPONDENT_MAIL)) == 1  # never in doubt: sent once

    # The record is complete: the interrupted attempt, the second one, the arrival.
    first_email.refresh_from_db()
    assert first_email.state == Delivery.State.ARRIVED and first_email.attempts == 2
    assert kinds(first_email) == ["queued", "sending", "in_doubt", "sending", "sent", "arrived"]
    in_doubt = first_email.events.get(kind=DeliveryEvent.Kind.IN_DOUBT)
    assert in_doubt.detail["message_id"] == first_email.message_id
    for service in Service.objects.all():
        assert service.state == Service.State.EFFECTIVE
        assert service.deliveries.exclude(state=Delivery.State.ARRIVED).count() == 0
        assert service.proof is not None
    proof = Service.objects.get(party=s.applicant).proof
    text = re.sub(
        r"\s+",
        "",
        "".join(
            p.extract_text()
            for p in pypdf.PdfReader(io.BytesIO(proof.file.open("rb").read())).pages
        ),
    )
    assert "发送中断，以同一消息标识重发" in text
    assert first_email.message_id in text
