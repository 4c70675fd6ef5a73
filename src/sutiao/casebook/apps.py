from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasebookConfig(AppConfig):
    name = "sutiao.casebook"
    label = "casebook"
    verbose_name = _("Typical cases")

    def ready(self):
        from . import events, lifecycle, policies  # noqa: F401  (registers names, machines, rules)
