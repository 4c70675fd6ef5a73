from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sutiao.core.admin_audit import AuditedModelAdmin
from sutiao.core.errors import DomainError

from . import reference
from .actions import load_year
from .models import CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedModelAdmin):
    list_display = ("year", "complete", "source", "holiday_count", "workday_count", "updated_at")
    list_filter = ("complete",)
    search_fields = ("year", "source")
    actions = ["reload_from_package"]

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
