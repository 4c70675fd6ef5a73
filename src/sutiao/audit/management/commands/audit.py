from django.core.management.base import BaseCommand, CommandError

from sutiao.audit.log import verify


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the hash chain and names the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["verify"])

    def handle(self, *args, verb, **options):
        verdict = verify()
        if verdict.ok:
            self.stdout.write(f"audit chain intact: {verdict.checked} entries verified")
            if verdict.plain_until:
                self.stdout.write(
                    f"entries 1-{verdict.plain_until} predate the audit key (plain SHA-256); "
                    "later entries are keyed (HMAC-SHA256)"
                )
            return
        raise CommandError(
            f"audit chain broken at entry {verdict.broken_seq}: {verdict.reason} "
            f"({verdict.checked} entries before it verified)"
        )
