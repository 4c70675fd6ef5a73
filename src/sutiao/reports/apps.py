from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "sutiao.reports"
    label = "reports"
    verbose_name = _("Analysis reports and bulletins")

    def ready(self) -> None:
        from . import events, handlers, policies  # noqa: F401  (names, notices, rules)

        handlers.register()
