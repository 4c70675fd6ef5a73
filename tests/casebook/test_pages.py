"""The library's pages and API: public without log-in, drafts only for the editors of their
court (404 for everyone else), every bad input answered without a change."""

from __future__ import annotations

import pytest
from django.test import Client

from sutiao.casebook.models import Change, State, TypicalCase
from tests import factories

from .conftest import DRAFT, drafted, editor_of, published

pytestmark = pytest.mark.django_db


def test_the_public_searches_and_reads_without_logging_in(desk):
    tc = published(desk)
    page = Client().get("/casebook/", {"q": "扫地机器人 权利要求", "ip_kind": "patent"})
    html = page.content.decode()
    assert page.status_code == 200 and f'href="/casebook/{tc.pk}/"' in html
    detail = Client().get(f"/casebook/{tc.pk}/").content.decode()
    assert "张某" in detail and "张伟" not in detail and "13912345678" not in detail
    api = Client().get("/api/v1/casebook/search", {"q": "现有技术"}).json()
    assert [row["id"] for row in api] == [tc.pk]
    one = Client().get(f"/api/v1/casebook/cases/{tc.pk}").json()
    assert "110108198001011237" not in one["facts"]


def test_drafts_are_hidden_from_the_public_and_other_courts(desk):
    tc = drafted(desk)
    assert Client().get(f"/casebook/{tc.pk}/").status_code == 404
    assert Client().get(f"/api/v1/casebook/cases/{tc.pk}").status_code == 404
    stranger = editor_of(factories.court("另一法院", code="沪73"))
    other = factories.client_for(stranger)
    assert other.get(f"/casebook/desk/{tc.pk}/").status_code == 404
    assert other.post(f"/casebook/desk/{tc.pk}/submit/").status_code == 404
    assert other.get(f"/casebook/desk/new/?case={desk.case.pk}").status_code == 404
    assert TypicalCase.objects.get(pk=tc.pk).state == State.DRAFT
    mine = factories.client_for(desk.editor)
    assert mine.get(f"/casebook/desk/{tc.pk}/").status_code == 200


def test_the_desk_is_for_editors_only(desk):
    clerk = factories.person("court_clerk", court=desk.court)
    assert factories.client_for(clerk).get("/casebook/desk/").status_code == 403


def test_a_draft_from_the_form_with_bad_fields_shows_the_errors_and_saves_nothing(desk):
    client = factories.client_for(desk.editor)
    page = client.get(f"/casebook/desk/new/?case={desk.case.pk}")
    assert page.status_code == 200
    answer = client.post("/casebook/desk/new/", {"title": "", "ip_kind": "patent"})
    assert answer.status_code == 200 and 'class="error"' in answer.content.decode()
    assert not TypicalCase.objects.exists()
    data = {k: v for k, v in DRAFT.items() if k not in ("persons", "companies", "amount_fen")}
    data |= {"persons": "张伟\n李强", "companies": "北京星辰科技有限公司", "amount_yuan": "120000"}
    answer = client.post(f"/casebook/desk/new/?case={desk.case.pk}", data)
    assert answer.status_code == 302
    tc = TypicalCase.objects.get()
    assert tc.source_case == desk.case and tc.persons == ["张伟", "李强"]
    assert tc.amount_fen == 12_000_000


def test_the_review_page_decides_changes_and_refuses_steps_out_of_turn(desk):
    tc = drafted(desk)
    editor = factories.client_for(desk.editor)
    assert editor.post(f"/casebook/desk/{tc.pk}/submit/").status_code == 302
    reviewer = factories.client_for(desk.reviewer)
    page = reviewer.get(f"/casebook/desk/{tc.pk}/").content.decode()
    ids = list(Change.objects.values_list("pk", flat=True))
    assert all(f'name="change-{pk}"' in page for pk in ids)
    refused = reviewer.post(f"/casebook/desk/{tc.pk}/publish/", follow=True)
    assert refused.status_code == 200
    assert TypicalCase.objects.get(pk=tc.pk).state == State.IN_REVIEW
    reviewer.post(f"/casebook/desk/{tc.pk}/decide/", {f"change-{pk}": "accepted" for pk in ids})
    assert not Change.objects.filter(decision="pending").exists()
    reviewer.post(f"/casebook/desk/{tc.pk}/approve/")
    reviewer.post(f"/casebook/desk/{tc.pk}/publish/")
    assert TypicalCase.objects.get(pk=tc.pk).state == State.PUBLISHED
    no_reason = reviewer.post(f"/casebook/desk/{tc.pk}/withdraw/", {"reason": ""}, follow=True)
    assert TypicalCase.objects.get(pk=tc.pk).state == State.PUBLISHED
    assert no_reason.status_code == 200
    assert reviewer.post(f"/casebook/desk/{tc.pk}/nonsense/").status_code == 404


def test_articles_are_written_published_and_read_by_the_public(desk):
    client = factories.client_for(desk.editor)
    answer = client.post(
        "/casebook/desk/articles/new/",
        {"title": "什么是诉前调解", "body": "诉前调解是……", "ip_kind": "patent"},
    )
    assert answer.status_code == 302
    from sutiao.casebook.models import Article

    article = Article.objects.get()
    assert Client().get(f"/casebook/articles/{article.pk}/").status_code == 404
    client.post(f"/casebook/desk/articles/{article.pk}/publish/")
    assert Client().get(f"/casebook/articles/{article.pk}/").status_code == 200
    assert "什么是诉前调解" in Client().get("/casebook/", {"ip_kind": "patent"}).content.decode()


def test_related_cases_share_words_and_the_ip_kind(desk):
    first = published(desk)
    second = published(desk, title="扫地机器人外观专利纠纷调解案")
    published(
        desk, title="商标纠纷", ip_kind="trademark", facts="商标近似的认定。", dispute="商标近似"
    )
    html = Client().get(f"/casebook/{first.pk}/").content.decode()
    assert 'id="related"' in html and f'href="/casebook/{second.pk}/"' in html
