"""The write load of test_postgresql_restart.py, as a process of its own: the mediator of a
case under mediation posts messages through the real action, one after the other. After
each commit it prints "ack <id>" (the write was acknowledged); when the database is gone it
waits and tries the same message again. Usage: python -m tests.reliability.writer COUNT"""

from __future__ import annotations

import os
import sys
import time

import django


def _case_under_mediation():
    from sutiao.cases import actions
    from tests import factories
    from tests.cases import factories as cf

    court = factories.court()
    mediator = cf.rostered_mediator(court)
    clerk = factories.person("court_clerk", court=court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    return actions.accept(actor=mediator.user, case=case), mediator.user


def main(count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sutiao.settings")
    django.setup()
    from django.db import connections
    from django.db.utils import InterfaceError, OperationalError

    from sutiao.cases.actions import post_message

    case, mediator = _case_under_mediation()
    print("ready", flush=True)
    sent = 0
    while sent < count:
        try:
            message = post_message(actor=mediator, case=case, body=f"第{sent}条")
        except (OperationalError, InterfaceError) as gone:
            print(f"retry {type(gone).__name__}", flush=True)
            connections.close_all()
            time.sleep(0.2)
            continue
        print(f"ack {message.pk}", flush=True)
        sent += 1


if __name__ == "__main__":
    main(int(sys.argv[1]))
