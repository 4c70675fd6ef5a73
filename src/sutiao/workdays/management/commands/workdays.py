from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from sutiao.workdays import periods
from sutiao.workdays.errors import CalendarIncomplete
from sutiao.workdays.models import CalendarDay, CalendarYear
from sutiao.workdays.schedule import current


class Command(BaseCommand):
    help = (
        "Working-day calendar. `workdays years` lists the years entered; "
        "`workdays show 2026-09-25 [--add 3 | --days 7 | --rule objection]` explains a date "
        "and the period from it."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["show", "years", "rules"])
        parser.add_argument("day", nargs="?", metavar="date", help="YYYY-MM-DD (Asia/Shanghai)")
        parser.add_argument("--add", type=int, help="working days to add")
        parser.add_argument("--days", type=int, help="calendar days to add (CPL 85)")
        parser.add_argument("--rule", choices=sorted(periods.RULES), help="a named time limit")

    def handle(self, *args, verb, **options):
        try:
            getattr(self, f"do_{verb}")(**options)
        except CalendarIncomplete as exc:
            raise CommandError(str(exc.message)) from exc

    def describe(self, d: date) -> str:
        cal = current()
        state = "working day" if cal.is_working_day(d) else "rest day"
        name = cal.name(d)
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

    def do_years(self, **_):
        for y in CalendarYear.objects.order_by("year"):
            days = CalendarDay.objects.filter(date__year=y.year)
            self.stdout.write(
                f"{y.year} {'complete' if y.complete else 'INCOMPLETE'} "
                f"{days.filter(kind='holiday').count():3d} days off "
                f"{days.filter(kind='workday').count():2d} make-up  {y.source}"
            )

    def do_rules(self, **_):
        for name, r in periods.RULES.items():
            self.stdout.write(f"{name:30s} {r.days:3d} {r.kind:8s} {r.source:28s} {r.label}")
