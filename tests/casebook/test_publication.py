"""Nothing reaches the library without a reviewer's approval of every proposed change, and a
recorded ground (consent or public interest); publication is audited and reversible."""

from __future__ import annotations

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.casebook import actions, search
from sutiao.casebook.models import Change, State, TypicalCase
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.models import OutboxEvent
from tests import factories

from .conftest import DRAFT, drafted, editor_of, media, published  # noqa: F401

pytestmark = pytest.mark.django_db


def _submitted(desk) -> TypicalCase:
    return actions.submit(actor=desk.editor, typical_case=drafted(desk))


@pytest.mark.rule("Pub-4b", "Pub-8")
def test_pub_4_nothing_is_published_without_a_reviewers_approval(desk):
    tc = drafted(desk)
    for step in (actions.approve, actions.publish):  # from the draft: refused
        with pytest.raises(Conflict) as refused:
            step(actor=desk.reviewer, typical_case=tc)
        assert refused.value.code == "casebook.invalid_transition"
    tc = actions.submit(actor=desk.editor, typical_case=tc)
    with pytest.raises(Conflict):  # in review, not approved
        actions.publish(actor=desk.reviewer, typical_case=tc)
    with pytest.raises(Conflict) as pending:  # approval needs every change decided
        actions.approve(actor=desk.reviewer, typical_case=tc)
    assert pending.value.details["precondition"] == "all_reviewed"
    changes = list(tc.changes.all())
    actions.decide(
        actor=desk.reviewer, typical_case=tc, decisions={c.pk: "accepted" for c in changes[1:]}
    )
    with pytest.raises(Conflict):  # one still pending
        actions.approve(actor=desk.reviewer, typical_case=tc)
    assert TypicalCase.objects.get(pk=tc.pk).state == State.IN_REVIEW
    assert search.search("扫地机器人").hits == []
    actions.decide(actor=desk.reviewer, typical_case=tc, decisions={changes[0].pk: "rejected"})
    tc = actions.approve(actor=desk.reviewer, typical_case=tc)
    tc = actions.publish(actor=desk.reviewer, typical_case=tc)
    assert tc.state == State.PUBLISHED and tc.reviewer == desk.reviewer
    assert [h.id for h in search.search("扫地机器人").hits] == [tc.pk]


@pytest.mark.rule("Pub-4b")
def test_the_writer_cannot_review_their_own_case(desk):
    tc = _submitted(desk)
    change = tc.changes.first()
    with pytest.raises(Forbidden) as refused:
        actions.decide(actor=desk.editor, typical_case=tc, decisions={change.pk: "accepted"})
    assert refused.value.code == "casebook.not_your_step"
    with pytest.raises(Forbidden):
        actions.approve(actor=desk.editor, typical_case=tc)


@pytest.mark.rule("Pub-4b")
def test_pub_4_no_review_without_the_parties_consent_or_a_public_interest_reason(desk):
    with pytest.raises(Invalid) as bad:
        drafted(desk, basis="", basis_note="")
    assert set(bad.value.details["fields"]) == {"basis"}
    tc = drafted(desk, basis_note=" ")
    with pytest.raises(Conflict) as refused:
        actions.submit(actor=desk.editor, typical_case=tc)
    assert refused.value.details["precondition"] == "ground_recorded"
    assert TypicalCase.objects.get(pk=tc.pk).state == State.DRAFT


@pytest.mark.rule("Pub-8")
def test_the_public_text_applies_exactly_the_accepted_changes(desk):
    tc = _submitted(desk)
    kinds = {c.kind for c in tc.changes.all()}
    assert {"name", "id_number", "phone", "bank_account", "address", "company"} <= kinds
    phone = tc.changes.get(kind="phone")
    others = {c.pk: "accepted" for c in tc.changes.exclude(pk=phone.pk)}
    actions.decide(actor=desk.reviewer, typical_case=tc, decisions={**others, phone.pk: "rejected"})
    tc = actions.approve(actor=desk.reviewer, typical_case=tc)
    assert "13912345678" in tc.public_facts  # the reviewer kept it: nothing else decides
    assert "110108198001011237" not in tc.public_facts
    assert "张伟" not in tc.public_facts and "张某" in tc.public_facts
    assert "张某" in tc.public_result and "北京星辰" not in tc.public_facts


def test_publication_and_withdrawal_are_audited_and_reversible(desk):
    tc = published(desk)
    assert AuditEntry.objects.filter(action="casebook.published", object_id=str(tc.pk)).exists()
    assert OutboxEvent.objects.filter(topic="casebook.published").count() == 1
    with pytest.raises(Invalid):
        actions.withdraw(actor=desk.editor, typical_case=tc, reason="  ")
    tc = actions.withdraw(actor=desk.editor, typical_case=tc, reason="当事人反对公开")
    assert tc.state == State.WITHDRAWN and search.search("扫地机器人").hits == []
    assert AuditEntry.objects.filter(action="casebook.withdrawn").get().summary == "当事人反对公开"
    tc = actions.publish(actor=desk.reviewer, typical_case=tc)
    assert tc.state == State.PUBLISHED and len(search.search("扫地机器人").hits) == 1


def test_a_bad_decision_changes_nothing(desk):
    tc = _submitted(desk)
    change = tc.changes.first()
    for decisions in ({change.pk: "maybe"}, {change.pk + 10_000: "accepted"}, {}):
        with pytest.raises(Invalid):
            actions.decide(actor=desk.reviewer, typical_case=tc, decisions=decisions)
    assert not Change.objects.exclude(decision="pending").exists()


def test_only_editors_of_the_court_draft_and_see_drafts(desk):
    clerk = factories.person("court_clerk", court=desk.court)
    with pytest.raises(Forbidden) as refused:
        actions.draft(actor=clerk, data=DRAFT)
    assert refused.value.code == "casebook.not_an_editor"
    stranger = editor_of(factories.court("另一法院", code="沪73"))
    with pytest.raises(NotFound):  # another court's case, as if missing
        actions.draft(actor=stranger, data=DRAFT, source_case=desk.case)
    tc = drafted(desk)
    with pytest.raises(NotFound):
        actions.submit(actor=stranger, typical_case=tc)
    office_editor = factories.person("casebook_editor", ip_office=factories.office())
    own = actions.draft(actor=office_editor, data=DRAFT)  # an IP office drafts from scratch
    assert own.ip_office_id and own.source_case_id is None


def test_a_case_still_mediating_cannot_become_a_typical_case(db, media):  # noqa: F811
    from tests.delivery.conftest import build_case

    open_case = build_case().case
    editor = editor_of(open_case.court)
    with pytest.raises(Invalid) as refused:
        actions.draft(actor=editor, data=DRAFT, source_case=open_case)
    assert refused.value.code == "casebook.case_not_closed"
    assert not TypicalCase.objects.exists()
