from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "sutiao.training"
    label = "training"
    verbose_name = _("Training and recruitment")

    def ready(self) -> None:
        from . import events, lifecycle, policies  # noqa: F401  (registers names, machine, rules)
