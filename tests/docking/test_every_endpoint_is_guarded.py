"""Every operation of the docking API's OpenAPI document has its guard case here: without
its scope 403, another partner's case or reference 404 or unseen. The list comes from the
document, so a new endpoint without a case here fails this test."""

import pytest

from sutiao.docking.api import api

from .conftest import ALL, Partner, application, register

pytestmark = pytest.mark.django_db
SCOPE = {
    ("post", "/api/docking/v1/applications"): "applications:write",
    ("get", "/api/docking/v1/applications/{reference}"): "applications:read",
    ("get", "/api/docking/v1/events"): "events:read",
}


def _operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema(path_prefix="/api/docking/v1")["paths"]
    return {(m, p) for p, ops in paths.items() for m in ops}


def _call(partner: Partner, method: str, path: str, org):
    path = path.replace("{reference}", "GD-2026-0001").removeprefix("/api/docking/v1")
    if method == "post":
        return partner.post(path, application(org=org), key=f"guard-{partner.reg.partner.pk}")
    return partner.get(path)


def test_the_table_names_every_operation_of_the_document():
    assert _operations() == set(SCOPE)


@pytest.mark.parametrize(("method", "path"), sorted(SCOPE))
def test_without_the_scope_each_endpoint_is_403(client, org, method, path):
    lacking = [s for s in ALL if s != SCOPE[(method, path)]]
    partner = Partner(client, register("缺权限平台", scopes=lacking))
    answer = _call(partner, method, path, org)
    assert answer.status_code == 403, answer.content
    assert answer.json()["error"]["code"] == "docking.scope_missing"


@pytest.mark.parametrize(("method", "path"), sorted(SCOPE))
def test_another_partners_case_is_not_seen_at_any_endpoint(client, org, method, path):
    owner = Partner(client, register("平台甲"))
    sent = owner.post("/applications", application(org=org), key="owner").json()
    stranger = Partner(client, register("平台乙"))
    answer = _call(stranger, method, path, org)
    if method == "post":  # the same reference is the stranger's own, never the owner's case
        assert answer.status_code == 202 and answer.json()["case"] != sent["case"]
    elif "{reference}" in path:
        assert answer.status_code == 404
    else:
        cases = {e["subject"] for e in answer.json()["events"]}
        assert f"cases/{sent['case']}" not in cases
