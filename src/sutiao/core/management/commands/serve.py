import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from sutiao.core.site import DEFAULT_HOST, DEFAULT_PORT, served_url


class Command(BaseCommand):
    help = "Serve HTTP and WebSocket on one ASGI server (uvicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("SUTIAO_HOST") or DEFAULT_HOST)
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("SUTIAO_PORT") or DEFAULT_PORT)
        )
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="apply migrations first (the embedded default does)",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="do not run the periodic jobs in this process (cron or Celery beat runs them)",
        )

    def handle(self, *args, host, port, workers, migrate, no_scheduler, **options):
        import uvicorn

        if not os.environ.get("SUTIAO_SITE_URL"):
            # Links point where this server listens; worker processes read it from the
            # environment, as they build their settings afresh.
            settings.SITE_URL = os.environ["SUTIAO_SITE_URL"] = served_url(host, port)
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Sutiao is serving on http://{host}:{port}/  "
            f"(database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; "
            f"links: {settings.SITE_URL})"
        )
        if not no_scheduler and workers == 1:
            # The project's jobs (sutiao.scheduler): named in settings so that core imports
            # no domain.
            import_string(settings.SCHEDULER)()
        uvicorn.run(
            "sutiao.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            proxy_headers=True,
            lifespan="off",
        )
