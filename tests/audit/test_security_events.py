"""Log-ins, failed log-ins and pages that show a phone number unmasked leave audit entries
(issue 13, fix 3: what GB/T 22239 wants traced besides changes of state)."""

import pytest
from django.urls import reverse

from sutiao.audit.log import verify
from sutiao.audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_log_in_is_audited(client):
    user = factories.person(username="alice")
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="security.login").get()
    assert entry.actor_id == user.pk and entry.changes["address"] == "127.0.0.1"
    assert verify().ok


def test_a_failed_log_in_is_audited_with_the_name_masked(client):
    factories.person(username="13900001234")
    response = client.post(
        reverse("accounts:login"), {"username": "13900001234", "password": "wrong password"}
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action="security.login_failed").get()
    assert entry.actor_id is None
    assert "13900001234" not in entry.summary and entry.summary.startswith("13")
    assert not AuditEntry.objects.filter(action="security.login").exists()


def test_a_log_out_is_audited(client):
    user = factories.person()
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    assert AuditEntry.objects.filter(action="security.logout", actor=user).exists()


def test_the_profile_page_showing_the_whole_phone_is_audited(client):
    user = factories.person()
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert user.phone in response.content.decode()
    entry = AuditEntry.objects.filter(action="security.personal_data_read").get()
    assert entry.actor_id == user.pk and entry.changes == {"fields": ["phone"]}
    assert entry.object_id == str(user.pk)
