"""Reference data comes from data migrations; a transactional test (live server, browser)
flushes every table when it ends, so whatever needs it next puts it back first."""

from __future__ import annotations

import importlib


def put_back() -> None:
    from django.apps import apps

    from sutiao.agreements.models import AgreementTemplate
    from sutiao.institutions.models import IPKind, Region
    from sutiao.institutions.reference import load_ip_kinds, load_regions
    from sutiao.workdays.models import CalendarDay, CalendarYear
    from sutiao.workdays.reference import seed_from_package

    if not Region.objects.exists():
        load_regions(Region)
        load_ip_kinds(IPKind)
    if not CalendarYear.objects.exists():
        seed_from_package(CalendarYear, CalendarDay)
    if not AgreementTemplate.objects.exists():
        seed = "sutiao.agreements.migrations.0002_seed_ip_settlement_template"
        importlib.import_module(seed).seed(apps, None)
