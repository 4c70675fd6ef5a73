"""Every change of a session: one transaction, policy, lifecycle, audit, outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.agreements import otp
from sutiao.audit.log import record
from sutiao.cases import lifecycle as case_lifecycle
from sutiao.cases.errors import CaseError
from sutiao.cases.models import Case
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.delivery.actions import notify

from . import lifecycle, queries
from .errors import MeetingError
from .models import Attendance, DayCheck, MeetingSession, Mode, Participant, ProposedTime, State
from .providers import apply_caucus, provider

MAX_TIMES = 5
EARLY = dt.timedelta(minutes=15)  # the room opens this long before the start


def _locked(pk: int) -> MeetingSession:
    return MeetingSession.objects.select_for_update(of=("self",)).select_related("case").get(pk=pk)


def _checked_times(times: Iterable[tuple[dt.datetime, dt.datetime]]) -> list[tuple]:
    times = list(times)
    now = timezone.now()
    if not times or len(times) > MAX_TIMES:
        message = _("Propose between one and %(n)s times.") % {"n": MAX_TIMES}
        raise Invalid(message, code=MeetingError.BAD_TIMES, fields={"times": [message]})
    for start, end in times:
        if end <= start or start <= now:
            message = _("Each time starts in the future and ends after it starts.")
            raise Invalid(message, code=MeetingError.BAD_TIMES, fields={"times": [message]})
    return times


def _add_times(session: MeetingSession, times: list[tuple]) -> None:
    ProposedTime.objects.bulk_create(
        [ProposedTime(session=session, start=s, end=e) for s, e in times]
    )


@transaction.atomic
def propose(
    *,
    actor: User,
    case: Case,
    title: str,
    times: Iterable[tuple[dt.datetime, dt.datetime]],
    modes: dict[int, str] | None = None,
) -> MeetingSession:
    """The case's mediator proposes times; the participants are the mediator and every party
    that consented to online mediation and has an account (its user). No session while a
    party has not consented (OMR 4, 8; SIR 11: the case's `hold_session` gate)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("mediator").get(pk=case.pk)
    require(actor, "mediate", case)
    _parties_consented(case)
    times = _checked_times(times)
    title = (title or "").strip() or _("Mediation session")
    parties = [p for p in case.parties.select_related("user") if p.consents_online and p.user_id]
    if not parties:
        raise Invalid(
            _("No party has consented to online mediation yet."), code=MeetingError.NO_PARTICIPANT
        )
    modes = modes or {}
    session = MeetingSession.objects.create(case=case, title=title[:200])
    _add_times(session, times)
    Participant.objects.create(session=session, user=actor, role=Participant.Role.MEDIATOR)
    for party in parties:
        mode = modes.get(party.pk, Mode.ONLINE)
        if mode not in Mode.values:
            raise Invalid(_("Choose how the party takes part."), fields={"modes": [mode]})
        Participant.objects.create(
            session=session, user=party.user, party=party, role="party", mode=mode
        )
    record(
        actor,
        "meetings.proposed",
        session,
        summary=title,
        changes={"times": [[s.isoformat(), e.isoformat()] for s, e in times]},
    )
    return session


def _parties_consented(case: Case) -> None:
    """The case's gate for sessions (OMR 4, 8; SIR 11): every party consented. A session may
    be proposed before the mediator has accepted, so only the precondition is checked."""
    failing = case_lifecycle.TRANSITIONS["hold_session"].failing(case)
    if failing is not None:
        raise Conflict(
            failing.reason,
            code=CaseError.INVALID_TRANSITION,
            transition="hold_session",
            precondition=failing.name,
        )


def join_url(session: MeetingSession) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("meetings:room", args=[session.pk])


def _serve_invitation(
    session: MeetingSession, actor: User, only: list[Participant] | None = None
) -> None:
    parts = only or list(session.participants.select_related("party", "user"))
    notify(
        case=session.case,
        topic="meeting.invitation",
        recipients=[p.party if p.party else p.user for p in parts],
        context={
            "session": {
                "start": session.start,
                "end": session.end,
                "title": session.title,
                "url": join_url(session),
            }
        },
        actor=actor,
    )


@transaction.atomic
def answer(
    *, actor: User, session: MeetingSession, time_id: int | None, note: str = ""
) -> MeetingSession:
    """Accept one proposed time (`time_id`) or ask for another (None, with a note)."""
    session = _locked(session.pk)
    require(actor, "view", session)
    t = lifecycle.machine.check(session, "answer", lifecycle.roles(actor, session))
    me = session.participants.get(user=actor)
    if time_id is None:
        me.response, me.accepted_time, me.note = Participant.Response.ANOTHER, None, note.strip()
    else:
        chosen = session.times.filter(pk=time_id, withdrawn=False).first()
        if chosen is None:
            raise Invalid(
                _("Choose one of the proposed times."),
                code=MeetingError.NOT_A_TIME,
                fields={"time": [_("Choose one of the proposed times.")]},
            )
        me.response, me.accepted_time, me.note = Participant.Response.ACCEPTED, chosen, ""
    me.save()
    lifecycle.machine.move(session, t, at=timezone.now())
    record(actor, "meetings.answered", session, summary=me.response, changes={"time": time_id})
    if session.state == State.SCHEDULED:
        agreed = ProposedTime.objects.get(pk=lifecycle.agreed_time(session) or 0)
        session.start, session.end = agreed.start, agreed.end
        record(actor, "meetings.scheduled", session, summary=agreed.start.isoformat())
        session.save()
        _serve_invitation(session, actor)
    else:
        session.save()
    return session


@transaction.atomic
def reschedule(
    *, actor: User, session: MeetingSession, times: Iterable[tuple], reason: str
) -> MeetingSession:
    session = _locked(session.pk)
    require(actor, "manage", session)
    t = lifecycle.machine.check(session, "reschedule", lifecycle.roles(actor, session))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            _("Say why the session is rescheduled."),
            code=MeetingError.REASON_MISSING,
            fields={"reason": [_("Say why the session is rescheduled.")]},
        )
    times = _checked_times(times)
    session.times.update(withdrawn=True)
    _add_times(session, times)
    session.participants.update(response=Participant.Response.PENDING, accepted_time=None)
    lifecycle.machine.move(session, t, at=timezone.now())
    session.start = session.end = None
    session.reschedule_reason = reason
    session.save()
    record(
        actor,
        "meetings.rescheduled",
        session,
        summary=reason,
        changes={"times": [[s.isoformat(), e.isoformat()] for s, e in times]},
    )
    return session


