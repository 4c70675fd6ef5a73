from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BatchesConfig(AppConfig):
    name = "sutiao.batches"
    label = "batches"
    verbose_name = _("Batches")

    def ready(self):
        from . import policies  # noqa: F401  (registers the rules)
