from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "sutiao.institutions"
    label = "institutions"
    verbose_name = _("Institutions")

    def ready(self):
        from . import policies  # noqa: F401  (registers rules)
