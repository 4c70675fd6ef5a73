from django.core.management.base import BaseCommand, CommandError

from sutiao.audit import checkpoint
from sutiao.audit.log import verify


class Command(BaseCommand):
    help = (
        "Audit log tools. `audit verify` checks the hash chain against the signed checkpoints "
        "and names the first broken entry; `audit checkpoint` signs the head of the chain into "
        "a checkpoint file outside the database (SUTIAO_AUDIT_CHECKPOINT_DIR)."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["verify", "checkpoint"])

    def handle(self, *args, verb, **options):
        if verb == "checkpoint":
            self._checkpoint()
            return
        verdict = verify()
        if verdict.ok:
            self.stdout.write(
                f"audit chain intact: {verdict.checked} entries verified, "
                f"{verdict.checkpoints} signed checkpoint(s) match"
            )
            if verdict.plain_until:
                self.stdout.write(
                    f"entries 1-{verdict.plain_until} predate the audit key (plain SHA-256); "
                    "later entries are keyed (HMAC-SHA256)"
                )
            return
        where = f"at entry {verdict.broken_seq}" if verdict.broken_seq else ""
        raise CommandError(
            f"audit chain broken {where}: {verdict.reason} "
            f"({verdict.checked} entries before it verified)".replace("broken :", "broken:")
        )

    def _checkpoint(self) -> None:
        verdict = verify()
        if not verdict.ok:
            raise CommandError(
                f"no checkpoint written: the chain does not verify ({verdict.reason})"
            )
        written = checkpoint.write()
        if written is None:
            self.stdout.write("no checkpoint written: the audit log is empty")
            return
        self.stdout.write(
            f"checkpoint {written.name}: entry {written.seq}, hash {written.hash[:16]}…, "
            f"signed at {written.at}"
        )
