"""Mediator matching: who may take the case, ranked, with reasons that are the scores."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sutiao.batches import matching
from sutiao.batches.models import DeclaredConflict
from sutiao.cases.actions import choose_mediator
from sutiao.cases.models import Case
from sutiao.institutions.models import IPKind
from sutiao.roster.models import Mediator, RosterEntry
from sutiao.training.models import Course, Enrolment, HourRequirement
from tests import factories
from tests.cases.factories import rostered_mediator, rostered_org, submitted_case


@pytest.fixture
def court(db):
    return factories.court()


def _ids(matches) -> list[int]:
    return [m.mediator.pk for m in matches]


@pytest.mark.rule("OMR-13")
def test_a_mediator_in_conflict_with_the_respondents_agent_never_appears(court):
    case = submitted_case(court)
    respondent = case.parties.get(role="respondent")
    agent = factories.person("party")
    type(respondent).objects.filter(pk=respondent.pk).update(agent=agent)
    clean = rostered_mediator(court, name="无冲突")
    conflicted = rostered_mediator(court, name="有冲突")
    DeclaredConflict.objects.create(mediator=conflicted, kind="relation", name=agent.real_name)

    found = _ids(matching.rank(matching.dispute_of(case), limit=50))
    assert clean.pk in found and conflicted.pk not in found


@pytest.mark.rule("OMR-13")
def test_same_employer_as_a_party_by_its_code_removes_the_mediator(court):
    case = submitted_case(court)
    m = rostered_mediator(court, name="同单位")
    DeclaredConflict.objects.create(
        mediator=m, kind="employer", name="另一个名字", uscc="91110108MA01ABCDEN"
    )
    assert m.pk not in _ids(matching.rank(matching.dispute_of(case), limit=50))


@pytest.mark.rule("OMR-9", "SIR-5")
def test_only_mediators_on_a_roster_the_court_may_use(court):
    higher = factories.court(level="high", code="京")
    lower = factories.court(parent=higher, level="basic", code="京0108")
    own = rostered_mediator(lower, name="本院")
    above = rostered_mediator(higher, name="上级法院")
    elsewhere = rostered_mediator(factories.court(), name="他院")
    nowhere = rostered_mediator(lower, name="已除名")
    RosterEntry.objects.filter(mediator=nowhere).update(status="removed")

    found = _ids(matching.rank(matching.dispute_of(submitted_case(lower)), limit=50))
    assert own.pk in found and above.pk in found
    assert elsewhere.pk not in found and nowhere.pk not in found


def _points(reason: str) -> float:
    return float(re.search(r"([\d.]+) (?:points|分)", reason).group(1))


def test_the_reasons_shown_are_the_scores(court, settings):
    expert = rostered_mediator(court, name="商标专家")
    expert.ip_kinds.add(IPKind.objects.get(code="trademark"))
    expert.languages = "中文、English"
    expert.save()
    novice = rostered_mediator(court, name="新人")
    for _i in range(3):  # the novice carries three open cases
        c = submitted_case(court)
        c.mediator, c.state = novice, "mediating"
        c.save()  # the stored load moves with the save (cases.load)
    ranked = matching.rank(matching.dispute_of(submitted_case(court)), limit=50)
    by = {m.mediator.pk: m for m in ranked}

    assert _ids(ranked)[0] == expert.pk
    for match in ranked:
        assert round(sum(_points(p.reason) for p in match.parts), 1) == match.score
        assert all(_points(p.reason) == p.points for p in match.parts)
    kind = {p.key: p for p in by[expert.pk].parts}["kind"]
    assert kind.points == 30 and "商标" in kind.reason
    load = {p.key: p for p in by[novice.pk].parts}["load"]
    assert load.reason.startswith("3") and load.points < 20


def test_a_small_record_is_shrunk_toward_the_mean(court):
    veteran = rostered_mediator(court, name="老手")
    lucky = rostered_mediator(court, name="一次成功")
    now = timezone.now()
    for i in range(20):  # the veteran settled 10 of 20; lucky settled its only case
        c = submitted_case(court)
        Case.objects.filter(pk=c.pk).update(
            mediator=veteran,
            state="settled" if i % 2 else "failed",
            accepted_at=now - timedelta(days=30),
            ended_at=now - timedelta(days=10),
        )
    c = submitted_case(court)
    Case.objects.filter(pk=c.pk).update(
        mediator=lucky, state="settled", accepted_at=now - timedelta(days=3), ended_at=now
    )
    by = {m.mediator.pk: m for m in matching.rank(matching.dispute_of(c), limit=50)}
    rate = {k: {p.key: p for p in by[k].parts}["success"].points for k in by}
    # A raw 100 % on one case would be 15 points; shrunk it stays near the mean (~52 %).
    assert rate[lucky.pk] < 10 and rate[veteran.pk] < rate[lucky.pk]


@pytest.mark.rule("OMR-10a")
def test_the_parties_joint_choice_heads_the_list_and_binds(court):
    applicant = factories.person("party")
    respondent_user = factories.person("party")
    case = submitted_case(court, applicant=applicant, respondent_user=respondent_user)
    chosen = rostered_mediator(court, name="共同选定")
    rostered_mediator(court, name="另一位").ip_kinds.add(IPKind.objects.get(code="trademark"))
    choose_mediator(actor=applicant, case=case, mediator=chosen)
    choose_mediator(actor=respondent_user, case=case, mediator=chosen)

    first = matching.rank(matching.dispute_of(case))[0]
    assert first.mediator.pk == chosen.pk and first.binding


def test_an_org_administrator_ranks_only_its_mediators_by_their_stored_load(court):
    org = rostered_org(court)
    idle = rostered_mediator(court, org=org, name="空闲")
    busy = rostered_mediator(court, org=org, name="忙碌")
    rostered_mediator(court, name="别家")  # on the court's roster, not the organisation's
    for _i in range(2):
        c = submitted_case(court)
        c.mediator, c.state = busy, "mediating"
        c.save()
    among = Mediator.objects.filter(orgs=org)
    found = matching.rank(matching.dispute_of(submitted_case(court)), among=among, limit=50)
    assert _ids(found) == [idle.pk, busy.pk]
    load = {p.key: p for p in found[1].parts}["load"]
    assert load.reason.startswith("2") and load.points < 20


@pytest.mark.rule("OMR-9")
def test_a_suspended_or_removed_mediator_never_appears_though_the_entry_stands(court):
    active = rostered_mediator(court, name="在册")
    suspended = rostered_mediator(court, name="暂停")
    removed = rostered_mediator(court, name="除名")
    Mediator.objects.filter(pk=suspended.pk).update(status=Mediator.Status.SUSPENDED)
    Mediator.objects.filter(pk=removed.pk).update(status=Mediator.Status.REMOVED)

    found = matching.rank(matching.dispute_of(submitted_case(court)), limit=50)
    assert _ids(found) == [active.pk]
    shown = found[0].mediator  # read light; what a page asks for beyond that is read then
    assert (shown.name, shown.status, shown.region.pk) == ("在册", "active", "110108")


@pytest.mark.rule("OMR-10a")
def test_one_partys_choice_alone_does_not_bind(court):
    applicant = factories.person("party")
    case = submitted_case(court, applicant=applicant, respondent_user=factories.person("party"))
    chosen = rostered_mediator(court, name="一方选定")
    choose_mediator(actor=applicant, case=case, mediator=chosen)

    assert matching.dispute_of(case).joint_choice is None
    assert not any(m.binding for m in matching.rank(matching.dispute_of(case), limit=50))


@pytest.mark.rule("SIR-7")
def test_a_mediator_who_met_the_years_training_hours_ranks_above_one_who_did_not(court):
    HourRequirement.objects.create(region=None, before_joining=10, per_year=20)
    today = timezone.localdate()
    course = Course.objects.create(
        title="调解技巧", organiser_kind="spc", mode="online", starts_on=today, ends_on=today
    )
    behind = rostered_mediator(court, name="未达标")  # created first: the tie-break favours it
    trained = rostered_mediator(court, name="已达标")
    Enrolment.objects.create(course=course, mediator=trained, hours=24, credited_on=today)
    Enrolment.objects.create(course=course, mediator=behind, hours=5, credited_on=today)
    last_year = today.replace(year=today.year - 1)
    other = Course.objects.create(
        title="往年课程",
        organiser_kind="spc",
        mode="online",
        starts_on=last_year,
        ends_on=last_year,
    )
    Enrolment.objects.create(course=other, mediator=behind, hours=40, credited_on=last_year)

    ranked = matching.rank(matching.dispute_of(submitted_case(court)), limit=50)
    assert _ids(ranked) == [trained.pk, behind.pk]
    parts = [{p.key: p for p in m.parts}["training"] for m in ranked]
    assert parts[0].points == 10 and "24" in parts[0].reason and "20" in parts[0].reason
    assert parts[1].points == 2.5 and "5" in parts[1].reason  # 5 of 20 hours, last year's not
    for match in ranked:
        assert round(sum(_points(p.reason) for p in match.parts), 1) == match.score
