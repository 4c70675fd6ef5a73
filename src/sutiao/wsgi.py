"""WSGI entry for gunicorn-style deployments that serve pages and API without WebSocket."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
application = get_wsgi_application()
