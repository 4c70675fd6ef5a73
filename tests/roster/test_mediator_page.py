import pytest

from sutiao.accounts.roles import Role
from tests import factories as f

from . import factories as rf

pytestmark = pytest.mark.django_db


def test_mediator_is_linked_to_their_account_at_login_and_sees_their_rosters(client):
    court = f.court("北京知识产权法院自页", region="110108")
    org = f.org("自页调解中心")
    number = rf.mediator_id_number(777_001)
    m = rf.mediator("自页调解员", id_number=number, orgs=[org])
    rf.admitted(m, court, certificate_number="京73特邀555")
    from sutiao.accounts import actions as account_actions

    user = account_actions.register_person(
        actor=None,
        username="selfmed",
        password=f.PASSWORD,
        real_name="自页调解员",
        id_number=number,
    )
    response = client.post("/accounts/login/", {"username": "selfmed", "password": f.PASSWORD})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.user_id == user.pk
    user.refresh_from_db()
    assert Role.MEDIATOR in {ms.role for ms in user.memberships.all()}
    # A mediator acts for an organisation: the second factor comes first (issue 13, fix 2).
    assert client.get("/roster/me/")["Location"].startswith("/accounts/second-factor/")
    code = f.next_code(f.with_totp(user))
    assert client.post("/accounts/second-factor/", {"token": code}).status_code == 302
    html = client.get("/roster/me/").content.decode()
    assert "京73特邀555" in html and court.name in html
    assert "/roster/me/" in client.get("/").content.decode()


def test_someone_without_a_record_gets_a_clear_page():
    response = f.client_for(f.person()).get("/roster/me/")
    assert response.status_code == 404
    assert "roster" in response.content.decode() or "名册" in response.content.decode()


def test_role_home_links(client):
    staff, office = rf.office_staff()
    html = f.client_for(staff).get("/").content.decode()
    assert "/roster/manage/" in html and "/roster/import/" in html
    court = f.court()
    html = f.client_for(rf.clerk(court)).get("/").content.decode()
    assert f"/roster/courts/{court.pk}/pending/" in html
