"""Issue 15, item 5: the drafting form's live preview. Each term row, as it is typed, reads
beside it as the agreement will print it: the endpoint renders the sentence with the code the
agreement's page and PDF use, so the preview and the signed text cannot differ; it names the
required fields still empty and the warnings of that term; only who may draft may ask, and
asking saves nothing."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import translation

from sutiao.agreements import queries
from sutiao.agreements.actions import TermIn
from sutiao.agreements.forms import TermForm
from sutiao.agreements.models import Agreement
from tests import factories
from tests.clock import WORKING_MONDAY

from . import factories as af

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def _preview(client, world, row: int, **fields):
    data = {f"term-{row}-{k}": v for k, v in fields.items()}
    return client.post(f"/agreements/case/{world.case.pk}/term-preview/?row={row}", data)


def _text(response) -> str:
    body = response.content.decode()
    start = body.index('data-testid="term-text">') + len('data-testid="term-text">')
    return html.unescape(body[start : body.index("</p>", start)])


def test_the_preview_reads_as_the_saved_agreement_and_its_pdf(world):
    applicant = world.case.parties.get(role="applicant").pk
    respondent = world.case.parties.get(role="respondent").pk
    due = dt.date.today() + dt.timedelta(days=30)
    c = factories.client_for(world.mediator_user)
    response = _preview(
        c,
        world,
        2,
        kind="pay",
        obligor=respondent,
        beneficiary=applicant,
        subject="经济损失及合理开支",
        amount="30000.00",
        due_date=due.isoformat(),
    )
    assert response.status_code == 200
    shown = _text(response)
    assert "叁万元整" in shown and f"{due.year}年{due.month}月{due.day}日" in shown
    assert not Agreement.objects.exists()  # a preview saves nothing
    term = TermIn(
        "pay",
        obligor=respondent,
        beneficiary=applicant,
        subject="经济损失及合理开支",
        amount_fen=3_000_000,
        due_date=due,
    )
    agreement = af.draft(world, terms=[term])
    assert queries.term_texts(agreement) == [shown]
    assert queries.document_context(agreement)["terms"] == [shown]  # what the PDF prints


def test_the_preview_names_what_its_kind_still_needs_and_numbers_its_warnings(world):
    c = factories.client_for(world.mediator_user)
    response = _preview(c, world, 2, kind="pay", subject="赔偿")
    body = response.content.decode()
    assert "（未载明）" in _text(response)  # who pays and how much: not stated
    # Who performs and for whom are the required fields of a payment (terms.KINDS).
    missing = body[body.index('data-code="missing"') :].split("</p>")[0]
    with translation.override("zh-hans"):
        labels = [str(TermForm.base_fields[f].label) for f in ("obligor", "beneficiary")]
        other_labels = [str(TermForm.base_fields[f].label) for f in ("subject", "due_date")]
    assert all(label in missing for label in labels), missing
    assert not any(label in missing for label in other_labels), missing
    vague_date = body[body.index('data-code="vague_date"') :].split("</p>")[0]
    assert 'data-code="vague_amount"' in body and "3" in vague_date  # row 2 is term 3
    # Another kind, another set: "other" needs only its wording.
    response = _preview(c, world, 0, kind="other", details="双方各自承担诉讼费用。")
    assert "双方各自承担诉讼费用" in _text(response)
    assert 'data-code="missing"' not in response.content.decode()
    # No kind yet: a hint, no sentence.
    assert 'data-testid="term-text"' not in _preview(c, world, 1, kind="").content.decode()


def test_only_who_may_draft_may_ask_and_the_row_is_checked(world):
    assert (
        _preview(factories.client_for(world.applicant), world, 0, kind="other").status_code == 403
    )
    stranger = factories.client_for(factories.person("party"))
    assert _preview(stranger, world, 0, kind="other").status_code == 404
    c = factories.client_for(world.mediator_user)
    for row in ("x", "999", ""):
        url = f"/agreements/case/{world.case.pk}/term-preview/?row={row}"
        assert c.post(url, {}).status_code == 400, row
    assert c.get(f"/agreements/case/{world.case.pk}/term-preview/?row=0").status_code == 405


def test_a_draft_of_more_terms_than_the_first_rows_keeps_every_one(world):
    c = factories.client_for(world.mediator_user)
    data = {"facts": af.FACTS, "then": "preview"}
    for i in range(8):
        data |= {f"term-{i}-kind": "other", f"term-{i}-details": f"第{i + 1}项约定。"}
    assert c.post(f"/agreements/case/{world.case.pk}/draft/", data).status_code == 302
    assert Agreement.objects.get().terms.count() == 8
