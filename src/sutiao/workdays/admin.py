from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sutiao.audit.admin_audit import AuditedModelAdmin
from sutiao.core.errors import DomainError, Invalid

from . import notice_file, reference
from .actions import load_year, preview_year
from .models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedModelAdmin):
    list_display = ("year", "complete", "source", "holiday_count", "workday_count", "updated_at")
    list_filter = ("complete",)
    search_fields = ("year", "source")
    actions = ["reload_from_package"]
    change_list_template = "admin/workdays/calendaryear_changelist.html"

    def get_urls(self):
        from django.urls import path

        own = [
            path(
                "load/",
                self.admin_site.admin_view(self.load_view),
                name="workdays_calendaryear_load",
            )
        ]
        return own + super().get_urls()

    def load_view(self, request):
        """Upload an official schedule, preview which deadlines move, then enter it."""
        context = {**self.admin_site.each_context(request), "opts": self.model._meta}
        official = set(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        context["package_years"] = [y for y in reference.package_years() if y not in official]
        if request.method == "POST":
            try:
                return self._load_step(request, context)
            except DomainError as exc:
                context["error"] = str(exc.message)
        return TemplateResponse(request, "admin/workdays/load.html", context)

    def _load_step(self, request, context):
        schedule = self._posted_schedule(request)
        if "enter" in request.POST:
            year = load_year(request.user, schedule.year, schedule.days, source=schedule.source)
            self.message_user(
                request,
                gettext(
                    "The schedule for %(year)s was entered; %(n)s open deadlines computed again."
                )
                % {"year": year.year, "n": len(year.moves)},
            )
            return redirect("admin:workdays_calendaryear_changelist")
        moves = preview_year(request.user, schedule.year, schedule.days)
        off = sum(1 for _d, kind, _n in schedule.days if kind == "holiday")
        context.update(
            schedule=schedule,
            schedule_json=notice_file.to_json(schedule),
            off=off,
            work=len(schedule.days) - off,
            moves=[
                {
                    "label": f"{m.obj._meta.verbose_name} {m.obj}",
                    "days": m.days(),
                    "kept_later": m.kept_later,
                }
                for m in moves
            ],
        )
        return TemplateResponse(request, "admin/workdays/load.html", context)

    def _posted_schedule(self, request) -> notice_file.Schedule:
        if request.POST.get("schedule"):
            return notice_file.from_json(request.POST["schedule"])
        if request.POST.get("package"):
            year = int(request.POST["package"])
            if year not in reference.package_years():
                raise Invalid(
                    gettext("The installed chinese-calendar package has no schedule for %(year)s.")
                    % {"year": year}
                )
            return notice_file.Schedule(
                year, reference.package_source(), reference.package_days(year)
            )
        upload = request.FILES.get("file")
        if upload is None:
            raise Invalid(gettext("Choose a schedule file."))
        if upload.size > 256 * 1024:
            raise Invalid(gettext("A schedule file is a few kilobytes; this one is too large."))
        return notice_file.parse(
            upload.name, upload.read(), source=request.POST.get("source", "").strip()
        )

    @admin.display(description=_("days off"))
    def holiday_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind="holiday").count()

    @admin.display(description=_("make-up working days"))
    def workday_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind="workday").count()

    @admin.action(description=_("Load the schedule shipped with the chinese-calendar package"))
    def reload_from_package(self, request, queryset):
        covered = set(reference.package_years())
        for calendar_year in queryset:
            if calendar_year.year not in covered:
                self.message_user(
                    request,
                    gettext("The installed chinese-calendar package has no schedule for %(year)s.")
                    % {"year": calendar_year.year},
                    messages.WARNING,
                )
                continue
            try:
                load_year(
                    request.user,
                    calendar_year.year,
                    reference.package_days(calendar_year.year),
                    source=reference.package_source(),
                    note=calendar_year.note,
                )
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("The schedule for %(year)s was loaded.") % {"year": calendar_year.year},
                )


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedModelAdmin):
    list_display = ("date", "weekday", "kind", "name")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("-date",)

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        from django.utils.dateformat import format

        return format(obj.date, "l")
