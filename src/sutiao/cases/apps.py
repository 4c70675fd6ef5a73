from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "sutiao.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from . import policies  # noqa: F401  (registers rules)
