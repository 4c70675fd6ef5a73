from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sutiao.meetings"
    label = "meetings"
    verbose_name = _("Mediation sessions")

    def ready(self):
        from . import lifecycle, policies  # noqa: F401  (registers the machine and the rules)
