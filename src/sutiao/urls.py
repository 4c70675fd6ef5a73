from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from sutiao.api import api
from sutiao.docking.api import urlpatterns as docking_urls


def _admin_permission(request) -> bool:
    """The admin site is for platform administrators who passed their second factor."""
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_verified())


admin.site.has_permission = _admin_permission
admin.site.site_header = "诉调 Sutiao"
admin.site.site_title = "诉调 Sutiao"

urlpatterns = [
    path("", include("sutiao.web.urls")),
    path("accounts/", include("sutiao.accounts.urls")),
    path("institutions/", include("sutiao.institutions.urls")),
    path("roster/", include("sutiao.roster.urls")),
    path("cases/", include("sutiao.cases.urls")),
    path("queues/", include("sutiao.cases.urls_queue")),
    path("documents/", include("sutiao.documents.urls")),
    path("agreements/", include("sutiao.agreements.urls")),
    path("judicial/", include("sutiao.judicial.urls")),
    path("delivery/", include("sutiao.delivery.urls")),
    path("meetings/", include("sutiao.meetings.urls")),
    path("batches/", include("sutiao.batches.urls")),
    path("training/", include("sutiao.training.urls")),
    path("figures/", include("sutiao.evaluation.urls")),
    path("reports/", include("sutiao.reports.urls")),
    path("casebook/", include("sutiao.casebook.urls")),
    path("subsidies/", include("sutiao.subsidies.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docking/v1/", include((docking_urls(), "docking_api"))),
]
if settings.BENCH_FLOOR:  # bench/run's floors (sutiao.web.bench_floor), never on in production
    urlpatterns.append(path("bench/floor/", include("sutiao.web.bench_floor")))
