"""The nightly check of the figures: recompute the summary from the raw tables and rewrite
it, logging every difference found (a difference means an event was missed or a handler
failed; the log says which rows)."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.utils import timezone

from . import summary

log = logging.getLogger("sutiao.evaluation")
NIGHT_HOUR = 2  # local time; the job runs hourly and acts once, in this hour


def nightly() -> None:
    now = timezone.localtime()
    if now.hour != NIGHT_HOUR or not cache.add(f"evaluation.rebuilt.{now.date()}", 1, 86400):
        return
    found = summary.rebuild()
    if found:
        log.warning("figures differed from the raw tables", extra={"rows": len(found)})
        for line in found[:100]:
            log.warning("figure difference: %s", line)
