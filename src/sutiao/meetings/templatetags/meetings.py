"""The sessions section of a case page."""

from __future__ import annotations

from django import template

from sutiao.cases import lifecycle as case_lifecycle
from sutiao.core.policy import can

from .. import queries, replacement

register = template.Library()


@register.inclusion_tag("meetings/_case_section.html", takes_context=True)
def case_sessions(context, case):
    user = context["request"].user
    return {
        "case": case,
        "sessions": list(queries.sessions_of_case(user, case)[:20]),
        # OMR 4, 8: the button only where proposing is possible (every party consented).
        "may_propose": can(user, "mediate", case)
        and case_lifecycle.TRANSITIONS["hold_session"].failing(case) is None,
    }


@register.inclusion_tag("meetings/_recordings.html", takes_context=True)
def session_recordings(context, case):
    """OMR 22 on the case page: the complete recordings not yet the record of their session,
    with the parties' consents that one replaces the written transcript, and the buttons."""
    user = context["request"].user
    parties = list(case.parties.all())
    rows = replacement.rows_for(user, replacement.complete_recordings(case), parties)
    return {"rows": [r for r in rows if not r.is_record], "request": context["request"]}


@register.inclusion_tag("meetings/_recording_record.html")
def recording_record(transcript):
    """The recording that stands as this session record: its hash, duration and consents."""
    rec = replacement.recording_of(transcript)
    return {"t": transcript, "rec": rec, "consents": replacement.standing_consents(rec)}


@register.filter
def duration_text(seconds) -> str:
    """A recording's duration as h:mm:ss (or m:ss); "—" when unknown."""
    if seconds is None:
        return "—"
    total = round(float(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
