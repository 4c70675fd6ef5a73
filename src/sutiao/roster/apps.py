import logging

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


def _link_mediator(sender, request, user, **kwargs):
    """A mediator's record is linked to their account the first time they log in."""
    from .actions import link_account

    try:
        link_account(user=user)
    except Exception:  # logging in must never fail because of the roster
        log.exception("could not link mediator record to user %s", user.pk)


class RosterConfig(AppConfig):
    name = "sutiao.roster"
    label = "roster"
    verbose_name = _("Roster")

    def ready(self):
        from . import policies  # noqa: F401 - registers the rules

        user_logged_in.connect(_link_mediator, dispatch_uid="roster.link_mediator")
