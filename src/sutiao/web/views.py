from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from .navigation import entries_for


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/welcome.html")
    return render(request, "web/home.html", {"cards": entries_for(request.user)})


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
