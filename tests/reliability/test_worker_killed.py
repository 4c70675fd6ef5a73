"""A delivery worker killed (SIGKILL, from outside) in the middle of a delivery → after a
restart the recipient holds the document exactly once and the record says so.

The worker is a real `sutiao delivery work --once` process on this test's database. The mail
server takes the message's data and then holds its answer, so the worker is waiting for the
server's "250" when the test kills it: the message was never accepted. A second worker, once
the lease ran out, sends it again (the same Message-ID) and records the arrival."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from sutiao.delivery import actions
from sutiao.delivery.models import Delivery, Service
from tests.delivery.conftest import (
    APPLICANT_MAIL,
    RESPONDENT_MAIL,
    MailSystem,
    SmtpServer,
    build_case,
    free_port,
)
from tests.delivery.test_worker_killed_after_accept import (
    _database_url,
    _sutiao,
    kinds,
    run_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)


class HoldingMailSystem(MailSystem):
    """Holds its answer to the first message's data until `release` is set, then refuses it
    (the sender is gone by then); later messages are accepted at once."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        if self.held == 0:
            self.held += 1
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 sender went away"
        return await super().handle_DATA(server, session, envelope)


def _start_worker(smtp_port: int, data_dir: Path) -> subprocess.Popen:
    """`sutiao delivery work --once` as run_worker starts it, without waiting for it."""
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
    return subprocess.Popen([*_sutiao(), "delivery", "work", "--once"], env=env, cwd=data_dir)


@pytest.fixture
def holding_smtp(settings):
    server = SmtpServer(free_port())
    server.mail = HoldingMailSystem()
    server.start()
    settings.DELIVERY_EMAIL_BACKEND = "smtp"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    yield server
    server.mail.release.set()
    server.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_worker_killed_mid_delivery_then_restarted_delivers_exactly_once(
    holding_smtp, media, tmp_path
):
    s = build_case()
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    mail = holding_smtp.mail
    worker = _start_worker(holding_smtp.port, tmp_path)
    try:
        assert mail.holding.wait(180), "the worker never sent the message's data"
        os.kill(worker.pid, signal.SIGKILL)  # waiting for the server's answer: mid-delivery
        assert worker.wait(30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
    mail.release.set()
    held = Delivery.objects.get(state=Delivery.State.SENDING)
    assert held.attempts == 1 and not mail.transmissions  # nothing was accepted

    time.sleep(1.2)  # the killed worker's lease runs out
    restarted = run_worker(holding_smtp.port, tmp_path)
    assert restarted.returncode == 0, restarted.stderr

    # Exactly once: each recipient accepted one message, the held one with its Message-ID.
    for address in (APPLICANT_MAIL, RESPONDENT_MAIL):
        assert len(mail.sent_to(address)) == 1, (address, mail.transmissions)
        assert len(mail.mailboxes[address]) == 1
    assert held.message_id in {mid for _rcpt, mid, _data in mail.transmissions}
    held.refresh_from_db()
    assert held.state == Delivery.State.ARRIVED and held.attempts == 2
    assert kinds(held)[-2:] == ["sent", "arrived"] and "in_doubt" in kinds(held)
    for service in Service.objects.all():
        assert service.state == Service.State.EFFECTIVE and service.proof is not None
