"""Issue 15 item 2: every outbox topic that asks a person to act or tells them an outcome has
a notice; every other topic says why nobody is told."""

from __future__ import annotations

from sutiao.core import events
from sutiao.delivery import engine
from sutiao.web import notices


def _outbox_topics() -> set[str]:
    events.discover()
    return {name for name, e in events.EVENTS.items() if e.outbox}


def test_every_outbox_topic_has_a_handler_or_a_reason_for_no_notice():
    topics = _outbox_topics()
    missing = sorted(t for t in topics if t not in engine.HANDLERS and t not in notices.NO_NOTICE)
    assert missing == [], f"outbox topics nobody handles and no 'no notice' reason: {missing}"


def test_the_tables_name_only_registered_topics_once():
    topics = _outbox_topics()
    assert set(notices.NOTICES) <= topics, set(notices.NOTICES) - topics
    assert set(notices.NO_NOTICE) <= topics, set(notices.NO_NOTICE) - topics
    assert not set(notices.NOTICES) & set(notices.NO_NOTICE)
    assert all(len(reason) > 20 for reason in notices.NO_NOTICE.values())
    # A topic with a "no notice" reason is not handled by this table.
    handled_here = {t for t, h in engine.HANDLERS.items() if getattr(h, "sutiao_notice", False)}
    assert handled_here == set(notices.NOTICES)


def test_each_notice_that_asks_to_act_says_what_in_both_languages():
    from django.utils import translation

    for topic, entries in notices.NOTICES.items():
        for entry in entries:
            if entry.todo is None:
                continue
            with translation.override("en"):
                en = str(entry.todo)
            with translation.override("zh-hans"):
                zh = str(entry.todo)
            assert en and zh, topic
