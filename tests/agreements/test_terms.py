"""How a term reads: every field the drafting form offers is kept and printed, and the
stop-using sentence keeps its verb whether the mediator wrote the act or only the mark."""

from __future__ import annotations

import importlib
from datetime import date

import pytest

from sutiao.agreements import terms
from sutiao.agreements.actions import TermIn

WORDING = importlib.import_module(
    "sutiao.agreements.migrations.0002_seed_ip_settlement_template"
).WORDING
NAMES = {1: "甲公司", 2: "乙公司"}


def sentence(term: TermIn) -> str:
    return terms.render_term(term.kind, term.data(), wording=WORDING, names=NAMES)


@pytest.mark.parametrize("kind", list(terms.KINDS))
def test_the_details_of_every_kind_of_term_are_kept_and_printed(kind):
    term = TermIn(
        kind,
        obligor=2,
        beneficiary=1,
        subject="涉案商品链接",
        amount_fen=100,
        due_date=date(2026, 12, 31),
        details="分两期履行，首期于签署当日履行",
    )
    assert term.data()["details"] == "分两期履行，首期于签署当日履行"
    assert "分两期履行，首期于签署当日履行" in sentence(term)


def test_a_pay_term_reads_with_its_details_after_the_amount():
    term = TermIn(
        "pay",
        obligor=2,
        beneficiary=1,
        subject="经济损失",
        amount_fen=3_000_000,
        due_date=date(2026, 12, 31),
        details="通过银行转账支付至甲公司账户",
    )
    assert sentence(term) == (
        "乙公司于2026年12月31日前向甲公司支付经济损失共计人民币30,000.00元（大写：叁万元整），"
        "通过银行转账支付至甲公司账户。"
    )


def test_stopping_the_use_of_a_mark_says_use():
    term = TermIn("stop_use", obligor=2, subject="“青山”注册商标")
    assert sentence(term) == "乙公司自本协议生效之日起停止使用“青山”注册商标。"


@pytest.mark.parametrize(
    "subject",
    [
        "销售标有“青山”字样的茶叶礼盒",
        "使用“青山”字样",
        "在网店中展示涉案图片",
        "生产、销售涉案产品",
    ],
)
def test_a_stop_use_term_that_names_the_act_is_not_given_a_second_verb(subject):
    text = sentence(TermIn("stop_use", obligor=2, subject=subject))
    assert text == f"乙公司自本协议生效之日起停止{subject}。"
