"""`sutiao roster import FILE` and `sutiao roster template KIND OUT`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sutiao.core.errors import Invalid
from sutiao.roster import actions, importing, spreadsheets
from sutiao.roster.models import ImportJob


def bar(job: ImportJob, width: int = 30) -> str:
    total = max(job.total, 1)
    done = min(job.processed, total)
    filled = int(width * done / total) if job.status != ImportJob.Status.DONE else width
    return f"[{'#' * filled}{'-' * (width - filled)}] {job.percent:3d}% {job.processed}/{job.total}"


class Command(BaseCommand):
    help = "Collect organisations and mediators from the XLSX/CSV templates."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        imp = sub.add_parser("import", help="import a filled template (XLSX or CSV)")
        imp.add_argument("file")
        imp.add_argument("--kind", choices=ImportJob.Kind.values, default="")
        imp.add_argument("--errors", help="write the rows not imported to this XLSX file")
        tpl = sub.add_parser("template", help="write an empty template")
        tpl.add_argument("kind", choices=ImportJob.Kind.values)
        tpl.add_argument("out")

    def handle(self, *args, **options):
        if options["verb"] == "template":
            Path(options["out"]).write_bytes(spreadsheets.template(options["kind"]))
            self.stdout.write(f"Template written to {options['out']}")
            return
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            job = actions.start_import(
                actor=None,
                filename=path.name,
                data=path.read_bytes(),
                kind=options["kind"],
                queue=False,
            )
        except Invalid as exc:
            raise CommandError(str(exc.message)) from exc
        tty = sys.stdout.isatty()

        def progress(job: ImportJob) -> None:
            self.stdout.write(("\r" if tty else "") + bar(job), ending="" if tty else "\n")
            self.stdout.flush()

        job = importing.run(job.pk, actor="cli", progress=progress)
        if tty:
            self.stdout.write("")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.failure)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {job.created_count}, already on the platform {job.existing_count}, "
                f"rows with errors {job.error_count}."
            )
        )
        for err in job.errors[:50]:
            self.stdout.write(f"  line {err['line']}: {'；'.join(err['reasons'])}")
        if job.error_count > 50:
            self.stdout.write(f"  … and {job.error_count - 50} more")
        if options.get("errors") and job.errors:
            Path(options["errors"]).write_bytes(spreadsheets.error_report(job))
            self.stdout.write(f"Rows not imported written to {options['errors']}")
