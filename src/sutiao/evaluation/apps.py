from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "sutiao.evaluation"
    label = "evaluation"
    verbose_name = _("Figures and evaluation")

    def ready(self):
        from . import handlers, policies  # noqa: F401  (outbox handlers, scope rules)

        handlers.register()
