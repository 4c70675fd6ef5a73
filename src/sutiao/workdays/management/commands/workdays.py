from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from sutiao.core.errors import DomainError
from sutiao.workdays import notice_file, periods, provisional, reference
from sutiao.workdays.actions import OPERATOR, load_year, preview_year
from sutiao.workdays.models import CalendarDay, CalendarYear
from sutiao.workdays.schedule import current


class Command(BaseCommand):
    help = (
        "Working-day calendar. `workdays years` lists the years entered; "
        "`workdays show 2026-09-25 [--add 3 | --days 7 | --rule objection]` explains a date "
        "and the period from it; `workdays load FILE [--dry-run]` enters a year's official "
        "schedule from a JSON or CSV file (docs/configuration.md) and recomputes the deadlines "
        "that read it; `workdays package YEAR` takes it from the installed chinese-calendar; "
        "`workdays provisional YEAR` prints the holidays computed from the law."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "verb", choices=["show", "years", "rules", "load", "package", "provisional"]
        )
        parser.add_argument(
            "day",
            nargs="?",
            metavar="date|file|year",
            help="YYYY-MM-DD (Asia/Shanghai), a schedule file, or a year",
        )
        parser.add_argument("--source", default="", help="the notice, e.g. 国办发明电〔2026〕N号")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="load: show which open deadlines would move, change nothing",
        )
        parser.add_argument("--add", type=int, help="working days to add")
        parser.add_argument("--days", type=int, help="calendar days to add (CPL 85)")
        parser.add_argument("--rule", choices=sorted(periods.RULES), help="a named time limit")

    def handle(self, *args, verb, **options):
        try:
            getattr(self, f"do_{verb}")(**options)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc

    def describe(self, d: date) -> str:
        cal = current()
        state = "working day" if cal.is_working_day(d) else "rest day"
        name = cal.name(d)
        if not cal.is_official(d.year):
            name = f"{name}, provisional" if name else "provisional"
        return f"{d.isoformat()} {d:%a} {state}" + (f" ({name})" if name else "")

    def do_show(self, *, day: str | None, add, days, rule, **_):
        if not day:
            raise CommandError("show needs a date, e.g. `workdays show 2026-09-25 --add 3`")
        try:
            start = date.fromisoformat(day)
        except ValueError as exc:
            raise CommandError(f"not a date: {day}") from exc
        self.stdout.write(self.describe(start))
        if add is not None:
            self.stdout.write(
                f"+{add} working days → {self.describe(periods.add_working_days(start, add))}"
            )
        if days is not None:
            end = periods.add_calendar_days(start, days)
            plain = start + timedelta(days=days)
            moved = "" if end == plain else f" (moved from {plain.isoformat()}, CPL 85)"
            self.stdout.write(f"+{days} calendar days → {self.describe(end)}{moved}")
        if rule:
            r = periods.RULES[rule]
            end = periods.end_date(start, rule)
            self.stdout.write(
                f"{rule}: {r.days} {r.kind} days ({r.source}) → {self.describe(end)}, "
                f"ends {periods.end_of_day(end).astimezone(periods.SHANGHAI).isoformat()}"
            )

    def do_load(self, *, day: str | None, source: str, dry_run: bool, **_):
        if not day:
            raise CommandError("load needs a file, e.g. `workdays load 2027.json`")
        try:
            with open(day, "rb") as fh:
                content = fh.read()
        except OSError as exc:
            raise CommandError(f"cannot read {day}: {exc.strerror}") from exc
        schedule = notice_file.parse(day, content, source=source)
        self._enter(schedule.year, schedule.days, schedule.source or day, dry_run=dry_run)

    def do_package(self, *, day: str | None, dry_run: bool, **_):
        year = self._year(day)
        if year not in reference.package_years():
            raise CommandError(f"the installed chinese-calendar has no {year}")
        self._enter(year, reference.package_days(year), reference.package_source(), dry_run=dry_run)

    def _enter(self, year: int, days, source: str, *, dry_run: bool) -> None:
        if dry_run:
            moves = preview_year(OPERATOR, year, days)
        else:
            moves = load_year(OPERATOR, year, days, source=source).moves
        off = sum(1 for _d, kind, _n in days if kind == "holiday")
        work = len(days) - off
        verb = "would enter" if dry_run else "entered"
        self.stdout.write(f"{year}: {verb} {off} days off, {work} make-up working days")
        for m in moves:
            d = m.days()
            what = (
                f"stays {d['after']} (official gives {d['computed']})"
                if m.kept_later
                else f"{d['before']} → {d['after']}"
                if m.moved
                else f"{d['after']} unchanged"
            )
            self.stdout.write(f"  {m.obj._meta.verbose_name} {m.obj}: {what}")
        self.stdout.write(f"{len(moves)} open deadlines read {year} provisionally")

    def _year(self, value: str | None) -> int:
        try:
            return int(value or "")
        except ValueError:
            raise CommandError("give a year, e.g. 2027") from None

    def do_provisional(self, *, day: str | None, **_):
        year = self._year(day)
        if not provisional.FIRST_YEAR <= year <= provisional.LAST_YEAR:
            raise CommandError(f"no provisional rule for {year}")
        for d, name in provisional.holidays(year).items():
            self.stdout.write(f"{d.isoformat()} {d:%a} {name}")

    def do_years(self, **_):
        entered = set()
        for y in CalendarYear.objects.order_by("year"):
            entered.add(y.year)
            days = CalendarDay.objects.filter(date__year=y.year)
            self.stdout.write(
                f"{y.year} {'complete' if y.complete else 'INCOMPLETE'} "
                f"{days.filter(kind='holiday').count():3d} days off "
                f"{days.filter(kind='workday').count():2d} make-up  {y.source}"
            )

        from django.utils import timezone

        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            if (
                year not in entered
                or not CalendarYear.objects.filter(year=year, complete=True).exists()
            ):
                self.stdout.write(
                    f"{year} PROVISIONAL (statutory holidays computed from the "
                    "law until the official schedule is loaded)"
                )

    def do_rules(self, **_):
        for name, r in periods.RULES.items():
            self.stdout.write(f"{name:30s} {r.days:3d} {r.kind:8s} {r.source:28s} {r.label}")
