"""Bad input gets a clear error (Chinese first, English complete) and changes nothing:
negative amounts, an unknown IP kind, a period that ends before it starts, a scheme period
overlapping another scheme of the office, a sheet period overlapping another sheet or
outside the scheme, deciders who are not the office's staff."""

import datetime as dt

import pytest
from django.utils import translation

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Invalid
from sutiao.subsidies import actions, sheets
from sutiao.subsidies.errors import SubsidyError
from sutiao.subsidies.models import Scheme, SchemeVersion, Sheet
from tests import factories as f

from . import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-29")]


def _counts() -> tuple[int, ...]:
    models = (Scheme, SchemeVersion, Sheet, AuditEntry)
    return tuple(m.objects.count() for m in models)


def _refused(call, code: str, english: str) -> None:
    """Refused with `code` and a message (the Chinese comes from the catalog, which the
    lead merges: /tmp/msgids-subsidies.json), changing nothing."""
    before = _counts()
    with translation.override("en"), pytest.raises(Invalid) as en:
        call()
    assert en.value.code == code and english in str(en.value.message), en.value.message
    assert en.value.details["fields"]  # shown beside a field
    assert _counts() == before


@pytest.mark.parametrize(
    "change,code,english",
    [
        ({"settled_fen": -100}, SubsidyError.BAD_AMOUNT, "cannot be negative"),
        ({"cap_mediator_fen": -1}, SubsidyError.BAD_AMOUNT, "cannot be negative"),
        ({"rates": {"patent": [100, -5]}}, SubsidyError.BAD_AMOUNT, "negative"),
        ({"rates": {"design_x": [100, 50]}}, SubsidyError.UNKNOWN_IP_KIND, "design_x"),
        (
            {"valid_to": dt.date(2025, 12, 1)},
            SubsidyError.BAD_PERIOD,
            "ends before it starts",
        ),
    ],
)
def test_bad_terms_are_refused_and_change_nothing(change, code, english):
    w = b.world()
    t = b.terms(w, **change)
    _refused(
        lambda: actions.create_scheme(actor=w.preparer, name="方案", owner=w.office, terms=t),
        code,
        english,
    )


def test_overlapping_periods_are_refused():
    w = b.world()
    scheme = actions.create_scheme(actor=w.preparer, name="方案", owner=w.office, terms=b.terms(w))
    second = b.terms(w, valid_from=dt.date(2026, 12, 1), valid_to=dt.date(2027, 6, 30))
    _refused(
        lambda: actions.create_scheme(
            actor=w.preparer, name="另一方案", owner=w.office, terms=second
        ),
        SubsidyError.OVERLAP,
        "overlaps",
    )
    sheets.prepare_sheet(
        actor=w.preparer, scheme=scheme, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    _refused(
        lambda: sheets.prepare_sheet(
            actor=w.preparer, scheme=scheme, start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 30)
        ),
        SubsidyError.OVERLAP,
        "overlaps",
    )
    _refused(
        lambda: sheets.prepare_sheet(
            actor=w.preparer, scheme=scheme, start=dt.date(2026, 12, 1), end=dt.date(2027, 1, 31)
        ),
        SubsidyError.BAD_PERIOD,
        "within the scheme's period (2026-01-01 to 2026-12-31)",
    )


def test_deciders_must_be_the_offices_own_staff():
    w = b.world()
    outsider = f.person("ip_office_staff", ip_office=f.office(region="120000"))
    _refused(
        lambda: actions.create_scheme(
            actor=w.preparer, name="方案", owner=w.office, terms=b.terms(w, approvers=[outsider])
        ),
        SubsidyError.NO_DECIDERS,
        "reviewer",
    )


def test_the_page_shows_a_negative_amount_with_its_reason():
    w = b.world()
    client = f.client_for(w.preparer)
    client.cookies["django_language"] = "en"
    before = _counts()
    answer = client.post(
        "/subsidies/schemes/new/",
        {
            "name": "页面方案",
            "owner": f"office:{w.office.pk}",
            "valid_from": "2026-01-01",
            "valid_to": "2026-06-30",
            "settled": "-300",
            "failed": "100",
            "reviewers": [w.reviewer.pk],
            "approvers": [w.approver.pk],
        },
    )
    assert answer.status_code == 200
    assert "An amount cannot be negative." in answer.content.decode()
    assert _counts() == before
