"""Nobody sees a court's private facets without business there; parties stay out of staff pages."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_courts():
    a, b = factories.court("甲法院"), factories.court("乙法院")
    clerk_a = factories.person("court_clerk", court=a)
    factories.person("judge", court=b)
    return a, b, clerk_a


def test_clerk_reads_own_court_staff_and_settings(two_courts):
    a, _, clerk = two_courts
    client = factories.client_for(clerk)
    assert client.get(f"/institutions/courts/{a.pk}/staff/").status_code == 200
    assert client.get(f"/institutions/courts/{a.pk}/settings/").status_code == 200
    assert client.get(f"/api/v1/courts/{a.pk}/staff").status_code == 200


@pytest.mark.parametrize(
    "path", ["/institutions/courts/{}/staff/", "/institutions/courts/{}/settings/"]
)
def test_clerk_of_court_a_gets_404_for_court_b_pages(two_courts, path):
    _, b, clerk = two_courts
    assert factories.client_for(clerk).get(path.format(b.pk)).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/courts/{}/staff", "/api/v1/courts/{}/settings"])
def test_clerk_of_court_a_gets_404_for_court_b_api(two_courts, path):
    _, b, clerk = two_courts
    response = factories.client_for(clerk).get(path.format(b.pk))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_foreign_court_and_a_missing_one_answer_alike(two_courts):
    _, b, clerk = two_courts
    client = factories.client_for(clerk)
    foreign = client.get(f"/api/v1/courts/{b.pk}/staff").json()
    missing = client.get("/api/v1/courts/999999/staff").json()
    assert foreign == missing


def test_clerk_cannot_change_another_courts_settings(two_courts):
    _, b, clerk = two_courts
    response = factories.client_for(clerk).patch(
        f"/api/v1/courts/{b.pk}/settings",
        {"case_number_code": "X"},
        content_type="application/json",
    )
    assert response.status_code == 404
    b.refresh_from_db()
    assert b.case_number_code == "京73"


def test_clerk_changes_own_settings_audited(two_courts):
    from sutiao.audit.models import AuditEntry

    a, _, clerk = two_courts
    response = factories.client_for(clerk).patch(
        f"/api/v1/courts/{a.pk}/settings",
        {"case_number_code": "京73民"},
        content_type="application/json",
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="court.settings_updated")
    assert entry.changes == {"case_number_code": ["京73", "京73民"]}


@pytest.mark.parametrize("path", ["/institutions/orgs/", "/institutions/orgs/new/"])
def test_party_cannot_open_staff_pages(client, path):
    party = factories.person("party")
    assert factories.client_for(party).get(path).status_code == 403


def test_party_is_kept_out_of_the_admin():
    party = factories.person("party")
    response = factories.client_for(party).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_second_factor_is_sent_to_verify_first(two_courts):
    from django.test import Client

    a, _, clerk = two_courts
    client = Client()
    client.force_login(clerk)  # password only
    response = client.get(f"/institutions/courts/{a.pk}/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/")
    # The API does not take an unverified staff session either.
    assert client.get(f"/api/v1/courts/{a.pk}/staff").status_code == 401


def test_colleagues_see_each_other_strangers_do_not(two_courts):
    from sutiao.core.policy import can

    a, b, clerk = two_courts
    colleague = factories.person("judge", court=a)
    stranger = factories.person("judge", court=b)
    assert can(clerk, "view", colleague)
    assert not can(clerk, "view", stranger)
