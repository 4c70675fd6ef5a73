"""The audit name of the demo data (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register("demo", event("demo.loaded", _("Demo data loaded")))
