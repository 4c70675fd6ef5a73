from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "evaluation rebuild [--check]: recompute the figures' summary from the raw tables "
        "and report the rows that differed (--check: report only, change nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["rebuild"])
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, **options):
        from sutiao.evaluation.summary import rebuild

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\rcases read {done:,} / {total:,}", ending="")

        found = rebuild(check=options["check"], progress=progress)
        self.stderr.write("")
        for line in found:
            self.stdout.write(line)
        if options["check"] and found:
            raise CommandError(f"{len(found)} summary rows differ from the raw tables")
        verb = "differ" if options["check"] else "were corrected"
        self.stdout.write(self.style.SUCCESS(f"{len(found)} summary rows {verb}."))
