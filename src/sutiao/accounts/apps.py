from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sutiao.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import (
            backends,
            policies,  # noqa: F401  (registers rules)
            sessions,
        )

        user_logged_in.connect(sessions.started, dispatch_uid="accounts.session_clocks")
        user_logged_in.connect(backends.clear_failures, dispatch_uid="accounts.lockout_clear")
        user_login_failed.connect(backends.count_failure, dispatch_uid="accounts.lockout_count")