@transaction.atomic
def set_mode(*, actor: User, participant: Participant, mode: str) -> Participant:
    """OMR 16: the way the party takes part, as agreed with it."""
    session = _locked(participant.session_id)
    require(actor, "manage", session)
    if mode not in Mode.values:
        raise Invalid(_("Choose how the party takes part."), fields={"mode": [_("Choose one.")]})
    participant = session.participants.get(pk=participant.pk)
    participant.mode = mode
    participant.save(update_fields=["mode"])
    record(
        actor, "meetings.mode_set", session, summary=mode, changes={"participant": participant.pk}
    )
    return participant


@transaction.atomic
def invite_judge(*, actor: User, session: MeetingSession, judge: User) -> Participant:
    """On the mediator's request a judge of the case's court joins the session (judicial
    confirmation's questioning uses the same room). In a scheduled session the judge takes
    the agreed time and is served the invitation now; while times are proposed the judge
    answers like everyone and is invited when the session is scheduled. The room admits the
    judge like others: verified, the day's identity check."""
    session = _locked(session.pk)
    require(actor, "manage", session)
    lifecycle.machine.check(session, "invite_judge", lifecycle.roles(actor, session))
    found = User.objects.filter(pk=judge.pk, is_active=True).first()
    if found is None or session.case.court_id not in found.court_ids(Role.JUDGE):
        message = _("Choose a judge of the case's court.")
        raise Invalid(message, code=MeetingError.NOT_A_JUDGE, fields={"judge": [message]})
    judge = found
    if session.participants.filter(user=judge).exists():
        raise Conflict(
            _("This person is a participant of the session already."),
            code=MeetingError.ALREADY_PARTICIPANT,
        )
    p = Participant(session=session, user=judge, role=Participant.Role.JUDGE)
    if session.state == State.SCHEDULED:
        p.response, p.accepted_time_id = (
            Participant.Response.ACCEPTED,
            lifecycle.agreed_time(session),
        )
    p.save()
    record(
        actor, "meetings.judge_invited", session, summary=str(judge), changes={"judge": judge.pk}
    )
    if session.state == State.SCHEDULED:
        _serve_invitation(session, actor, only=[p])
    return p


def _code_purpose(session: MeetingSession) -> str:
    return f"meeting:{session.pk}:{timezone.localdate().isoformat()}"


