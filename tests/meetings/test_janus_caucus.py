"""A separate talk (背对背调解) on Janus, against a real Janus (no media: no namespace needed):
the server parts the sides (each side's tokens open only its side's room, nobody of the other
side can publish to or subscribe from it), puts them back together at the end, and a media
server that does not answer leaves the talk as it was (the platform never believes the sides
apart while Janus still carries them across). The pages' media: janus_in_netns.py."""

from __future__ import annotations

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.meetings import actions
from sutiao.meetings.errors import MeetingError
from sutiao.meetings.models import Attendance
from sutiao.meetings.providers import CaucusNotApplied
from sutiao.meetings.providers.janus import Janus as JanusProvider
from sutiao.meetings.providers.janus import caucus_room

from .conftest import check_everyone, mediator_of, schedule
from .janus_server import janus_server, joined, try_join

REFUSED = 433  # VideoRoom: not in the allowed list
NO_SUCH_ROOM = 426
NO_SUCH_FEED = 428


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


def _joined(s):
    """A session whose three participants are admitted: their media, by name."""
    session = schedule(s)
    check_everyone(session, s)
    users = {
        "mediator": mediator_of(s),
        "applicant": s.applicant_user,
        "respondent": s.respondent_user,
    }
    media, people = {}, {}
    for name, user in users.items():
        p = actions.admitted(user, session.pk)
        media[name] = actions.media_for(p)
        actions.record_attendance(participant=p, kind=Attendance.Kind.JOINED)
        people[name] = p
    return session, people, media


def test_a_caucus_gives_each_side_a_janus_room_that_only_its_tokens_open(on_janus, served):
    session, people, media = _joined(served)
    token = {name: m["token"] for name, m in media.items()}
    main, talk = session.pk, caucus_room(session.pk)
    assert media["applicant"]["rooms"] == {"main": main, "caucus": talk}
    assert all(try_join(on_janus, main, t)["videoroom"] == "joined" for t in token.values())

    mediator = mediator_of(served)
    actions.start_caucus(actor=mediator, session=session, participant=people["applicant"])
    # The talk's side: only its room; the other side: only the main room.
    for name in ("mediator", "applicant"):
        assert try_join(on_janus, talk, token[name])["videoroom"] == "joined"
        assert try_join(on_janus, main, token[name])["error_code"] == REFUSED
    assert try_join(on_janus, main, token["respondent"])["videoroom"] == "joined"
    assert try_join(on_janus, talk, token["respondent"])["error_code"] == REFUSED
    # Subscribing in the talk's room: no page of the other side gets anything. (These probes
    # publish no media, so Janus answers "no such feed" before it checks the private id that
    # require_pvtid asks for; janus_in_netns.py tries it against a live feed: 433.)
    with (
        joined(on_janus, talk, token["applicant"]) as party,
        joined(on_janus, main, token["respondent"]) as other,
    ):
        for pvt in (None, other["private_id"]):
            answer = try_join(on_janus, talk, token["respondent"], feed=party["id"], private_id=pvt)
            assert answer.get("error_code") in (REFUSED, NO_SUCH_FEED), (pvt, answer)
    # A page of the talk's side that reconnects is sent to the talk's room.
    again = actions.media_for(people["applicant"])
    assert again["room"] == talk and again["caucus"] == people["applicant"].pk
    assert actions.media_for(people["respondent"])["room"] == main
    assert try_join(on_janus, main, token["applicant"])["error_code"] == REFUSED

    actions.end_caucus(actor=mediator, session=session)
    assert all(try_join(on_janus, main, t)["videoroom"] == "joined" for t in token.values())
    assert try_join(on_janus, talk, token["applicant"])["error_code"] == NO_SUCH_ROOM
    assert actions.media_for(people["applicant"])["room"] == main


