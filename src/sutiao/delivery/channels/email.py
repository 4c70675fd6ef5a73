"""E-mail: the served document attached, a session's iCalendar invitation, a fixed Message-ID.

Every attempt builds the same bytes (Message-ID, Date and MIME boundary come from the
delivery row), so a message sent again after an interrupted attempt is the same message, and
a mail system that keeps one copy per Message-ID keeps one (docs/delivery.md).
"""

from __future__ import annotations

import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import Outcome, Permanent

MIME = policy.SMTP.clone(cte_type="7bit")  # CRLF, and no 8-bit bodies a relay may refuse


def build(delivery) -> bytes:
    message = EmailMessage(policy=MIME)
    message["Subject"] = delivery.subject
    message["From"] = settings.DEFAULT_FROM_EMAIL
    message["To"] = delivery.address
    message["Date"] = format_datetime(timezone.localtime(delivery.created_at))
    message["Message-ID"] = delivery.message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Sutiao-Delivery"] = delivery.token
    message.set_content(delivery.body)
    service = delivery.service
    if service is not None and service.document_id:
        with service.document.file.open("rb") as fh:
            data = fh.read()
        message.add_attachment(
            data, maintype="application", subtype="pdf", filename=f"{service.title[:80]}.pdf"
        )
    if delivery.ics:
        message.add_attachment(
            delivery.ics,
            subtype="calendar",
            params={"method": "PUBLISH"},
            filename="invitation.ics",
        )
    if message.is_multipart():
        message.set_boundary(f"=_sutiao_{delivery.token}")
    return message.as_bytes()


def _envelope_from() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


class SmtpEmail:
    """Real SMTP (SUTIAO_EMAIL_HOST/PORT/USER/PASSWORD/USE_TLS/USE_SSL). The server's 250 to
    the message data is the arrival: the mail server is the recipient's system (or a relay
    that delivers for it, docs/delivery.md)."""

    def send(self, delivery) -> Outcome:
        data = build(delivery)
        cls = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
        with cls(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT) as smtp:
            smtp.ehlo_or_helo_if_needed()
            if settings.EMAIL_USE_TLS:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.EMAIL_HOST_USER:
                smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
            code, reply = smtp.mail(_envelope_from())
            if code != 250:
                smtp.rset()
                raise _refused("MAIL", code, reply)
            code, reply = smtp.rcpt(delivery.address)
            if code not in (250, 251):
                smtp.rset()
                raise _refused("RCPT", code, reply)
            code, reply = smtp.data(data)
            if code != 250:
                raise _refused("DATA", code, reply)
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return Outcome(arrived=True, detail={"smtp": f"{code} {text}"[:200], "bytes": len(data)})


def _refused(stage: str, code: int, reply) -> Exception:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    message = f"SMTP {stage} {code} {text}"[:300]
    # 5xx: the server refuses this message for good; 4xx: come back later.
    return Permanent(message) if 500 <= code < 600 else smtplib.SMTPResponseException(code, text)


class FileEmail:
    """The embedded default until an SMTP server is configured: the message is kept as an
    .eml file in $DATA_DIR/mail/. It is recorded as sent, never as arrived."""

    def send(self, delivery) -> Outcome:
        folder = Path(settings.DATA_DIR) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{delivery.token}.eml"
        path.write_bytes(build(delivery))
        return Outcome(arrived=False, detail={"file": path.name})
