"""The registry of every name that leaves an action: audit actions, outbox topics and the
kinds written on a domain's timeline.

Each domain's `events.py` registers its facts once, with a display label (a lazy
translated string), and says where each name goes: the audit log (`audit=True`), the outbox
(`outbox=True`) and/or the domain's timeline (`timeline="<kind>"`, the stored kind, which
for historical reasons often lacks the domain prefix). Names built from a table (one per
lifecycle transition, one per admin model) are registered from that table.

`audit.log.record` and `outbox.emit` refuse a name that is not registered for them: they
raise under DEBUG and in the tests, and log an error in production, where the change the
entry describes has happened and must not be rolled back for want of a label.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)


class UnregisteredEvent(LookupError):
    """A name used for the audit log, the outbox or a timeline that no events.py registers."""


@dataclass(frozen=True)
class Event:
    name: str  # the stored audit action and/or outbox topic
    label: Any  # a lazy translated string: how the fact reads on a page
    audit: bool = True
    outbox: bool = False
    timeline: str | None = None  # the kind stored on the domain's timeline, if any
    domain: str = ""


EVENTS: dict[str, Event] = {}
TIMELINES: dict[tuple[str, str], Event] = {}  # (domain, kind) -> event
_discovered = False


def register(domain: str, *events: Event) -> None:
    """Register a domain's events; a name (or a timeline kind) registered twice is an error."""
    for e in events:
        e = Event(e.name, e.label, e.audit, e.outbox, e.timeline, domain)
        old = EVENTS.get(e.name)
        if old is not None and old != e:
            raise ValueError(f"event {e.name!r} is registered twice ({old.domain}, {domain})")
        if e.timeline is not None:
            other = TIMELINES.get((domain, e.timeline))
            if other is not None and other.name != e.name:
                raise ValueError(
                    f"timeline kind {domain}:{e.timeline} is registered for both "
                    f"{other.name!r} and {e.name!r}"
                )
            TIMELINES[(domain, e.timeline)] = e
        EVENTS[e.name] = e


def event(
    name: str,
    label: Any,
    *,
    audit: bool = True,
    outbox: bool = False,
    timeline: str | None = None,
) -> Event:
    return Event(name, label, audit, outbox, timeline)


def discover() -> None:
    """Import every installed app's events.py (once), as the admin does for admin.py."""
    global _discovered
    if not _discovered:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("events")
        _discovered = True


def all_events() -> Iterable[Event]:
    discover()
    return EVENTS.values()


def _refuse(message: str) -> None:
    if settings.DEBUG or getattr(settings, "TESTING", False):
        raise UnregisteredEvent(message)
    logger.error("unregistered event name: %s", message)


def require(name: str, *, channel: str) -> Event | None:
    """The registered event for an audit action (`channel="audit"`) or an outbox topic
    (`channel="outbox"`); refuses (see the module's docstring) a name not registered so."""
    discover()
    e = EVENTS.get(name)
    if e is None or not getattr(e, channel):
        _refuse(f"{name!r} is not a registered {channel} name (add it to the domain's events.py)")
        return None
    return e


def require_timeline(domain: str, kind: str) -> Event | None:
    """The registered event for a kind written on `domain`'s timeline."""
    discover()
    e = TIMELINES.get((domain, kind))
    if e is None:
        _refuse(f"{kind!r} is not a registered timeline kind of {domain} (events.py)")
    return e


def label(name: str) -> Any:
    """How an audit action or outbox topic reads; the name itself when unknown."""
    discover()
    e = EVENTS.get(name)
    return e.label if e is not None else name


def timeline_label(domain: str, kind: str) -> Any:
    discover()
    e = TIMELINES.get((domain, kind))
    return e.label if e is not None else kind


def register_admin(model: type) -> None:
    """The three audit names an audited admin page writes for its model (core.admin_audit)."""
    from django.utils.text import format_lazy
    from django.utils.translation import gettext_lazy as _

    name, verbose = model._meta.model_name, model._meta.verbose_name
    register(
        "admin",
        event(f"admin.{name}.created", format_lazy(_("Created in the admin: {}"), verbose)),
        event(f"admin.{name}.updated", format_lazy(_("Changed in the admin: {}"), verbose)),
        event(f"admin.{name}.deleted", format_lazy(_("Deleted in the admin: {}"), verbose)),
    )
