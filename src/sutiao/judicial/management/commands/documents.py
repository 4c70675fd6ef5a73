from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sutiao.cases.models import Case
from sutiao.judicial import case_file


class Command(BaseCommand):
    help = (
        "`documents export CASE_NUMBER DIR`: the electronic case file — every registered "
        "document of the case (agreements, rulings, mediation documents, proofs of service) "
        "and its uploaded PDFs — written to DIR with manifest.json (SHA-256 of each file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["export"])
        parser.add_argument("case_number")
        parser.add_argument("folder")

    def handle(self, *args, verb, case_number, folder, **options):
        case = Case.objects.filter(number=case_number).first()
        if case is None:
            raise CommandError(f"no case numbered {case_number}")
        out = case_file.export(case, Path(folder))
        for entry in out.manifest["files"]:
            self.stdout.write(f"{entry['sha256']}  {entry['file']}")
        self.stdout.write(f"{len(out.manifest['files'])} file(s); manifest: {out.path}")
