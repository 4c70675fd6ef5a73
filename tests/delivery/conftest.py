"""Fixtures of electronic service: a real SMTP server on 127.0.0.1 (aiosmtpd) standing for the
recipients' mail system, a case whose two parties consented to electronic service, a ruling
to serve, and for the browser test the platform served over ASGI (uvicorn, HTTP and WebSocket)
in this process, with Debian's chromium from tests/browser_support.py."""

from __future__ import annotations

import email
import logging
import socket
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from email import policy

import pytest
from aiosmtpd.controller import Controller

from sutiao.accounts.models import User
from sutiao.cases import actions as case_actions
from sutiao.cases.models import Case, Party
from sutiao.core.models import OutboxEvent
from sutiao.documents import actions as documents
from sutiao.documents.models import Document
from tests import factories
from tests.cases import factories as cf
from tests.cases.conftest import log_in, path_of, small_pdf  # noqa: F401  (browser test steps)

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command

APPLICANT_MAIL = "zhang@applicant.example"
RESPONDENT_MAIL = "legal@respondent.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSystem:
    """The recipients' mail system behind 127.0.0.1.

    `transmissions`: every message whose data the server accepted (250), in order, with its
    Message-ID and raw bytes: what went over the wire. `mailboxes[address]`: what each
    recipient holds, one message per Message-ID, as mailbox stores such as Gmail and Exchange
    keep a second copy with the same Message-ID out of the mailbox (docs/delivery.md)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.transmissions: list[tuple[str, str, bytes]] = []
        self.mailboxes: dict[str, dict[str, email.message.EmailMessage]] = defaultdict(dict)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message_id = str(message["Message-ID"])
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.transmissions.append((rcpt, message_id, bytes(envelope.content)))
                self.mailboxes[rcpt].setdefault(message_id, message)
        return "250 2.0.0 Ok: queued"

    def sent_to(self, address: str) -> list[str]:
        return [mid for rcpt, mid, _data in self.transmissions if rcpt == address]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.mail = MailSystem()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mail, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """A running SMTP server the platform sends through; `smtp.stop()` / `smtp.start()` take it
    down and bring it back on the same port."""
    server = SmtpServer(free_port())
    server.start()
    settings.DELIVERY_EMAIL_BACKEND = "smtp"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Served:
    case: Case
    applicant: Party
    respondent: Party
    applicant_user: User
    respondent_user: User
    judge: User
    clerk: User
    ruling: Document


def handled_earlier_steps() -> None:
    """The case's earlier steps left their own notices in the outbox; these tests are about
    the document they serve (tests of the notices are in test_notices.py)."""
    from django.utils import timezone

    OutboxEvent.objects.filter(delivered_at__isnull=True).update(delivered_at=timezone.now())


def ruling(case: Case, title: str = "民事裁定书（确认调解协议效力）") -> Document:
    return documents.register_document(
        kind=Document.Kind.CONFIRMATION,
        title=title,
        case_number=case.number,
        pdf_bytes=small_pdf(title),
        verify_code=documents.new_verify_code(),
    )


def build_case(
    *,
    respondent_consents: bool = True,
    respondent_email: str = RESPONDENT_MAIL,
    notices: bool = False,
) -> Served:
    court = factories.court("北京知识产权法院", code="京73")
    clerk = factories.person("court_clerk", court=court)
    judge = factories.person("judge", court=court)
    applicant_user = factories.person("party")
    respondent_user = factories.person("party")
    mediator = cf.rostered_mediator(court, name="王调解")
    case = cf.submitted_case(
        court,
        applicant=applicant_user,
        respondent_user=respondent_user,
        respondent_consents=respondent_consents,
    )
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    case_actions.give_consent(
        actor=applicant_user,
        case=case,
        party=applicant,
        online=True,
        e_service=True,
        service_email=APPLICANT_MAIL,
        notice_acknowledged=True,
    )
    if respondent_consents:
        case_actions.give_consent(
            actor=respondent_user,
            case=case,
            party=respondent,
            online=True,
            e_service=True,
            service_email=respondent_email,
            notice_acknowledged=True,
        )
    else:
        Party.objects.filter(pk=respondent.pk).update(email=respondent_email)
    case = case_actions.delegate(actor=clerk, case=case, mediator=mediator)
    if not notices:
        handled_earlier_steps()
    applicant.refresh_from_db()
    respondent.refresh_from_db()
    return Served(
        case, applicant, respondent, applicant_user, respondent_user, judge, clerk, ruling(case)
    )


@pytest.fixture
def served_case(db, media) -> Served:
    return build_case()


def wait_for(predicate, timeout: float = 10.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
