from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sutiao.core.errors import TABLE_END, TABLE_START, error_table


class Command(BaseCommand):
    help = (
        "Error code tools. `errors table` prints the Markdown table of every stable error code "
        "(from each domain's errors.py); `errors table --write` puts it into docs/api.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["table"])
        parser.add_argument("--write", action="store_true", help="update docs/api.md in place")
        parser.add_argument("--doc", default=None, help="the file to update (docs/api.md)")

    def handle(self, *args, verb, write, doc, **options):
        table = error_table()
        if not write:
            self.stdout.write(table)
            return
        path = Path(doc) if doc else api_doc()
        text = path.read_text()
        if TABLE_START not in text or TABLE_END not in text:
            raise CommandError(f"{path} has no error-code markers ({TABLE_START})")
        head, rest = text.split(TABLE_START, 1)
        _old, tail = rest.split(TABLE_END, 1)
        path.write_text(head + table + tail)
        self.stdout.write(f"{path}: error table written ({table.count(chr(10)) - 3} codes)")


def api_doc() -> Path:
    return Path(__file__).resolve().parents[5] / "docs" / "api.md"
