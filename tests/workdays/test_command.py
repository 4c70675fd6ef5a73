from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_show_explains_a_date_and_the_period_from_it():
    out = run("show", "2026-09-30", "--add", "3", "--days", "7", "--rule", "objection")
    assert "2026-09-30 Wed working day" in out
    assert "+3 working days → 2026-10-10 Sat working day (国庆节调休上班)" in out
    assert "+7 calendar days → 2026-10-08 Thu working day (moved from 2026-10-07, CPL 85)" in out
    assert "objection: 15 calendar days (CPL-I 372) → 2026-10-15" in out


def test_show_into_a_year_not_entered_says_it_is_provisional():
    out = run("show", "2026-12-30", "--add", "2")
    assert "+2 working days → 2027-01-04 Mon working day (provisional)" in out
    assert "2027-01-01 Fri rest day (元旦, provisional)" in run("show", "2027-01-01")


def test_beyond_the_provisional_range_show_fails_with_the_reason():
    with pytest.raises(CommandError, match="2100"):
        run("show", "2099-12-30", "--add", "5")


def test_years_lists_completeness():
    out = run("years")
    assert "2026 complete" in out and "2004 complete" in out
