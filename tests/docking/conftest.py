import base64
import json

import pytest

from sutiao.docking import actions
from tests import factories

TOKEN_URL = "/api/docking/v1/oauth/token"
ALL = ["applications:write", "applications:read", "events:read"]


def register(name: str, scopes=ALL, **institutions) -> actions.Registered:
    return actions.register_partner(actor="test", name=name, scopes=list(scopes), **institutions)


def token(client, reg: actions.Registered, scope: str | None = None):
    """A token by the client-credentials grant, the client authenticating with HTTP Basic."""
    basic = base64.b64encode(f"{reg.client_id}:{reg.client_secret}".encode()).decode()
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return client.post(TOKEN_URL, data, HTTP_AUTHORIZATION=f"Basic {basic}")


class Partner:
    """A partner's HTTP client: its bearer token on every call."""

    def __init__(self, client, reg: actions.Registered):
        self.client, self.reg = client, reg
        answer = token(client, reg)
        assert answer.status_code == 200, answer.content
        self.bearer = answer.json()["access_token"]

    def post(self, path: str, body, *, key: str | None = "k1"):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.bearer}"}
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.client.post(
            "/api/docking/v1" + path, raw, content_type="application/json", **headers
        )

    def get(self, path: str):
        return self.client.get("/api/docking/v1" + path, HTTP_AUTHORIZATION=f"Bearer {self.bearer}")


def application(reference: str = "GD-2026-0001", org=None, **over) -> dict:
    return {
        "reference": reference,
        "title": "商标侵权纠纷",
        "org_id": org.pk,
        "claims": "停止侵权，赔偿损失",
        "amount_fen": 1_000_000,
        "applicant": {"name": "甲公司", "kind": "legal"},
        "respondents": [{"name": "乙公司", "kind": "legal"}],
        **over,
    }


@pytest.fixture
def org():
    return factories.org()
