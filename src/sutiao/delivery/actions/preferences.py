"""A user's notification preferences, and the daily digest of unread items for those who
chose it (sent at the user's hour, Beijing time)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Invalid

from .. import messages
from ..models import Channel, Delivery, InboxItem, Preference
from .outgoing import enqueue


@transaction.atomic
def set_preferences(
    *, actor: User, notices: str, sms_prompts: bool, digest_hour: int = 8
) -> Preference:
    if notices not in Preference.Notices.values:
        raise Invalid(_("Choose how you want notifications."), fields={"notices": [notices]})
    if not 0 <= int(digest_hour) <= 23:
        raise Invalid(_("An hour of the day, 0 to 23."), fields={"digest_hour": [digest_hour]})
    pref, _created = Preference.objects.select_for_update().get_or_create(user=actor)
    pref.notices, pref.sms_prompts, pref.digest_hour = notices, sms_prompts, int(digest_hour)
    pref.save()
    record(
        actor,
        "delivery.preferences",
        actor,
        changes={"notices": notices, "sms_prompts": sms_prompts, "digest_hour": digest_hour},
    )
    return pref


def _enqueue_digest(user: User, items: list[InboxItem], now: dt.datetime) -> None:
    enqueue(
        channel=Channel.EMAIL,
        purpose=Delivery.Purpose.DIGEST,
        address=user.email,
        key="digest",
        context={
            "name": user.display_name,
            "count": len(items),
            "items": [
                {
                    "time": messages.local_time(i.created_at),
                    "title": i.title,
                    "case_number": i.case.number if i.case is not None else "",
                }
                for i in items
            ],
        },
        language=messages.language_of(user),
        now=now,
        user=user,
    )


def enqueue_digests(*, now: dt.datetime | None = None) -> int:
    """Once a day, at each user's hour (Beijing time), one e-mail with the unread items since
    the last digest. Idempotent: the digest and the time it was sent commit together."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    count = 0
    prefs = Preference.objects.filter(notices=Preference.Notices.DIGEST).select_related("user")
    for pref in prefs:
        due = local.replace(hour=pref.digest_hour, minute=0, second=0, microsecond=0)
        if local < due or (pref.last_digest_at and pref.last_digest_at >= due):
            continue
        with transaction.atomic():
            pref = (
                Preference.objects.select_for_update(of=("self",))
                .select_related("user")
                .get(pk=pref.pk)
            )
            if pref.last_digest_at and pref.last_digest_at >= due:
                continue
            since = pref.last_digest_at or (now - dt.timedelta(days=1))
            items = list(
                InboxItem.objects.filter(
                    user=pref.user, created_at__gt=since, read_at__isnull=True
                ).select_related("case")[:50]
            )
            pref.last_digest_at = now
            pref.save(update_fields=["last_digest_at"])
            user = pref.user
            if not items or not user.email or not user.is_active:
                continue
            _enqueue_digest(user, items, now)
            count += 1
    return count
