"""Records that change only through the actions are read-only in the Django admin, even for a
superuser: what each admin page may add, change and delete (core.admin mixins)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from sutiao.agreements.models import Agreement
from sutiao.audit.models import AuditEntry
from sutiao.delivery.models import Delivery, DeliveryEvent, MessageTemplate, Service, SmsRecord
from sutiao.documents.models import CertificateAuthority, Document, SignerCertificate
from sutiao.institutions.models import IPKind, Region
from sutiao.judicial.models import ConfirmationApplication, MediationDocument
from sutiao.roster.models import ImportJob
from tests import factories

pytestmark = pytest.mark.django_db

# model -> (may add, may change, may delete)
EXPECTED = {
    AuditEntry: (False, False, False),
    Service: (False, False, False),
    Delivery: (False, False, False),
    DeliveryEvent: (False, False, False),
    SmsRecord: (False, False, False),
    MessageTemplate: (True, True, True),
    ConfirmationApplication: (False, False, False),
    MediationDocument: (False, False, False),
    Region: (False, False, False),
    IPKind: (False, True, False),
    SignerCertificate: (False, False, True),
    CertificateAuthority: (False, False, True),
    Document: (False, False, True),
    Agreement: (False, True, False),
    ImportJob: (False, True, True),
}


@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m.__name__)
def test_what_a_superuser_may_do_on_each_admin_page(model):
    request = RequestFactory().get("/admin/")
    request.user = factories.admin()
    page = admin.site._registry[model]
    found = (
        page.has_add_permission(request),
        page.has_change_permission(request),
        page.has_delete_permission(request),
    )
    assert found == EXPECTED[model]


def test_the_add_page_of_a_read_only_record_is_refused():
    client = factories.client_for(factories.admin())
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.get("/admin/delivery/messagetemplate/add/").status_code == 200
