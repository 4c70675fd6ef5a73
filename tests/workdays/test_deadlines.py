"""Named time limits end at the end of their last day in Shanghai, returned in UTC."""

from datetime import UTC, date, datetime

import pytest

from sutiao.workdays.periods import RULES, SHANGHAI, deadline, end_date, remaining

pytestmark = pytest.mark.django_db


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.rule(
    "OMR-10a",
    "OMR-10b",
    "OMR-12",
    "OMR-15",
    "OMR-24a",
    "OMR-24b",
    "Opinion-2024b",
    "CPL-205a",
    "CPL-187",
    "CPL-I-372",
)
def test_rule_table_matches_rules_md_section_3_and_7():
    table = {name: (r.kind, r.days) for name, r in RULES.items()}
    assert table == {
        "choose_mediator": ("working", 2),
        "assign_mediator": ("working", 3),
        "accept_assignment": ("working", 3),
        "reach_other_side": ("working", 3),
        "mediation_delegated": ("calendar", 30),
        "mediation_direct": ("calendar", 30),
        "mediation_entrusted_ordinary": ("calendar", 15),
        "mediation_entrusted_simple": ("calendar", 7),
        "extension_entrusted": ("calendar", 30),
        "confirmation_application": ("calendar", 30),
        "confirmation_decision": ("calendar", 30),
        "objection": ("calendar", 15),
    }
    assert all(r.source and r.label for r in RULES.values())


def test_deadline_is_the_last_instant_of_the_last_day_in_shanghai():
    due = deadline(shanghai(2026, 9, 30, 10, 0), "accept_assignment")
    assert due == datetime(2026, 10, 10, 15, 59, 59, 999999, tzinfo=UTC)
    assert due.tzinfo is UTC
    assert due.astimezone(SHANGHAI).date() == date(2026, 10, 10)


def test_the_day_of_the_event_is_its_shanghai_date():
    # 17:30 UTC on 29 September is 01:30 on 30 September in Shanghai.
    late = datetime(2026, 9, 29, 17, 30, tzinfo=UTC)
    assert end_date(late, "accept_assignment") == date(2026, 10, 10)
    early = datetime(2026, 9, 29, 15, 30, tzinfo=UTC)  # 23:30 on 29 September
    assert end_date(early, "accept_assignment") == date(2026, 10, 9)


@pytest.mark.rule("OMR-24b", "CPL-85")
def test_entrusted_simple_mediation_accepted_on_26_september_ends_on_8_october():
    # 7 days end on 10/3, inside National Day (CPL 85): the next working day is 10/8.
    due = deadline(shanghai(2026, 9, 26, 9, 0), "mediation_entrusted_simple")
    assert due.astimezone(SHANGHAI).date() == date(2026, 10, 8)


@pytest.mark.rule("OMR-24b")
def test_entrusted_ordinary_mediation_expires_after_15_days():
    assert end_date(date(2026, 11, 2), "mediation_entrusted_ordinary") == date(2026, 11, 17)


def test_an_extension_runs_on_from_the_end_of_the_period():
    first = deadline(shanghai(2026, 9, 16, 9, 0), "mediation_entrusted_ordinary")
    assert first.astimezone(SHANGHAI).date() == date(2026, 10, 8)
    extended = deadline(first, "extension_entrusted")
    assert extended.astimezone(SHANGHAI).date() == date(2026, 11, 9)  # 11/7 is a Saturday


def test_a_naive_datetime_is_refused_and_an_unknown_rule_named():
    with pytest.raises(ValueError):
        deadline(datetime(2026, 9, 30, 10, 0), "objection")
    with pytest.raises(KeyError, match="objections"):
        deadline(shanghai(2026, 9, 30, 10, 0), "objections")


def test_remaining_counts_days_after_today_up_to_the_last_day():
    due = deadline(shanghai(2026, 9, 30, 10, 0), "accept_assignment")  # ends 10/10
    left = remaining(due, shanghai(2026, 9, 30, 12, 0))
    assert (left.days, left.working_days, left.overdue, left.last_day) == (10, 3, False, False)
    assert left.seconds == (due - shanghai(2026, 9, 30, 12, 0)).total_seconds() // 1

    on_the_day = remaining(due, shanghai(2026, 10, 10, 9, 0))
    assert (on_the_day.days, on_the_day.working_days, on_the_day.last_day) == (0, 0, True)

    late = remaining(due, shanghai(2026, 10, 12, 9, 0))
    assert (late.days, late.working_days, late.overdue) == (-2, -1, True)
    assert late.seconds < 0


def test_remaining_counts_working_days_into_a_provisional_year():
    due = deadline(shanghai(2026, 12, 1, 10, 0), "mediation_delegated")  # 12/31
    left = remaining(due, shanghai(2027, 1, 5, 9, 0))
    # 1/1 is New Year's Day and 1/2–3 a weekend by the law: 1/4 and 1/5 are working days.
    assert left.overdue and left.days == -5 and left.working_days == -2