def _verified_participant(actor: User, session: MeetingSession) -> Participant:
    require(actor, "view", session)
    me = session.participants.select_related("user").get(user=actor)
    if not me.user.identity_verified_at:
        raise Forbidden(
            _("Your identity has not been verified on the platform yet."),
            code=MeetingError.NOT_VERIFIED,
        )
    return me


def request_day_code(*, actor: User, session: MeetingSession):
    """Today's identity check: a one-time code to the verified phone (OMR 17 / OLR 7)."""
    _verified_participant(actor, session)
    return otp.send_code(
        user=actor,
        purpose=_code_purpose(session),
        channel="sms",
        what=_("join the mediation session"),
    )


def _record_check(session: MeetingSession, participant: Participant, by: User, method: str):
    now = timezone.now()
    check, _created = DayCheck.objects.get_or_create(
        participant=participant,
        day=timezone.localdate(now),
        defaults={"method": method, "by": by, "at": now},
    )
    record(
        by,
        "meetings.identity_checked",
        session,
        summary=method,
        changes={"participant": participant.pk},
    )
    return check


def confirm_day_code(*, actor: User, session: MeetingSession, code: str) -> DayCheck:
    me = _verified_participant(actor, session)
    otp.verify_code(user=actor, purpose=_code_purpose(session), code=code)
    with transaction.atomic():
        return _record_check(session, me, actor, DayCheck.Method.CODE)


@transaction.atomic
def confirm_identity(*, actor: User, participant: Participant) -> DayCheck:
    """The mediator confirmed a participant against the ID shown (OMR 17)."""
    session = _locked(participant.session_id)
    require(actor, "manage", session)
    participant = session.participants.select_related("user").get(pk=participant.pk)
    if not participant.user.identity_verified_at:
        raise Forbidden(
            _("This participant's identity has not been verified on the platform."),
            code=MeetingError.NOT_VERIFIED,
        )
    return _record_check(session, participant, actor, DayCheck.Method.MEDIATOR)


def admitted(user, session_id: int, now: dt.datetime | None = None) -> Participant:
    """The participant `user` is in session `session_id`, if the room admits them now:
    scheduled participant, verified, within the window, checked today. NotFound for a
    stranger or another case's id; Forbidden with the reason otherwise."""
    now = now or timezone.now()
    session = MeetingSession.objects.select_related("case").filter(pk=session_id).first()
    if session is None or not getattr(user, "is_authenticated", False):
        raise NotFound()
    me = session.participants.select_related("user", "party").filter(user=user).first()
    if me is None:
        raise NotFound()
    if session.state != State.SCHEDULED or session.start is None or session.end is None:
        raise Forbidden(_("The session is not scheduled."))
    if not (session.start - EARLY <= now < session.end):
        raise Forbidden(_("The room opens 15 minutes before the start and closes at the end."))
    if not me.user.identity_verified_at:
        raise Forbidden(_("Your identity has not been verified on the platform yet."))
    if case_lifecycle.not_consented(session.case):  # OMR 4, 8: every party consented first
        raise Forbidden(_("A party of the case has not consented to online mediation."))
    if not me.checks.filter(day=timezone.localdate(now)).exists():
        raise Forbidden(_("Confirm your identity for today's session first."))
    return me


@transaction.atomic
def record_attendance(*, participant: Participant, kind: str) -> Attendance:
    """Called by the signalling server: joined (or reconnected, after a leave) and left."""
    session = _locked(participant.session_id)
    return _attend(session, participant, kind)


@transaction.atomic
def record_media_attendance(*, participant: Participant, kind: str) -> Attendance | None:
    """A media server's word (LiveKit's webhook) that a participant joined or left its room:
    recorded as a join or a leave only where the attendance does not already say so (the
    signalling WebSocket usually has); None when it changed nothing."""
    session = _locked(participant.session_id)
    last = session.attendance.filter(participant=participant).order_by("-at", "-id").first()
    present = last is not None and last.kind != Attendance.Kind.LEFT
    if present == (kind != Attendance.Kind.LEFT):
        return None
    return _attend(session, participant, kind)


