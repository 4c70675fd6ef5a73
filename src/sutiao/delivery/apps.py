from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "sutiao.delivery"
    label = "delivery"
    verbose_name = _("Electronic service")

    def ready(self):
        from sutiao.cases import timeline

        from . import (
            policies,  # noqa: F401  (registers rules)
            queries,
        )

        timeline.register("delivery", source=queries.timeline_entries, stage=queries.stages)
        from .engine import check_broker

        check_broker()
