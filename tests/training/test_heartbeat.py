"""Online attendance: the player reports watched time in small signed heartbeats; each is
capped by the time since the last one, the total by the video's length; watching (nearly) all
of it credits the course's hours."""

import datetime as dt
import json

import pytest
import time_machine

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Forbidden
from sutiao.core.outbox import OutboxEvent  # noqa: F401  (the credit's event)
from sutiao.training.actions import attendance, courses
from tests import clock
from tests import factories as f
from tests.roster import factories as rf

from . import factories as tf

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-7")]


def _trainee():
    user = f.person()
    m = rf.mediator("在线学员", id_number=user.id_number)
    m.user = user
    m.save()
    return user, m


def test_watched_time_is_capped_per_beat_and_by_the_video_then_credits_the_hours():
    staff, office = tf.office_staff()
    course = tf.course(staff, office, mode="online", hours="2", video_seconds=60)
    user, _m = _trainee()
    enrolment = courses.enrol(actor=user, course=course)
    token = attendance.beat_token(enrolment, user)
    with time_machine.travel(clock.WORKING_MONDAY, tick=False) as traveller:
        e = attendance.heartbeat(actor=user, enrolment=enrolment, token=token, seconds=500)
        assert e.watched_seconds == attendance.BEAT_MAX  # a first report counts at most 30 s
        traveller.shift(dt.timedelta(seconds=10))
        e = attendance.heartbeat(actor=user, enrolment=enrolment, token=token, seconds=25)
        assert e.watched_seconds == 30 + 12  # no more than the 10 s since (and 2 s of slack)
        assert e.credited_on is None
        traveller.shift(dt.timedelta(seconds=30))
        e = attendance.heartbeat(actor=user, enrolment=enrolment, token=token, seconds=30)
        assert e.watched_seconds == 60  # never past the video's length
    assert e.credited_on == dt.date(2026, 10, 12) and e.hours == 2
    assert AuditEntry.objects.filter(action="training.hours_credited").count() == 1


def test_a_token_is_for_one_person_and_one_enrolment():
    staff, office = tf.office_staff()
    course = tf.course(staff, office, mode="online", video_seconds=60)
    user, _m = _trainee()
    enrolment = courses.enrol(actor=user, course=course)
    for token in ["forged", attendance.beat_token(enrolment, staff)]:
        with pytest.raises(Forbidden) as caught:
            attendance.heartbeat(actor=user, enrolment=enrolment, token=token, seconds=10)
        assert caught.value.code == "training.bad_heartbeat"
    enrolment.refresh_from_db()
    assert enrolment.watched_seconds == 0


def test_the_page_reports_through_the_beat_endpoint_and_strangers_get_404():
    staff, office = tf.office_staff()
    course = tf.course(staff, office, mode="online", video_seconds=60)
    user, _m = _trainee()
    enrolment = courses.enrol(actor=user, course=course)
    client = f.client_for(user)
    page = client.get(f"/training/enrolments/{enrolment.pk}/")
    assert page.status_code == 200
    token = attendance.beat_token(enrolment, user)
    answer = client.post(
        f"/training/enrolments/{enrolment.pk}/beat/",
        json.dumps({"token": token, "seconds": 10}),
        content_type="application/json",
    )
    assert answer.json() == {"watched": 10, "of": 60, "credited": False}
    stranger = f.client_for(f.person())
    assert stranger.get(f"/training/enrolments/{enrolment.pk}/").status_code == 404
    assert (
        stranger.post(
            f"/training/enrolments/{enrolment.pk}/beat/",
            json.dumps({"token": token, "seconds": 10}),
            content_type="application/json",
        ).status_code
        == 404
    )
