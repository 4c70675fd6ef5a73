"""The messages that leave: a delivery queued per channel (the worker's queue), with its text
rendered in the recipient's language, and the notifications a user receives."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.cases.models import Case, Party
from sutiao.core.links import site_link
from sutiao.workdays.periods import provisional_note

from .. import messages
from ..models import Channel, Delivery, Preference, Service
from ..queries import preference
from .common import Ev, event, message_id_domain


def _sender(case: Case) -> str:
    if case.court is not None:
        return case.court.name
    if case.org is not None:
        return case.org.name
    return _("Sutiao platform")


def _deadline(case: Case) -> str:
    """The case's deadline as notices print it, with the provisional note where it applies."""
    if not case.deadline_at:
        return ""
    day = messages.local_time(case.deadline_at)[:10]
    note = provisional_note(case.deadline_provisional_year)
    return f"{day}（{note}）" if note else day


def base_context(case: Case, party: Party | None = None) -> dict[str, Any]:
    mediator = case.mediator.name if case.mediator else (case.org.name if case.org else "")
    return {
        "case_number": case.number or case.title,
        "case_title": case.title,
        "sender": _sender(case),
        "party_name": party.name if party else "",
        "mediator": mediator,
        "deadline": _deadline(case),
    }


def flatten(context: dict[str, Any]) -> dict[str, Any]:
    """A caller's context as the message templates see it (a session's times in Beijing)."""
    flat = dict(context)
    session = context.get("session")
    if isinstance(session, dict):
        flat.update(
            session_title=session.get("title", ""),
            session_start=messages.local_time(session.get("start")),
            session_end=messages.local_time(session.get("end")),
            session_url=session.get("url", ""),
        )
    return flat


def enqueue(
    *,
    channel: str,
    purpose: str,
    address: str,
    key: str,
    context: dict[str, Any],
    language: str,
    now: dt.datetime,
    service: Service | None = None,
    user: User | None = None,
    case: Case | None = None,
) -> Delivery | None:
    token = secrets.token_urlsafe(16)
    link = site_link("delivery:open", token)
    texts = messages.render(key, language, {**context, "link": link})
    if channel == Channel.INBOX:
        subject, body = texts.inbox_title, texts.inbox_body
    elif channel == Channel.EMAIL:
        subject, body = texts.email_subject, texts.email_body
    else:
        subject, body = "", (settings.SMS_SIGNATURE + texts.sms) if texts.sms else ""
    if not (subject or body):
        return None  # this message has no text for this channel
    session = context.get("session")
    ics = ""
    if channel == Channel.EMAIL and isinstance(session, dict) and session.get("start"):
        ics = messages.ics_for({"uid": f"{token}@{message_id_domain()}", **session}, stamp=now)
    d = Delivery.objects.create(
        service=service,
        user=user,
        case=case or (service.case if service else None),
        channel=channel,
        purpose=purpose,
        address=address,
        token=token,
        message_id=f"<{token}@pending.invalid>",
        language=language,
        subject=subject[:300],
        body=body,
        ics=ics,
        available_at=now,
        created_at=now,
    )
    d.message_id = f"<delivery-{d.pk}-{token}@{message_id_domain()}>"
    d.save(update_fields=["message_id"])
    event(
        Ev.QUEUED,
        service=service,
        delivery=d,
        at=now,
        channel=channel,
        purpose=purpose,
        message_id=d.message_id,
    )
    return d


def enqueue_each(
    routes: Iterable[tuple[str, str, User | None]],
    *,
    purpose: str,
    key: str,
    context: dict[str, Any],
    language: str,
    now: dt.datetime,
    service: Service | None = None,
    case: Case | None = None,
) -> list[Delivery | None]:
    """One message queued once per route (channel, address, the user it is for), in order;
    None where the message has no text for that channel."""
    return [
        enqueue(
            channel=channel,
            purpose=purpose,
            address=address,
            key=key,
            context=context,
            language=language,
            now=now,
            service=service,
            user=user,
            case=case,
        )
        for channel, address, user in routes
    ]


def notify_user(
    user: User,
    topic: str,
    *,
    now: dt.datetime,
    case: Case | None = None,
    context: dict[str, Any] | None = None,
    party: Party | None = None,
    sms: bool = False,
) -> None:
    """The inbox always; e-mail as the user prefers; with `sms` (the notice asks the person
    to act) an SMS too, unless the user turned SMS prompts off."""
    language = messages.language_of(user)
    ctx = {**(base_context(case, party) if case else {}), **flatten(context or {})}
    ctx["party_name"] = party.name if party else user.display_name
    addresses = [(Channel.INBOX, user.get_username())]
    pref = preference(user)
    if user.email and pref.notices == Preference.Notices.IMMEDIATE:
        addresses.append((Channel.EMAIL, user.email))
    if sms and user.phone and pref.sms_prompts:
        addresses.append((Channel.SMS, user.phone))
    enqueue_each(
        [(channel, address, user) for channel, address in addresses],
        purpose=Delivery.Purpose.NOTIFICATION,
        key=topic,
        context=ctx,
        language=language,
        now=now,
        case=case,
    )
