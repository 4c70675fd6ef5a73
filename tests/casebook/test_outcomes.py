"""Item 5: outcomes of similar closed cases before a party chooses mediation, honest about
small samples."""

from __future__ import annotations

import pytest
from django.test import Client

from sutiao.casebook import outcomes
from sutiao.casebook.models import TypicalCase
from tests import factories

from . import library
from .corpus import Doc

pytestmark = pytest.mark.django_db


def _typical(editor, n: int, *, kind="patent", industry="manufacturing", settled=None):
    settled = n if settled is None else settled
    docs = [
        Doc(
            kind,
            industry,
            "settled" if i < settled else "failed",
            f"案{i}",
            "事实",
            "争议",
            "调解",
            "结果",
        )
        for i in range(n)
    ]
    rows = library.load(editor, docs)
    for i, row in enumerate(rows):
        TypicalCase.objects.filter(pk=row.pk).update(
            days_to_settle=10 + i, amount_fen=(i + 1) * 1_000_000
        )
    return rows


@pytest.fixture
def editor(db):
    return factories.person("casebook_editor", court=factories.court())


def test_figures_from_enough_typical_cases(editor):
    _typical(editor, 12, settled=9)
    _typical(editor, 5, industry="food")  # another industry: not counted below
    f = outcomes.from_typical_cases("patent", "manufacturing")
    assert (f.sample, f.settled, f.rate) == (12, 9, 75)
    assert f.median_days is None  # only 9 settled cases carry a time: fewer than 10
    g = outcomes.from_typical_cases("patent")
    assert g.sample == 17 and g.rate == round(100 * 14 / 17)
    low, high = g.amount_range
    assert 10_000 <= low < high <= 170_000


def test_too_few_cases_are_said_to_be_too_few(editor):
    _typical(editor, outcomes.MIN_SAMPLE - 1)
    f = outcomes.from_typical_cases("patent")
    assert not f.enough and f.rate is None and f.amount_range is None
    page = Client().get("/casebook/outcomes/?ip_kind=patent&fragment=1")
    html = page.content.decode()
    assert (
        page.status_code == 200 and 'id="typical-few"' in html and 'id="typical-rate"' not in html
    )
    assert 'id="cases-few"' in html


def test_the_public_page_gives_the_rate_once_there_are_enough(editor):
    _typical(editor, 10, settled=8)
    html = (
        Client().get("/casebook/outcomes/?ip_kind=patent&industry=manufacturing").content.decode()
    )
    assert 'id="typical-rate"' in html and "80%" in html
    assert Client().get("/casebook/outcomes/?ip_kind=patent&industry=nonsense").status_code == 404


def test_the_application_form_shows_the_panel_and_reloads_it_with_the_kind(db):
    party = factories.person("party")
    html = factories.client_for(party).get("/cases/apply/").content.decode()
    assert 'id="outcomes-panel"' in html and 'hx-include="#id_ip_kind"' in html


def test_the_api_gives_the_same_figures(editor):
    _typical(editor, 11, settled=11)
    body = Client().get("/api/v1/casebook/outcomes?ip_kind=patent").json()
    assert body["typical_cases"]["settled_percent"] == 100 and body["min_sample"] == 10
    assert body["cases"]["enough"] is False
