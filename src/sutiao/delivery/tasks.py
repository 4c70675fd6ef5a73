"""Celery wrappers of the delivery worker, used when SUTIAO_BROKER_URL is set.

    celery -A sutiao.delivery.tasks worker --beat      (or a separate `beat` process)

`work` runs one pass of the same worker the embedded platform runs in-process (it is sent
right after a commit that queued something; beat runs it every 10 s as well, and queues the
daily digests every 5 minutes). Celery is the optional extra `sutiao[production]`; without it
this module imports, but `app` is None.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")

try:
    from celery import Celery
except ImportError:  # the embedded platform runs without Celery
    Celery = None

app = None

if Celery is not None:
    import django
    from django.apps import apps as _apps
    from django.conf import settings

    if not _apps.ready:
        django.setup()

    app = Celery("sutiao")
    app.conf.update(
        broker_url=settings.BROKER_URL or "memory://",
        task_ignore_result=True,
        task_acks_late=True,  # a worker that dies mid-task leaves it to another
        worker_prefetch_multiplier=1,
        timezone=settings.TIME_ZONE,
        beat_schedule={
            "delivery-work": {"task": "sutiao.delivery.work", "schedule": 10.0},
            "delivery-digest": {"task": "sutiao.delivery.digest", "schedule": 300.0},
        },
    )

    @app.task(name="sutiao.delivery.work")
    def work() -> dict:
        from .engine import run_once

        return dict(run_once())

    @app.task(name="sutiao.delivery.digest")
    def digest() -> int:
        from .actions import enqueue_digests

        return enqueue_digests()
