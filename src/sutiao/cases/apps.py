from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "sutiao.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from sutiao.workdays import clocks

        from . import policies  # noqa: F401  (registers rules)
        from .actions import deadline_recomputed
        from .models import Case, PartyInvitation

        clocks.register(Case, on_moved=deadline_recomputed)
        clocks.register(PartyInvitation, on_moved=deadline_recomputed)
