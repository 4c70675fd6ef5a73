"""`sutiao` — the platform's command line; fronts Django's management commands.

sutiao migrate            create or update the database
sutiao demo               load the demo institutions and log-ins (idempotent)
sutiao serve              HTTP + WebSocket on one ASGI server
sutiao audit verify       check the audit hash chain against the signed checkpoints
sutiao audit checkpoint   sign the head of the audit chain into a checkpoint file
sutiao keys rotate        re-wrap every data key with the current master key
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sutiao", *sys.argv[1:]])


if __name__ == "__main__":
    main()
