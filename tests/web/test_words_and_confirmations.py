"""Issue 15 items 5 and 7 (parts): irreversible steps ask first and say what follows; rule
citations read as citations in either language; the registration page gives the personal
information notice (PIPL 14, 17, 29); a served document's state is not a time."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from sutiao.delivery.models import Service
from sutiao.workdays.citations import chinese_number, cite
from tests import factories
from tests.cases import factories as cf
from tests.documents.conftest import media  # noqa: F401

pytestmark = pytest.mark.django_db


def test_citations_name_the_rules_and_their_articles():
    assert [chinese_number(n) for n in (7, 10, 15, 24, 100, 102, 358)] == [
        "七",
        "十",
        "十五",
        "二十四",
        "一百",
        "一百零二",
        "三百五十八",
    ]
    with translation.override("en"):
        assert cite("OMR 24; SIR 27") == (
            "Online Mediation Rules of the People's Courts, art. 24; "
            "Provisions on Specially Invited Mediation by the People's Courts, art. 27"
        )
        assert cite("Scale 3") == "Scale 3"  # unknown: left as it was
    with translation.override("zh-hans"):
        zh = cite("OMR 24; SIR 27")
    assert re.fullmatch(r"《[^》]+》第二十四条；《[^》]+》第二十七条", zh), zh
    assert "OMR" not in zh and "SIR" not in zh


def test_the_settle_and_end_steps_ask_for_confirmation_and_others_do_not():
    html = Template(
        '{% load confirm %}{{ "settle"|confirm_text:"case" }}|{{ "accept"|confirm_text:"case" }}'
        '|{{ "confirm"|confirm_text:"judicial" }}'
    ).render(Context())
    settle, accept, ruling = html.split("|")
    assert settle and accept == "" and ruling


def test_the_case_page_puts_the_question_on_the_end_step(media):  # noqa: F811
    court = factories.court("北京知识产权法院", code="京73")
    clerk = factories.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court, name="王调解")
    case = cf.submitted_case(court, applicant=factories.person("party"))
    from sutiao.cases import actions as case_actions

    case = case_actions.delegate(actor=clerk, case=case, mediator=mediator)
    case = case_actions.accept(actor=mediator.user, case=case)
    html = factories.client_for(mediator.user).get(f"/cases/{case.pk}/").content.decode()
    form = re.search(rf'<form[^>]*action="/cases/{case.pk}/step/end/"[^>]*>', html)
    assert form and "data-confirm=" in form.group(0), html[:3000]
    assert 'src="/static/sutiao/confirm.js"' in html


def test_registration_gives_the_personal_information_notice_and_asks_consent(client):
    html = client.get("/accounts/register/").content.decode()
    notice = html[html.index('id="pipl-notice"') :]
    assert 'name="pipl_consent"' in notice and "required" in notice
    assert "29" in notice and "14" in notice and "17" in notice


def test_a_served_state_is_not_labelled_as_a_time():
    with translation.override("zh-hans"):
        state = str(Service.State.EFFECTIVE.label)
    assert state != "送达时间"
