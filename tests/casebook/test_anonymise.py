"""The anonymisation pipeline on its own (pure functions): 法释〔2016〕19号 arts. 8–10."""

from __future__ import annotations

import re

import pytest

from sutiao.casebook import anonymise as a

from .corpus import personal_text

pytestmark = pytest.mark.rule("Pub-8")


def _public(text: str, persons) -> str:
    return a.apply(text, a.propose(text, persons=persons))


def test_pub_8_corpus_of_200_texts_loses_every_id_phone_and_account_and_keeps_surname_mou():
    for seed in range(200):
        sample = personal_text(seed)
        public = _public(sample.text, sample.persons)
        for kind, values in sample.secrets.items():
            for value in values:
                assert value not in public, (seed, kind, value, public)
                assert re.sub(r"\D", "", value) not in re.sub(r"\D", "", public), (seed, value)
        for person in sample.persons:
            assert person not in public, (seed, person, public)
            assert a.surname_of(person) + "某" in public, (seed, person, public)
        assert not re.search(r"(?<!\d)\d{11,}(?!\d)", public), (seed, public)


def test_names_around_role_words_are_found_without_the_case_listing_them():
    text = "证人赵晓东称，被申请人的员工钱多多曾向其展示样品。赵晓东与钱多多均到场。"
    public = _public(text, [])
    assert public == "证人赵某称，被申请人的员工钱某曾向其展示样品。赵某与钱某均到场。"


def test_people_of_one_surname_are_told_apart_and_compound_surnames_are_kept():
    names = a.pseudonyms(["张伟", "张敏", "欧阳娜娜"])
    assert names == {"张伟": "张某甲", "张敏": "张某乙", "欧阳娜娜": "欧阳某"}


def test_addresses_lose_what_lies_below_the_county_and_keep_the_county():
    public = _public(
        "被申请人住上海市浦东新区张江路88号3栋201室，经营场所在杭州市余杭区文一西路。", []
    )
    assert public == "被申请人住上海市浦东新区××，经营场所在杭州市余杭区××。"


def test_plates_and_certificate_numbers_are_deleted():
    text = "其驾驶粤B·D12345号车辆，律师执业证号11101201510234567，营业执照号91110108MA01ABCD2X。"
    public = _public(text, [])
    assert "D12345" not in public and "11101201510234567" not in public
    assert "91110108MA01ABCD2X" not in public


def test_company_names_follow_the_editors_choice():
    text = "申请人深圳市星辰科技有限公司与被申请人杭州市云帆网络有限公司达成协议。"
    companies = ["深圳市星辰科技有限公司", "杭州市云帆网络有限公司"]
    hidden = a.apply(text, a.propose(text, companies=companies))
    assert hidden == "申请人深圳市某科技有限公司与被申请人杭州市某网络有限公司达成协议。"
    kept = a.apply(text, a.propose(text, companies=companies, anonymise_companies=False))
    assert kept == text


def test_passages_that_may_hold_trade_secrets_are_flagged_not_decided():
    text = "双方确认争议产品。涂料配方中环氧树脂占35%，固化温度为120℃。客户名单包括三家车企。"
    flags = [p for p in a.propose(text) if p.kind == "trade_secret"]
    assert [f.original for f in flags] == [
        "涂料配方中环氧树脂占35%，固化温度为120℃。",
        "客户名单包括三家车企。",
    ]
    # Only what the reviewer accepts is applied: the first flag accepted, the second rejected.
    assert a.apply(text, flags[:1]) == f"双方确认争议产品。{a.SECRET}客户名单包括三家车企。"


def test_an_accepted_secret_passage_replaces_the_changes_inside_it():
    text = "申请人王芳提供的配方比例为3:2:1。"
    proposals = a.propose(text, persons=["王芳"])
    assert {p.kind for p in proposals} == {"name", "trade_secret"}
    assert a.apply(text, proposals) == a.SECRET
    assert (
        a.apply(text, [p for p in proposals if p.kind == "name"])
        == "申请人王某提供的配方比例为3:2:1。"
    )


def test_nothing_is_changed_that_nobody_accepted():
    sample = personal_text(7)
    assert a.apply(sample.text, []) == sample.text


def test_numbers_that_are_not_personal_data_stay():
    text = "被申请人赔偿12万元，专利号ZL201510234567.8，权利要求1至3。"
    assert _public(text, []) == text
