"""Issue 15 item 2: what waits on someone reaches them — in the inbox, by e-mail as they
prefer and by SMS when they are asked to act — once, and never about their own step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sutiao.agreements import actions as agreement_actions
from sutiao.cases import actions as case_actions
from sutiao.core.models import OutboxEvent
from sutiao.delivery import engine
from sutiao.delivery.models import Delivery, InboxItem
from sutiao.delivery.reminders import remind_deadlines
from tests.agreements import factories as af
from tests.agreements.conftest import seed_templates
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=False)]


@pytest.fixture
def world(media):
    seed_templates()
    w = af.mediating_case()
    engine.run_once()  # the notices of delegation and acceptance
    return w


def _titles(user) -> list[str]:
    return list(InboxItem.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


def _channels(user, topic_words: str) -> set[str]:
    return set(
        Delivery.objects.filter(user=user, subject__contains=topic_words).values_list(
            "channel", flat=True
        )
    ) | set(
        Delivery.objects.filter(user=user, channel="sms", body__contains=topic_words).values_list(
            "channel", flat=True
        )
    )


def test_an_agreement_to_sign_reaches_each_party_once_with_sms_not_the_mediator(world):
    agreement = af.draft(world)
    before = {u.pk: len(_titles(u)) for u in (world.applicant, world.respondent)}
    agreement_actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    engine.run_once()
    number = world.reload().number
    for user in (world.applicant, world.respondent):
        titles = _titles(user)[before[user.pk] :]
        assert titles == [f"待办：调解协议已开放签署（{number}）"]
        assert "sms" in _channels(user, "调解协议已开放签署")
    assert not any("开放签署" in t for t in _titles(world.mediator_user))
    engine.run_once()  # handled once: nothing more
    assert len(_titles(world.respondent)) == before[world.respondent.pk] + 1


def test_a_signature_tells_the_parties_still_to_sign_and_the_mediator_not_the_signer(world):
    agreement = af.draft(world)
    agreement = agreement_actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    engine.run_once()
    af.sign_as(world.applicant, agreement, channel="email")
    engine.run_once()
    number = world.reload().number
    last = _titles(world.respondent)[-1]
    assert last.startswith("待办：") and last.endswith(f"（{number}）")
    mediator_last = _titles(world.mediator_user)[-1]
    assert "待办" not in mediator_last and number in mediator_last
    assert not any(
        t.startswith("待办") and "签" in t and "开放" not in t for t in _titles(world.applicant)
    )


def test_a_private_caucus_message_reaches_only_that_party_and_the_mediator(world):
    applicant = world.case.parties.get(role="applicant")
    before = len(_titles(world.respondent))
    case_actions.post_message(
        actor=world.mediator_user, case=world.case, body="单独沟通", caucus_party=applicant
    )
    engine.run_once()
    assert any("新消息" in t for t in _titles(world.applicant))
    assert len(_titles(world.respondent)) == before
    assert not any("新消息" in t for t in _titles(world.mediator_user))  # the author


def test_a_deadline_a_working_day_away_is_reminded_once(world, time_machine):
    case = world.reload()
    assert case.clock.startswith("mediation") and case.deadline_at
    assert remind_deadlines() == []  # weeks away
    time_machine.move_to(case.deadline_at - dt.timedelta(hours=30))
    assert remind_deadlines() == [case.pk]
    assert remind_deadlines() == []  # once
    engine.run_once()
    for user in (world.mediator_user, world.applicant, world.respondent):
        assert any(t.startswith("待办") and "期限" in t for t in _titles(user)), _titles(user)
    assert OutboxEvent.objects.filter(topic="deadline.due").count() == 1
    assert timezone.now() < case.deadline_at
