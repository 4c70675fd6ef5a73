"""schemathesis over the API, in-process on the WSGI application (issue 21 item 3, issue 13
item 7): /api/v1 with a session and with a Bearer token, /api/docking/v1 with an OAuth
client-credentials token. Every generated request must get no server error and a status
code its operation documents.

Not collected by the suite (the name does not start with test_): .ci/run runs it once, as a
step of its own (`./scripts/test tests/security/schemathesis_api.py`), since it is slow.
SCHEMATHESIS_EXAMPLES sets the examples per operation (default 5)."""

from __future__ import annotations

import base64
import os
import secrets

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from sutiao.accounts.actions import issue_api_token
from sutiao.api import api as v1_api
from sutiao.docking import actions as docking
from sutiao.docking.api import api as docking_api
from tests import factories
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance]
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure is reproducible
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
TRIED: dict[str, int] = {}


def _schema(api) -> schemathesis.schemas.BaseSchema:
    """The OpenAPI document the API serves, loaded eagerly (schemathesis's lazy fixture
    loader does not work with pytest 9), sent to the WSGI application in this process."""
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture(autouse=True)
def _connection_kept(db):
    """As with Django's test client, requests do not close the test's connection (its
    transaction holds the rows the requests read)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def session_headers(db):
    """A party's session, with the CSRF cookie and header a browser's script sends."""
    client = factories.client_for(factories.person("party"))
    csrf = secrets.token_hex(16)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}"
    return {"Cookie": cookie, "X-CSRFToken": csrf}


@pytest.fixture
def bearer_headers(db):
    user = factories.person("party")
    _token, raw = issue_api_token(actor=user, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def partner_headers(db, client):
    org = factories.org()
    reg = docking.register_partner(
        actor="test",
        name="广东知识产权保护中心",
        scopes=["applications:write", "applications:read", "events:read"],
        orgs=[org],
    )
    basic = base64.b64encode(f"{reg.client_id}:{reg.client_secret}".encode()).decode()
    answer = client.post(
        "/api/docking/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert answer.status_code == 200, answer.content
    # The test client connects Django's connection-closing handlers again after its request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _count(kind: str) -> None:
    TRIED[kind] = TRIED.get(kind, 0) + 1


v1 = _schema(v1_api)
partner_api = _schema(docking_api)


@v1.parametrize()
@BOUNDED
def test_api_v1_with_a_session(case, session_headers):
    _count("v1 session")
    case.call_and_validate(headers=session_headers, checks=CHECKS)


@v1.parametrize()
@BOUNDED
def test_api_v1_with_a_bearer_token(case, bearer_headers):
    _count("v1 bearer")
    case.call_and_validate(headers=bearer_headers, checks=CHECKS)


@partner_api.parametrize()
@BOUNDED
def test_docking_api_with_a_client_credentials_token(case, partner_headers):
    _count("docking")
    case.call_and_validate(headers=partner_headers, checks=CHECKS)


def test_zz_requests_tried(capsys):
    """Prints the requests tried (docs/assurance.md keeps the figures)."""
    with capsys.disabled():
        print(f"\nschemathesis requests tried: {TRIED} = {sum(TRIED.values())}")
    assert sum(TRIED.values()) > 0