def _attend(session: MeetingSession, participant: Participant, kind: str) -> Attendance:
    last = session.attendance.filter(participant=participant).order_by("-at", "-id").first()
    if kind == Attendance.Kind.LEFT and last is not None and last.kind == kind:
        return last  # closed already (the session ended before this socket closed)
    if kind == Attendance.Kind.JOINED and last is not None:
        kind = Attendance.Kind.RECONNECTED
    row = Attendance.objects.create(
        session=session, participant=participant, kind=kind, at=timezone.now()
    )
    record(participant.user, f"meetings.{kind}", session, summary=str(participant))
    return row


def post_chat(*, participant: Participant, body: str):
    """Text chat in the room is a message of the case (kept with it); in a separate talk the
    messages of its side are the case's private caucus messages with that party."""
    from sutiao.cases.actions import post_message

    session = MeetingSession.objects.select_related("case", "caucus_with__party").get(
        pk=participant.session_id
    )
    inside = session.caucus_with
    private = inside is not None and (participant.role == "mediator" or participant == inside)
    return post_message(
        actor=participant.user,
        case=session.case,
        body=body,
        caucus_party=inside.party if private and inside is not None else None,
    )


def _push_caucus(session: MeetingSession) -> None:
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from .consumers import caucus_event, room_group

    payload = caucus_event(session)
    transaction.on_commit(
        lambda: async_to_sync(get_channel_layer().group_send)(
            room_group(session.pk), {"type": "room.caucus", "payload": payload}
        )
    )


@transaction.atomic
def start_caucus(*, actor: User, session: MeetingSession, participant: Participant):
    """背对背调解: the mediator talks with one side alone; the room stops relaying signalling
    and chat between the sides, and the other side is told the mediator is in a separate talk."""
    session = _locked(session.pk)
    require(actor, "manage", session)
    lifecycle.machine.check(session, "caucus", lifecycle.roles(actor, session))
    found = session.participants.filter(pk=participant.pk, role="party").first()
    if found is None:
        raise Invalid(_("Choose a party of the session."), code=MeetingError.NOT_A_SIDE)
    participant, before = found, session.caucus_with_id
    session.caucus_with = participant
    session.save(update_fields=["caucus_with"])
    record(actor, "meetings.caucus_started", session, summary=str(participant))
    apply_caucus(session, before)  # Janus parts the sides, or nothing changes
    _push_caucus(session)
    return session


@transaction.atomic
def end_caucus(*, actor: User, session: MeetingSession):
    session = _locked(session.pk)
    require(actor, "manage", session)
    lifecycle.machine.check(session, "caucus", lifecycle.roles(actor, session))
    before = session.caucus_with_id
    session.caucus_with = None
    session.save(update_fields=["caucus_with"])
    record(actor, "meetings.caucus_ended", session)
    apply_caucus(session, before)
    _push_caucus(session)
    return session


def media_for(participant: Participant) -> dict:
    """What an admitted participant's page needs for the media (the provider's room and, for
    Janus, their own token on the room's list). Called by the signalling consumer only after
    `admitted`."""
    session = MeetingSession.objects.get(pk=participant.session_id)
    return provider().admit(session, participant)


@transaction.atomic
def end_session(*, actor: User, session: MeetingSession) -> MeetingSession:
    """The mediator ends the session: nobody is admitted any more, and the provider's media
    room is destroyed once this is committed (Janus: no token opens it again)."""
    session = _locked(session.pk)
    require(actor, "manage", session)
    t = lifecycle.machine.check(session, "end", lifecycle.roles(actor, session))
    return close(session, t, actor)


def close(session: MeetingSession, t, actor: User | str) -> MeetingSession:
    """End the locked `session` by the checked transition `t`: the mediator's "end" or the
    scheduler's at the end time (meetings/timing.py). Its recording stops, the attendance of
    whoever is still present is closed, every page is told "ended" and its socket closes, and
    the provider's media room is destroyed, all once this is committed."""
    lifecycle.machine.move(session, t, at=timezone.now())
    session.caucus_with = None
    session.save()
    if session.recording_since is not None:
        from .recording import _stop  # recording imports nothing of actions: no cycle

        _stop(session, actor, "ended")
    record(actor, "meetings.ended", session)
    for p in session.participants.filter(pk__in=queries.present(session.pk)):
        _attend(session, p, Attendance.Kind.LEFT)
    transaction.on_commit(lambda: _push_ended(session.pk), robust=True)
    transaction.on_commit(lambda: provider().close(session), robust=True)
    return session


def _push_ended(session_id: int) -> None:
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from .consumers import room_group

    async_to_sync(get_channel_layer().group_send)(room_group(session_id), {"type": "room.ended"})
