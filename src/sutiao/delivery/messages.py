"""Message texts kept as data, rendered per recipient language; iCalendar invitations.

The packaged texts are `data/templates.json` (Chinese and English, one entry per topic); a
`MessageTemplate` row with the same key and language, edited in the admin, takes precedence.
Texts are Django templates rendered without HTML escaping (they are plain text).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template import engines
from django.utils import timezone, translation

DATA = Path(__file__).with_name("data") / "templates.json"
LANGUAGES = ("zh-hans", "en")
PARTS = ("email_subject", "email_body", "sms", "inbox_title", "inbox_body")


@cache
def packaged() -> dict[str, dict[str, Any]]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def topic_info(key: str) -> dict[str, Any]:
    """`formal` (served, with a proof) or a plain notification, and the service kind."""
    entry = packaged().get(key) or packaged()["notice"]
    return {"formal": entry.get("formal", False), "kind": entry.get("kind", "notice")}


def known(key: str) -> bool:
    return key in packaged()


def language_of(user) -> str:
    lang = (getattr(user, "preferred_language", "") or "").lower()
    return lang if lang in LANGUAGES else settings.LANGUAGE_CODE


@dataclass
class Rendered:
    language: str
    email_subject: str
    email_body: str
    sms: str
    inbox_title: str
    inbox_body: str


def _texts(key: str, language: str) -> dict[str, str]:
    from .models import MessageTemplate

    entry = packaged().get(key) or packaged()["notice"]
    texts = dict(entry.get(language) or entry[settings.LANGUAGE_CODE])
    row = MessageTemplate.objects.filter(key=key, language=language).first()
    if row is not None:
        texts.update({part: getattr(row, part) for part in PARTS if getattr(row, part)})
    return texts


def _render(text: str, context: dict[str, Any]) -> str:
    template = engines["django"].from_string("{% autoescape off %}" + text + "{% endautoescape %}")
    return template.render(context).strip()


def render(key: str, language: str, context: dict[str, Any]) -> Rendered:
    texts = _texts(key, language)
    with translation.override(language):
        ctx = {"site_url": settings.SITE_URL.rstrip("/"), **context}
        return Rendered(language=language, **{p: _render(texts.get(p, ""), ctx) for p in PARTS})


def jsonable(context: dict[str, Any] | None) -> dict[str, Any]:
    """A context as it can be stored (datetimes as ISO text)."""
    return json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def local_time(value: dt.datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


# iCalendar (RFC 5545) ------------------------------------------------------------------


def _ics_text(value: str) -> str:
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def _utc(value: dt.datetime | str) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_for(session: dict[str, Any], *, stamp: dt.datetime) -> str:
    """An invitation to a scheduled session: {uid, start, end, title, description?, url?,
    location?}; start and end are aware datetimes or ISO text."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sutiao//Electronic service//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{session['uid']}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(session['start'])}",
        f"DTEND:{_utc(session['end'])}",
        f"SUMMARY:{_ics_text(session.get('title', ''))}",
    ]
    if session.get("description"):
        lines.append(f"DESCRIPTION:{_ics_text(session['description'])}")
    if session.get("location"):
        lines.append(f"LOCATION:{_ics_text(session['location'])}")
    if session.get("url"):
        lines.append(f"URL:{session['url']}")
    lines += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-PT30M",
        f"DESCRIPTION:{_ics_text(session.get('title', ''))}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
