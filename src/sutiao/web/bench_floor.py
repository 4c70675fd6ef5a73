"""The floors `bench/run` measures the platform's paths against (issue 14, item 2): what the
framework, this server and this database give at best, measured in the same run on the same
server, so a page's figure can be read as a share of what the machine allows.

Mounted only when `SUTIAO_BENCH_FLOOR` is on (bench/run sets it for the server it starts;
`sutiao check --deploy` warns when a deployment has it on). The write floor's tables are
bench/run's own (`bench_floor`, `bench_floor_log`), created by it, never by a migration."""

from __future__ import annotations

import random

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from sutiao.institutions.models import Region

FLOOR_ROWS = 1000  # rows of bench_floor: writes lock one at random, as cases do


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def read(request):
    """A primary-key read through the ORM, answered as JSON."""
    region = Region.objects.only("code", "name").get(pk="110000")
    return JsonResponse({"code": region.code, "name": region.name})


@csrf_exempt  # a bench's GET or POST, never a person's form
def write(request):
    """A locked write, the shape of every audited step: lock a row, update it, insert a row."""
    key = random.randint(1, FLOOR_ROWS)  # nosec B311 - spreads the load, not a secret
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT n FROM bench_floor WHERE id = %s FOR UPDATE", [key])
        cursor.execute("UPDATE bench_floor SET n = n + 1 WHERE id = %s", [key])
        cursor.execute("INSERT INTO bench_floor_log (floor_id) VALUES (%s)", [key])
    return HttpResponse("ok", content_type="text/plain")


def create_tables() -> None:
    """bench/run's tables for the write floor (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_floor (id int PRIMARY KEY, n bigint)")
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor_log (id bigserial PRIMARY KEY, "
            "floor_id int NOT NULL, at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(
            "INSERT INTO bench_floor SELECT g, 0 FROM generate_series(1, %s) g "
            "ON CONFLICT DO NOTHING",
            [FLOOR_ROWS],
        )


urlpatterns = [
    path("trivial", trivial),
    path("read", read),
    path("write", write),
]
