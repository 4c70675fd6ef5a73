from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudicialConfig(AppConfig):
    name = "sutiao.judicial"
    label = "judicial"
    verbose_name = _("Judicial confirmation and mediation documents")

    def ready(self):
        from sutiao.cases import timeline
        from sutiao.workdays import clocks

        from . import (
            policies,  # noqa: F401  (registers rules)
            queries,
        )
        from .actions import deadline_recomputed
        from .models import ConfirmationApplication

        clocks.register(ConfirmationApplication, on_moved=deadline_recomputed)
        timeline.register("judicial", source=queries.timeline_entries, stage=queries.stages)
