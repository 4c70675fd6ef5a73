from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sutiao.core"
    label = "core"
    verbose_name = "Sutiao core"
