"""schemathesis over /api/docking/v1 in the suite, stricter than the CI step
(tests/security/schemathesis_api.py): besides no server error and a documented status,
every response's body must match its schema and its content type. The partner has a token
of the client-credentials grant and a case of its own, so the feed has events to show."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sutiao.docking.api import api
from tests import factories

from .conftest import Partner, application, register

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_DOCKING_EXAMPLES", "25"))
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def partner_headers(client):
    org = factories.org()
    partner = Partner(client, register("广东知识产权保护中心平台", orgs=[org]))
    assert partner.post("/applications", application(org=org)).status_code == 202
    # Requests do not close the test's connection (its transaction holds the rows).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {partner.bearer}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_docking_responses_match_the_document(case, partner_headers):
    case.call_and_validate(headers=partner_headers, checks=CHECKS)
