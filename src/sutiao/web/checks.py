"""The platform's own deployment checks (`sutiao check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def bench_floor_off(app_configs, **kwargs):
    """bench/run's floor endpoints write without a person or an audit entry: never deployed."""
    if settings.BENCH_FLOOR:
        return [
            Warning(
                "SUTIAO_BENCH_FLOOR is on: /bench/floor/ answers anyone.",
                hint="Unset SUTIAO_BENCH_FLOOR; it is for bench/run's own server.",
                id="sutiao.W001",
            )
        ]
    return []
