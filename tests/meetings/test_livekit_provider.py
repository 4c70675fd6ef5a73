"""The LiveKit provider through livekit-api: each admitted participant's token, verified with
livekit-api's own TokenVerifier (room, identity, grants, expiry); no participant of another
session gets a grant for this session's room; the webhook admits only what LiveKit signed
(livekit-api's own signing, made here) and records attendance through the attendance action;
ending the session removes whoever is in the room and deletes it (RoomService calls, made by
livekit-api's client to a stand-in server that verifies their JWTs: no LiveKit server ran)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import pytest
from django.utils import timezone
from livekit import api

from sutiao.audit.models import AuditEntry
from sutiao.meetings import actions
from sutiao.meetings.models import Attendance
from sutiao.meetings.providers import ProviderUnavailable, provider
from sutiao.meetings.providers.livekit import LiveKit
from tests.delivery.conftest import build_case

from .conftest import check_everyone, mediator_of, schedule
from .livekit_server import fake_livekit

KEY, SECRET = "APIsutiaoTest", "s3cret-livekit-api-secret-of-the-test-0123456789"
WEBHOOK = "/meetings/livekit/webhook/"


@pytest.fixture
def server():
    with fake_livekit(KEY, SECRET) as lk:
        yield lk


@pytest.fixture
def on_livekit(server, settings):
    settings.MEETINGS_PROVIDER = "livekit"
    settings.LIVEKIT_URL = server.url
    settings.LIVEKIT_API_KEY, settings.LIVEKIT_API_SECRET = KEY, SECRET
    return server


def _admitted_session(s):
    session = schedule(s)
    check_everyone(session, s)
    return session


def _two_sessions(served):
    from sutiao.institutions.models import Court

    session = _admitted_session(served)
    Court.objects.filter(pk=served.case.court_id).update(name="上海知识产权法院")  # unique names
    return session, _admitted_session(build_case())


def test_the_token_is_for_this_room_this_identity_until_the_end(on_livekit, served, settings):
    session = _admitted_session(served)
    me = actions.admitted(served.applicant_user, session.pk)
    before = timezone.now()
    media = actions.media_for(me)
    assert provider().name == "livekit"
    assert media["provider"] == "livekit" and media["server"] == on_livekit.url
    assert media["room"] == LiveKit.from_settings().room_name(session)

    claims = api.TokenVerifier(KEY, SECRET).verify(media["token"])
    assert claims.identity == str(me.pk) and claims.name == str(me)
    video = claims.video
    assert video.room == media["room"] and video.room_join
    assert video.can_publish and video.can_subscribe
    assert not (video.room_admin or video.room_create or video.room_list or video.room_record)
    exp = jwt_exp(media["token"])
    end = session.end + dt.timedelta(minutes=settings.MEETINGS_END_GRACE_MINUTES)
    assert abs(exp - end.timestamp()) < 5 and exp > before.timestamp()
    # Signed with the platform's secret only: another secret does not verify it.
    with pytest.raises(Exception, match="Signature"):
        api.TokenVerifier(KEY, "another-secret-of-the-same-length-0123456789abcdef").verify(
            media["token"]
        )


def jwt_exp(token: str) -> int:
    import jwt

    return jwt.decode(token, options={"verify_signature": False})["exp"]


def test_a_participant_of_another_session_never_gets_a_grant_for_this_room(on_livekit, served):
    session, other = _two_sessions(served)
    lk = LiveKit.from_settings()
    stranger = other.participants.get(user=other.case.mediator.user)
    theirs = actions.media_for(actions.admitted(stranger.user, other.pk))
    assert api.TokenVerifier(KEY, SECRET).verify(theirs["token"]).video.room == lk.room_name(other)
    assert lk.room_name(other) != lk.room_name(session)
    # The room names are the platform's: a name made up for this session is not one.
    assert lk.session_id(lk.room_name(session)) == session.pk
    assert lk.session_id(f"sutiao-session-{session.pk}-{'0' * 20}") is None
    # And nobody is admitted to a session they are not a participant of (no token at all).
    from sutiao.core.errors import NotFound

    with pytest.raises(NotFound):
        actions.admitted(stranger.user, session.pk)


def _signed(body: str, key: str = KEY, secret: str = SECRET) -> str:
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    return api.AccessToken(key, secret).with_sha256(digest).to_jwt()


def _event(kind: str, room: str, identity: str) -> str:
    return json.dumps(
        {
            "event": kind,
            "room": {"name": room},
            "participant": {"identity": identity},
            "id": "EV_test",
            "createdAt": str(int(timezone.now().timestamp())),
        }
    )


def _post(client, body: str, auth: str):
    return client.post(
        WEBHOOK, data=body, content_type="application/webhook+json", HTTP_AUTHORIZATION=auth
    )


@pytest.fixture
def hooked(on_livekit, served, client):
    session = _admitted_session(served)
    me = session.participants.get(user=served.applicant_user)
    return session, me, LiveKit.from_settings().room_name(session), client


def test_a_verified_webhook_records_the_join_and_the_leave(hooked):
    from django.test import Client

    session, me, room, client = hooked
    client = Client(enforce_csrf_checks=True)  # CSRF-exempt: its signature authenticates it
    joined = _event("participant_joined", room, str(me.pk))
    answer = _post(client, joined, _signed(joined))
    assert answer.status_code == 200 and answer.json() == {"result": "recorded"}
    assert _post(client, joined, _signed(joined)).json() == {"result": "unchanged"}
    left = _event("participant_left", room, str(me.pk))
    assert _post(client, left, _signed(left)).json() == {"result": "recorded"}
    kinds = list(Attendance.objects.filter(participant=me).order_by("at", "id"))
    assert [a.kind for a in kinds] == ["joined", "left"]
    assert AuditEntry.objects.filter(action="meetings.joined").exists()


def test_an_unverified_webhook_is_refused_and_changes_nothing(hooked):
    session, me, room, client = hooked
    body = _event("participant_joined", room, str(me.pk))
    tampered = body.replace(str(me.pk), str(me.pk + 1))
    audit = AuditEntry.objects.count()
    for auth in (
        _signed(body),  # for another body
        _signed(body, secret="another-secret-of-the-same-length-0123456789abcdef"),
        _signed(body, key="APIanotherKey"),
        "",
        "Bearer not-a-jwt",
    ):
        what = tampered if auth == _signed(body) else body
        assert _post(client, what, auth).status_code == 401, auth
    expired = api.AccessToken(KEY, SECRET).with_ttl(dt.timedelta(seconds=-120))
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    assert _post(client, body, expired.with_sha256(digest).to_jwt()).status_code == 401
    assert client.get(WEBHOOK).status_code == 405
    assert not Attendance.objects.filter(session=session).exists()
    assert AuditEntry.objects.count() == audit


def test_a_webhook_for_someone_not_of_that_session_is_ignored_and_audited(hooked, served):
    from sutiao.institutions.models import Court

    session, me, room, client = hooked
    Court.objects.filter(pk=served.case.court_id).update(name="上海知识产权法院")
    other = _admitted_session(build_case())
    stranger = other.participants.get(user=other.case.mediator.user)
    for body in (
        _event("participant_joined", room, str(stranger.pk)),  # another session's participant
        _event("participant_joined", room, "someone"),
        _event("participant_joined", f"sutiao-session-{session.pk}-{'0' * 20}", str(me.pk)),
    ):
        assert _post(client, body, _signed(body)).json() == {"result": "ignored"}
    assert not Attendance.objects.exists()
    ignored = AuditEntry.objects.filter(action="meetings.media_webhook_ignored")
    assert ignored.count() == 3
    assert "not a participant of this session" in ignored.order_by("id").first().summary


def test_ending_the_session_removes_the_participants_and_deletes_the_room(
    on_livekit, served, django_capture_on_commit_callbacks
):
    session = _admitted_session(served)
    room = LiveKit.from_settings().room_name(session)
    on_livekit.rooms[room] = ["11", "12"]
    on_livekit.rooms["sutiao-session-999999-other"] = ["13"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.end_session(actor=mediator_of(served), session=session)
    assert on_livekit.calls == [
        ("ListParticipants", room, ""),
        ("RemoveParticipant", room, "11"),
        ("RemoveParticipant", room, "12"),
        ("DeleteRoom", room, ""),
    ]
    assert room not in on_livekit.rooms and "sutiao-session-999999-other" in on_livekit.rooms
    assert on_livekit.refused == []


def test_closing_a_room_nobody_joined_is_no_error(on_livekit, served):
    session = _admitted_session(served)
    LiveKit.from_settings().close(session)
    assert [c[0] for c in on_livekit.calls] == ["ListParticipants"]


def test_the_room_service_calls_need_the_right_secret(on_livekit, served, settings):
    session = _admitted_session(served)
    on_livekit.rooms[LiveKit.from_settings().room_name(session)] = ["11"]
    settings.LIVEKIT_API_SECRET = "another-secret-of-the-same-length-0123456789abcdef"
    with pytest.raises(ProviderUnavailable):
        LiveKit.from_settings().close(session)
    assert on_livekit.calls == [] and len(on_livekit.refused) == 1
    settings.LIVEKIT_URL = "http://127.0.0.1:9"  # nothing answers
    with pytest.raises(ProviderUnavailable):
        LiveKit.from_settings().close(session)


def test_without_livekit_configured_every_webhook_is_refused(served, client, settings):
    settings.LIVEKIT_API_KEY = settings.LIVEKIT_API_SECRET = ""
    body = _event("participant_joined", "sutiao-session-1-" + "0" * 20, "1")
    assert _post(client, body, _signed(body)).status_code == 401
