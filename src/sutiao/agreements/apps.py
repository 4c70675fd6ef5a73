from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "sutiao.agreements"
    label = "agreements"
    verbose_name = _("Mediation agreements")

    def ready(self):
        from sutiao.cases import timeline

        from . import (
            policies,  # noqa: F401  (registers rules)
            queries,
        )

        timeline.register("agreements", source=queries.timeline_entries, stage=queries.stages)
