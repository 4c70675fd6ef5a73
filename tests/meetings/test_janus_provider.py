"""The Janus provider against a real Janus (Debian's, started here with its own config on
127.0.0.1; no media flow in this module, so no network namespace is needed): one VideoRoom
per session, which admits only the tokens the platform handed to that session's admitted
participants; ended, the room is gone. And the default is still the mesh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Forbidden
from sutiao.institutions.models import Court
from sutiao.meetings import actions, recording, timing
from sutiao.meetings.errors import MeetingError
from sutiao.meetings.models import Recording
from sutiao.meetings.providers import ProviderUnavailable, provider
from sutiao.meetings.providers.janus import Janus as JanusProvider
from tests.delivery.conftest import build_case

from .conftest import check_everyone, mediator_of, schedule
from .janus_server import janus_server, try_join

REFUSED = 433  # VideoRoom: "Unauthorized (not in the allowed list)"
NO_SUCH_ROOM = 426


@pytest.fixture(scope="module")
def janus(tmp_path_factory):
    with janus_server(tmp_path_factory.mktemp("janus")) as server:
        yield server


@pytest.fixture
def on_janus(janus, settings):
    settings.MEETINGS_PROVIDER = "janus"
    settings.JANUS_URL, settings.JANUS_WS_URL = janus.http, janus.ws
    settings.JANUS_ADMIN_KEY = janus.admin_key
    return janus


def _admitted_session(s, start=None):
    session = schedule(s, start=start)
    check_everyone(session, s)
    return session


def test_the_default_provider_is_the_mesh(served):
    session = _admitted_session(served)
    me = actions.admitted(served.applicant_user, session.pk)
    assert provider().name == "mesh"
    assert actions.media_for(me) == {"provider": "mesh"}


def test_janus_room_admits_only_that_sessions_tokens(on_janus, served):
    session = _admitted_session(served)
    Court.objects.filter(pk=served.case.court_id).update(name="上海知识产权法院")  # unique names
    other = _admitted_session(build_case())
    me = actions.admitted(served.applicant_user, session.pk)
    media = actions.media_for(me)
    assert media["provider"] == "janus" and media["room"] == session.pk
    assert media["server"] == on_janus.ws and media["display"] == str(me.pk)
    assert try_join(on_janus, session.pk, media["token"])["videoroom"] == "joined"
    # A token of another session (handed out for that session's room), or none: refused.
    stranger = other.participants.get(user=other.case.mediator.user)
    their = actions.media_for(actions.admitted(stranger.user, other.pk))
    assert try_join(on_janus, session.pk, their["token"])["error_code"] == REFUSED
    assert try_join(on_janus, session.pk, None)["error_code"] == REFUSED
    assert try_join(on_janus, session.pk, "0" * 40)["error_code"] == REFUSED
    # A participant's token is theirs alone: the respondent was not admitted yet.
    respondent = session.participants.get(user=served.respondent_user)
    unissued = JanusProvider.from_settings().token(session, respondent)
    assert try_join(on_janus, session.pk, unissued)["error_code"] == REFUSED


def test_ending_the_session_destroys_its_janus_room(
    on_janus, served, django_capture_on_commit_callbacks
):
    session = _admitted_session(served)
    media = actions.media_for(actions.admitted(served.applicant_user, session.pk))
    with django_capture_on_commit_callbacks(execute=True):
        actions.end_session(actor=mediator_of(served), session=session)
    assert try_join(on_janus, session.pk, media["token"])["error_code"] == NO_SUCH_ROOM
    assert AuditEntry.objects.filter(action="meetings.ended").count() == 1
    with pytest.raises(Forbidden):  # ended: nobody is admitted any more
        actions.admitted(served.applicant_user, session.pk)


def test_the_end_time_job_destroys_the_janus_room_too(
    on_janus, served, django_capture_on_commit_callbacks
):
    """Whatever the provider the platform ends the session at its end time (+ the grace)."""
    session = _admitted_session(served)
    media = actions.media_for(actions.admitted(served.applicant_user, session.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert timing.end_overdue(now=session.end + timing.grace()) == [session.pk]
    assert try_join(on_janus, session.pk, media["token"])["error_code"] == NO_SUCH_ROOM
    assert AuditEntry.objects.get(action="meetings.ended").actor_label == "system"


def test_an_unreachable_media_server_is_a_clear_refusal(served, settings):
    settings.MEETINGS_PROVIDER = "janus"
    settings.JANUS_URL = "http://127.0.0.1:9/janus"  # discard port: nothing answers
    session = _admitted_session(served, start=timezone.now() + dt.timedelta(minutes=5))
    me = actions.admitted(served.applicant_user, session.pk)
    with pytest.raises(ProviderUnavailable) as refused:
        actions.media_for(me)
    assert refused.value.code == MeetingError.PROVIDER_UNAVAILABLE
    assert refused.value.status == 503


def test_a_recording_janus_cannot_start_is_refused_and_leaves_nothing(served, settings):
    """On Janus the media server records: if it does not answer, the start is refused (no
    recording row, nothing audited, the session not marked as recorded)."""
    session = _admitted_session(served)
    settings.MEETINGS_PROVIDER = "janus"
    settings.JANUS_URL = "http://127.0.0.1:9/janus"  # discard port: nothing answers
    with pytest.raises(ProviderUnavailable):
        recording.start(actor=mediator_of(served), session=session)
    session.refresh_from_db()
    assert session.recording_since is None
    assert not Recording.objects.filter(session=session).exists()
    assert not AuditEntry.objects.filter(action="meetings.recording_started").exists()


def test_janus_turns_a_rooms_recording_on_and_off_with_the_platforms_secret_only(on_janus, served):
    """The room is created with `lock_record` and the platform's secret: `enable_recording`
    with it succeeds, and with a wrong secret Janus refuses."""
    session = _admitted_session(served)
    actions.media_for(actions.admitted(served.applicant_user, session.pk))  # the room exists
    janus = JanusProvider.from_settings()
    rec = Recording.objects.create(
        session=session, by=mediator_of(served), started_at=timezone.now()
    )
    janus.start_recording(session, rec)
    assert janus.stop_recording(session) == {}  # nobody publishes: no track to name
    with pytest.raises(ProviderUnavailable) as refused:
        janus.videoroom(
            {"request": "enable_recording", "room": session.pk, "secret": "x", "record": True}
        )
    assert refused.value.details.get("janus_error") == REFUSED
