"""Independent counts for the figures tests: raw SQL over the raw tables, written from
docs/evaluation.md's counting rules and not from the summary code."""

from __future__ import annotations

import datetime as dt
import statistics
from zoneinfo import ZoneInfo

from django.db import connection

from sutiao.workdays.periods import add_working_days

SH = ZoneInfo("Asia/Shanghai")
CASES = (
    "FROM cases_case c LEFT JOIN institutions_court ct ON ct.id = c.court_id "
    "LEFT JOIN institutions_mediationorg o ON o.id = c.org_id "
    "LEFT JOIN roster_mediator m ON m.id = c.mediator_id"
)


def _where(level: str, key: str) -> tuple[str, list]:
    if level == "nation":
        return "1 = 1", []
    if level == "province":
        return "COALESCE(ct.region_id, o.region_id, m.region_id) LIKE %s", [key[:2] + "%"]
    return f"c.{level}_id = %s", [int(key)]


def _utc(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Counter:
    def __init__(self, level: str, key: str, start: dt.date, end: dt.date) -> None:
        self.scope, self.scope_params = _where(level, key)
        adapt = connection.ops.adapt_datetimefield_value
        since = dt.datetime.combine(start, dt.time.min, SH)
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, SH)
        self.bounds = [adapt(since), adapt(until)]

    def rows(self, select: str, joins: str, condition: str, column: str, extra=()) -> list:
        sql = (
            f"SELECT {select} {CASES} {joins} WHERE {self.scope} AND {condition} "
            f"AND {column} >= %s AND {column} < %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.scope_params, *extra, *self.bounds])
            return cursor.fetchall()

    def count(self, joins: str, condition: str, column: str, extra=()) -> int:
        return self.rows("COUNT(*)", joins, condition, column, extra)[0][0]

    def within_3wd(self, first: str, second: str) -> int:
        n = 0
        for a, b in self.rows(f"{first}, {second}", "", "1 = 1", "c.submitted_at"):
            if a and b:
                a, b = _utc(a).astimezone(SH).date(), _utc(b).astimezone(SH).date()
                n += b <= add_working_days(a, 3)
        return n

    def days_to_close(self) -> list[int]:
        found = self.rows(
            "c.submitted_at, c.ended_at",
            "",
            "c.state IN ('settled', 'failed', 'filed', 'trial_resumed')",
            "c.ended_at",
        )
        return [
            (_utc(b).astimezone(SH).date() - _utc(a).astimezone(SH).date()).days for a, b in found
        ]

    def expected(self) -> dict:
        ended = lambda states: self.count("", f"c.state IN ({states})", "c.ended_at")  # noqa: E731
        settled = ended("'settled'")
        failed = ended("'failed', 'filed', 'trial_resumed'")
        e_served = self.count(
            "JOIN delivery_service s ON s.case_id = c.id",
            "s.state = 'effective' AND s.effective_basis <> 'paper'",
            "s.created_at",
        )
        other = self.count(
            "JOIN delivery_service s ON s.case_id = c.id",
            "s.state IN ('failed', 'needs_paper', 'paper_served')",
            "s.created_at",
        )
        received = self.count("", "1 = 1", "c.submitted_at")
        video = self.count(
            "",
            "c.state IN ('settled', 'failed', 'filed', 'trial_resumed') AND EXISTS (SELECT 1 "
            "FROM meetings_meetingsession v WHERE v.case_id = c.id AND v.state = 'ended')",
            "c.ended_at",
        )
        days = self.days_to_close()
        confirmation = "JOIN judicial_confirmationapplication j ON j.case_id = c.id"
        return {
            "received": received,
            "assigned_3wd": self.within_3wd("c.submitted_at", "c.assigned_at"),
            "accepted_3wd": self.within_3wd("c.assigned_at", "c.accepted_at"),
            "declined": ended("'declined'"),
            "withdrawn": ended("'withdrawn'"),
            "settled": settled,
            "failed": failed,
            "concluded": settled + failed,
            "success_rate": round(settled / (settled + failed), 4),
            "median_days": float(statistics.median(days)),
            "mean_days": round(statistics.fmean(days), 2),
            "by_video": video,
            "video_share": round(video / (settled + failed), 4),
            "agreements_online": self.count(
                "JOIN agreements_agreement a ON a.case_id = c.id",
                "a.state = 'signed' AND a.offline = %s",
                "a.effective_at",
                extra=[False],
            ),
            "confirmations_applied": self.count(confirmation, "1 = 1", "j.submitted_at"),
            "confirmations_granted": self.count(
                confirmation, "j.state = 'confirmed'", "j.decided_at"
            ),
            "confirmations_dismissed": self.count(
                confirmation, "j.state = 'dismissed'", "j.decided_at"
            ),
            "mediation_documents": self.count(
                "JOIN judicial_mediationdocument d ON d.case_id = c.id", "1 = 1", "d.issued_at"
            ),
            "filed": self.count(
                "JOIN cases_filedcase f ON f.origin_id = c.id", "c.state = 'filed'", "f.filed_at"
            ),
            "trial_resumed": ended("'trial_resumed'"),
            "e_service_rate": round(e_served / (e_served + other), 4),
        }
