from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from sutiao.accounts.policies import is_platform_admin
from sutiao.delivery import queries as delivery_queries
from sutiao.evaluation import queries as evaluation_queries
from sutiao.workdays import queries as workdays_queries

from . import todo
from .navigation import entries_for


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/welcome.html")
    items = todo.todo_for(request.user)
    context = {"cards": entries_for(request.user), "todo": items, "todo_counts": todo.counts(items)}
    # Staff with a scope of figures (evaluation) see its last twelve months; others none.
    context["scope_figures"] = evaluation_queries.scope_figures(request.user)
    recent = delivery_queries.inbox_for(request.user).order_by("-created_at", "-id")[:5]
    context["recent"] = [delivery_queries.item_json(i) for i in recent]
    if is_platform_admin(request.user):
        now = timezone.now()
        context["calendar_warnings"] = workdays_queries.year_warnings(timezone.localdate(), now)
    return render(request, "web/home.html", context)


def healthz(request):
    """The process is up (no dependency checked): for the load balancer's liveness probe."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready to serve: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
