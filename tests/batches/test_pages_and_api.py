"""The pages and /api/v1 endpoints of batches: the same checks as the actions; strangers
get a 404; the template downloads."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from sutiao.batches import spreadsheet
from sutiao.cases.models import Case
from tests import factories

from .conftest import rows, upload, xlsx


def test_the_template_has_every_column(world):
    answer = factories.client_for(world["holder"]).get("/batches/template.xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    headers = [c.value.rstrip("*") for c in sheet[1]]
    assert headers == [c.header for c in spreadsheet.COLUMNS]


def test_the_clerk_sees_the_batch_as_one_line_with_counts(world):
    batch, _created = upload(world, xlsx(rows(6, bad=False)))
    page = factories.client_for(world["clerk"]).get("/batches/").content.decode()
    assert batch.title in page and "6" in page
    detail = factories.client_for(world["clerk"]).get(f"/batches/{batch.pk}/").content.decode()
    assert 'id="matching"' in detail and world["mediators"][0].name in detail


def test_a_stranger_gets_404_on_page_and_api(world):
    batch, _created = upload(world, xlsx(rows(3, bad=False)))
    stranger = factories.client_for(factories.person("court_clerk", court=factories.court()))
    assert stranger.get(f"/batches/{batch.pk}/").status_code == 404
    assert stranger.post(f"/batches/{batch.pk}/delegate/").status_code == 404
    assert stranger.get(f"/api/v1/batches/{batch.pk}").status_code == 404
    answer = stranger.post(
        f"/api/v1/batches/{batch.pk}/delegate",
        {"mediators": [world["mediators"][0].pk]},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert not Case.objects.filter(state="awaiting_acceptance").exists()


def test_upload_and_delegate_through_the_api(world, media):
    client = factories.client_for(world["holder"])
    form = {
        "court": world["court"].pk,
        "title": "接口批量",
        "ip_kind": "copyright",
        "claims": "停止侵权。",
        "applicant_name": "某图片社有限公司",
        "applicant_code": "91110108MA01ABCDEN",
        "service_email": "agency@example.com",
        "notice_acknowledged": "true",
    }
    data = xlsx(rows(12))
    sheet = io.BytesIO(data)
    sheet.name = "batch.xlsx"
    answer = client.post("/api/v1/batches/", {**form, "spreadsheet": sheet})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["created_count"] == 11 and body["errors"][0]["line"] == 11
    again = io.BytesIO(data)
    again.name = "batch.xlsx"
    assert client.post("/api/v1/batches/", {**form, "spreadsheet": again}).status_code == 200

    clerk = factories.client_for(world["clerk"])
    ranked = clerk.get(f"/api/v1/batches/{body['id']}/matching").json()
    assert {r["mediator"] for r in ranked} == {m.pk for m in world["mediators"]}
    assert all(round(sum(p["points"] for p in r["reasons"]), 1) == r["score"] for r in ranked)
    answer = clerk.post(
        f"/api/v1/batches/{body['id']}/delegate",
        {"mediators": [m.pk for m in world["mediators"]]},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert len(answer.json()["cases"]) == 11


def test_a_bad_api_upload_answers_422_and_changes_nothing(world):
    client = factories.client_for(world["holder"])
    sheet = io.BytesIO(b"not a spreadsheet")
    sheet.name = "batch.xlsx"
    answer = client.post(
        "/api/v1/batches/",
        {
            "court": world["court"].pk,
            "title": "坏文件",
            "ip_kind": "copyright",
            "claims": "停止侵权。",
            "applicant_name": "某图片社有限公司",
            "service_email": "a@example.com",
            "notice_acknowledged": "true",
            "spreadsheet": sheet,
        },
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "batch.bad_spreadsheet"
    assert not Case.objects.exists()
