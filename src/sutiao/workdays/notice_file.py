"""The official schedule as a small file, typed from the State Council notice or exported.

JSON (one year)::

    {"year": 2027, "source": "国办发明电〔2026〕N号",
     "holidays": [{"name": "春节", "from": "2027-02-05", "to": "2027-02-12"}, ...],
     "workdays": [{"name": "春节调休上班", "date": "2027-02-14"}, ...]}

CSV (UTF-8, a header row; `to` may be empty for a single day)::

    kind,from,to,name
    holiday,2027-01-01,2027-01-03,元旦
    workday,2027-02-14,,春节调休上班

A holiday lists every day off of it, weekend days included, as the notice does ("2月5日至
12日放假调休，共8天"); a workday is a weekend day worked (调休上班). docs/configuration.md
has both forms in full.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from sutiao.core.errors import Invalid

HOLIDAY, WORKDAY = "holiday", "workday"
MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class Schedule:
    year: int
    source: str
    days: list[tuple[date, str, str]]


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(
            _("%(where)s: not a date (YYYY-MM-DD): %(value)s") % {"where": where, "value": value}
        ) from None


def _expand(kind: str, first: Any, last: Any, name: str, where: str) -> list[tuple[date, str, str]]:
    if kind not in (HOLIDAY, WORKDAY):
        raise Invalid(
            _("%(where)s: the kind is “holiday” or “workday”, not “%(kind)s”.")
            % {"where": where, "kind": kind}
        )
    start = _date(first, where)
    end = _date(last, where) if last not in (None, "") else start
    if not start <= end <= start + timedelta(days=MAX_RANGE_DAYS):
        raise Invalid(
            _("%(where)s: the range %(first)s–%(last)s is not a holiday's length.")
            % {"where": where, "first": start.isoformat(), "last": end.isoformat()}
        )
    return [(start + timedelta(days=i), kind, name) for i in range((end - start).days + 1)]


def _year(days: list[tuple[date, str, str]], stated: Any) -> int:
    years = {d.year for d, _k, _n in days}
    if stated not in (None, ""):
        try:
            return int(stated)
        except (TypeError, ValueError):
            raise Invalid(_("The year must be a number.")) from None
    if len(years) != 1:
        raise Invalid(_("A schedule file holds the days of one year."))
    return years.pop()


def from_json(text: str) -> Schedule:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(_("Not a JSON file: %(error)s") % {"error": exc.msg}) from None
    if not isinstance(data, dict):
        raise Invalid(_("The JSON file holds one object with year, holidays and workdays."))
    days: list[tuple[date, str, str]] = []
    for kind, key in ((HOLIDAY, "holidays"), (WORKDAY, "workdays")):
        for i, item in enumerate(data.get(key) or [], start=1):
            if not isinstance(item, dict):
                raise Invalid(_("%(key)s #%(n)s is not an object.") % {"key": key, "n": i})
            where = f"{key} #{i}"
            first = item.get("from", item.get("date"))
            days += _expand(kind, first, item.get("to"), str(item.get("name", "")).strip(), where)
    return Schedule(_year(days, data.get("year")), str(data.get("source", "")).strip(), days)


def from_csv(text: str, *, source: str = "") -> Schedule:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"kind", "from"} - set(reader.fieldnames or [])
    if missing:
        raise Invalid(_("The CSV file needs the columns kind, from, to, name."))
    days: list[tuple[date, str, str]] = []
    for row in reader:
        where = _("line %(n)s") % {"n": reader.line_num}
        kind = (row.get("kind") or "").strip()
        days += _expand(
            kind,
            row.get("from"),
            (row.get("to") or "").strip(),
            (row.get("name") or "").strip(),
            where,
        )
    return Schedule(_year(days, None), source, days)


def parse(name: str, content: bytes, *, source: str = "") -> Schedule:
    """A schedule from an uploaded or named file; JSON or CSV by its name."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid(_("The file is not UTF-8 text.")) from None
    if name.lower().endswith(".json"):
        schedule = from_json(text)
    elif name.lower().endswith(".csv"):
        schedule = from_csv(text, source=source)
    else:
        raise Invalid(_("Give a .json or .csv file."))
    if source:
        schedule = Schedule(schedule.year, source, schedule.days)
    if not schedule.days:
        raise Invalid(_("The file lists no day."))
    return schedule


def to_json(schedule: Schedule) -> str:
    """The schedule in the JSON form (one entry a day), e.g. to carry it from preview to entry."""
    holidays = [{"name": n, "from": d.isoformat()} for d, k, n in schedule.days if k == HOLIDAY]
    workdays = [{"name": n, "date": d.isoformat()} for d, k, n in schedule.days if k == WORKDAY]
    return json.dumps(
        {
            "year": schedule.year,
            "source": schedule.source,
            "holidays": holidays,
            "workdays": workdays,
        },
        ensure_ascii=False,
    )