def test_ending_the_session_in_a_caucus_destroys_both_rooms(
    on_janus, served, django_capture_on_commit_callbacks
):
    session, people, _media = _joined(served)
    mediator = mediator_of(served)
    actions.start_caucus(actor=mediator, session=session, participant=people["respondent"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.end_session(actor=mediator, session=session)
    janus = JanusProvider.from_settings()
    for room in (session.pk, caucus_room(session.pk)):
        assert janus.videoroom({"request": "exists", "room": room})["exists"] is False


def test_a_caucus_janus_cannot_part_does_not_start(on_janus, served, settings):
    """Janus does not answer: the start is refused with a clear error, the session is not in a
    separate talk, nothing is audited, and the main room still admits everyone."""
    session, people, media = _joined(served)
    settings.JANUS_URL = "http://127.0.0.1:9/janus"  # discard port: nothing answers
    with pytest.raises(CaucusNotApplied) as refused:
        actions.start_caucus(
            actor=mediator_of(served), session=session, participant=people["applicant"]
        )
    assert refused.value.code == MeetingError.CAUCUS_NOT_APPLIED and refused.value.status == 503
    assert "did not start" in str(refused.value.message) or "未" in str(refused.value.message)
    session.refresh_from_db()
    assert session.caucus_with is None
    assert not AuditEntry.objects.filter(action="meetings.caucus_started").exists()
    settings.JANUS_URL = on_janus.http
    assert try_join(on_janus, session.pk, media["applicant"]["token"])["videoroom"] == "joined"


def test_a_caucus_janus_cannot_end_goes_on(on_janus, served, settings):
    """Janus does not answer at the end: the separate talk goes on (the sides are still apart
    on Janus too), and the mediator is told to try again."""
    session, people, media = _joined(served)
    mediator = mediator_of(served)
    actions.start_caucus(actor=mediator, session=session, participant=people["applicant"])
    settings.JANUS_URL = "http://127.0.0.1:9/janus"
    with pytest.raises(CaucusNotApplied) as refused:
        actions.end_caucus(actor=mediator, session=session)
    assert refused.value.code == MeetingError.CAUCUS_NOT_APPLIED
    session.refresh_from_db()
    assert session.caucus_with == people["applicant"]
    assert not AuditEntry.objects.filter(action="meetings.caucus_ended").exists()
    settings.JANUS_URL = on_janus.http
    token = media["applicant"]["token"]
    assert try_join(on_janus, session.pk, token)["error_code"] == REFUSED  # still apart
    actions.end_caucus(actor=mediator, session=session)  # Janus is back: now it ends
    assert try_join(on_janus, session.pk, token)["videoroom"] == "joined"


def test_the_mesh_needs_no_media_server_for_a_caucus(served):
    session, people, _media = _joined(served)
    actions.start_caucus(
        actor=mediator_of(served), session=session, participant=people["applicant"]
    )
    session.refresh_from_db()
    assert session.caucus_with == people["applicant"]


def test_a_recording_goes_on_in_the_main_room_through_a_caucus(on_janus, served):
    """Janus records the main room: remade for the other side, it records into the same
    recording's folder again; the talk's room records nothing."""
    from django.utils import timezone

    from sutiao.meetings.models import Recording
    from sutiao.meetings.providers.janus import rec_dir

    session, people, _media = _joined(served)
    mediator = mediator_of(served)
    rec = Recording.objects.create(
        session=session, by=mediator, started_at=timezone.now(), source="janus"
    )
    session.recording_since = rec.started_at
    session.save(update_fields=["recording_since"])
    janus = JanusProvider.from_settings()
    janus.start_recording(session, rec)
    actions.start_caucus(actor=mediator, session=session, participant=people["applicant"])
    listed = janus.videoroom({"request": "list", "admin_key": janus.admin_key})["list"]
    rooms = {r["room"]: r for r in listed}
    assert rooms[session.pk]["record"] is True, rooms[session.pk]
    assert rooms[session.pk]["rec_dir"] == str(rec_dir(rec))
    assert rooms[caucus_room(session.pk)]["record"] is False
