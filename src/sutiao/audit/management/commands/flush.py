"""`flush` empties every table, the audit log included: on SQLite it deletes rows, which the
audit guard allows only in maintenance (on PostgreSQL flush truncates, which no row trigger
stops). Used by the test runner between transactional tests."""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from sutiao.audit import guard


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with guard.maintenance(connections[options["database"]]):
            super().handle(**options)
