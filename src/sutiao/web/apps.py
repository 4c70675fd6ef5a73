from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "sutiao.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self):
        from . import checks, notices  # noqa: F401 - checks registers the deploy checks

        notices.register()  # a notice for every outbox event that waits on someone
