from __future__ import annotations

import pytest
import time_machine
from django.core.management import call_command

from tests import clock


def load_reference_data() -> None:
    from sutiao.institutions.models import IPKind, Region
    from sutiao.institutions.reference import load_ip_kinds, load_regions
    from sutiao.workdays.models import CalendarDay, CalendarYear
    from sutiao.workdays.reference import seed_from_package

    if not Region.objects.exists():
        load_regions(Region)
        load_ip_kinds(IPKind)
    if not CalendarYear.objects.exists():
        seed_from_package(CalendarYear, CalendarDay)


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """A generated data set, made once per module on the pinned clock and its figures
    rebuilt; every table is flushed afterwards (the next module starts empty)."""

    def make(cases: int, **options):
        from sutiao.demo.generate import generate
        from sutiao.evaluation.summary import rebuild

        with django_db_blocker.unblock(), time_machine.travel(clock.WORKING_MONDAY, tick=False):
            load_reference_data()
            generate(cases=cases, progress=None, **options)
            rebuild()

    yield make
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        load_reference_data()
