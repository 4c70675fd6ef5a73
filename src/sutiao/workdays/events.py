"""The names of the calendar (core.events). `deadline.moved` is emitted by every domain
whose clock a newly entered schedule moves (cases, judicial), with `clocks.Move.payload`."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "workdays",
    event("calendar.year_loaded", _("Holiday schedule entered")),
    event("deadline.moved", _("Deadline moved by the holiday schedule"), audit=False, outbox=True),
)
