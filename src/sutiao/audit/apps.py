from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sutiao.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import guard, security

        connection_created.connect(guard.register_sqlite_function, dispatch_uid="audit-guard")
        security.connect()
