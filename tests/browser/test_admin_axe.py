"""Issue 15, item 8, the Django admin: a platform administrator, signed in with the password
and the code of their authenticator app as the admin requires, opens the admin's index, change
lists and change forms; axe-core finds no critical or serious violation on any of them and the
page says nothing in the console."""

from __future__ import annotations

import pytest

from sutiao.institutions.models import IPKind, Region
from tests import factories

from .crawl import visit
from .steps import log_in, pass_second_factor, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pages(admin_pk: int) -> list[str]:
    region = Region.objects.order_by("code").first()
    kind = IPKind.objects.order_by("pk").first()
    assert region and kind, "the migrations' reference data is there"
    return [
        "/admin/",
        "/admin/institutions/region/",
        f"/admin/institutions/region/{region.pk}/change/",
        "/admin/institutions/ipkind/",
        f"/admin/institutions/ipkind/{kind.pk}/change/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin_pk}/change/",
        "/admin/delivery/messagetemplate/add/",
        "/admin/oauth2_provider/application/",
        "/admin/oauth2_provider/application/add/",
    ]


def test_the_admin_passes_axe(live_server, in_browser, axe, capsys):
    admin = factories.admin()
    key = factories.with_totp(admin).bin_key
    pages = _pages(admin.pk)

    def journey(new_page):
        page = new_page()
        log_in(page, live_server.url, admin.username, factories.PASSWORD)
        assert path_of(page) == "/accounts/second-factor/", page.url
        pass_second_factor(page, key)
        found = []
        for path in pages:
            found.append((visit(page, live_server.url + path, axe), path_of(page)))
        return found

    visits = in_browser(journey)
    faults = []
    for path, (v, landed) in zip(pages, visits, strict=True):
        assert v is not None and v.status == 200, (path, v)
        assert landed == path, f"{path} went to {landed}"  # not to the admin's log-in
        faults += [f"{path}: console: {e}" for e in v.errors]
        faults += [
            f"{path}: axe {s['id']} ({s['impact']}, {s['nodes']} nodes: {s['targets']})"
            for s in v.serious
        ]
    with capsys.disabled():
        print(f"\nadmin: {len(visits)} pages, axe violations (any impact):")
        for path, (v, _) in zip(pages, visits, strict=True):
            print(
                f"  {path}  {', '.join(x['id'] + ':' + x['impact'] for x in v.violations) or 'clean'}"
            )
    assert not faults, "\n".join(faults)
