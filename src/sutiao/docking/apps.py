from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DockingConfig(AppConfig):
    name = "sutiao.docking"
    label = "docking"
    verbose_name = _("Docking with other platforms")

    def ready(self):
        from . import policies  # noqa: F401  (registers rules)
        from .engine import register_outbox_handler

        register_outbox_handler()
