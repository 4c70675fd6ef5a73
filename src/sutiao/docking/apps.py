from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DockingConfig(AppConfig):
    name = "sutiao.docking"
    label = "docking"
    verbose_name = _("Docking with other platforms")

    def ready(self):
        from . import lifecycle, policies  # noqa: F401  (register the table and the rules)
        from .engine import register_outbox_handler

        register_outbox_handler()
