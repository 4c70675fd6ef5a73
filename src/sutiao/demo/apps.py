from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "sutiao.demo"
    label = "demo"
    verbose_name = "Sutiao demo data"
