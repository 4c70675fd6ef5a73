"""`sutiao delivery work [--once]`, `sutiao delivery digest`, `sutiao delivery status`."""

from __future__ import annotations

import json
import signal
import threading

from django.core.management.base import BaseCommand
from django.db.models import Count


class Command(BaseCommand):
    help = "Electronic service: run the delivery worker, send the daily digests, show the queue."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        work = sub.add_parser("work", help="send what is due (until stopped, or --once)")
        work.add_argument("--once", action="store_true", help="one pass, then exit")
        work.add_argument("--every", type=float, default=None, help="seconds between passes")
        sub.add_parser("digest", help="queue the daily digests that are due")
        sub.add_parser("status", help="deliveries by channel and state, services by state")

    def handle(self, *args, what, **options):
        from sutiao.delivery import actions, engine

        if what == "work":
            if options["once"]:
                stats = engine.run_once()
                self.stdout.write(json.dumps(dict(stats)))
                return
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            self.stdout.write("Delivery worker running; Ctrl-C stops it.")
            engine.loop(stop, every=options["every"])
        elif what == "digest":
            self.stdout.write(json.dumps({"digests": actions.enqueue_digests()}))
        else:
            from sutiao.delivery.models import Delivery, Service

            rows = Delivery.objects.values("channel", "state").annotate(n=Count("id"))
            services = Service.objects.values("state").annotate(n=Count("id"))
            self.stdout.write(
                json.dumps(
                    {
                        "deliveries": {f"{r['channel']}.{r['state']}": r["n"] for r in rows},
                        "services": {r["state"]: r["n"] for r in services},
                    }
                )
            )
