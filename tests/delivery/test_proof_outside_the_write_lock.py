"""The worker renders and seals a proof of service before the transaction that registers it:
on SQLite that transaction holds the only write lock, and a second or more of WeasyPrint and
pyHanko inside it (several under load, two dozen after the demo) kept log-ins waiting until
they timed out. The prepared proof is used only if the service still says the same."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from django.db import connection

from sutiao.delivery import actions, engine
from sutiao.delivery.models import Service

pytestmark = pytest.mark.django_db(transaction=True)

TOPIC = "delivery.proof_due"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def serve(s) -> list[Service]:
    return actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title=s.ruling.title, kind="ruling"
    )


def test_the_worker_seals_the_proof_outside_any_transaction_and_registers_that_one(
    served_case, smtp, monkeypatch
):
    seen = []
    original = engine.PREPARE[TOPIC]

    def observed(payload):
        prepared = original(payload)
        seen.append((connection.in_atomic_block, prepared))
        return prepared

    monkeypatch.setitem(engine.PREPARE, TOPIC, observed)
    services = serve(served_case)
    engine.run_once()

    assert len(seen) == len(services) == 2
    assert [inside for inside, _ in seen] == [False, False]
    registered = {sha(sv.proof.file.open("rb").read()) for sv in Service.objects.all()}
    assert registered == {sha(prepared.signed) for _, prepared in seen}


def test_a_proof_prepared_from_other_events_is_made_again_inside(served_case, smtp, monkeypatch):
    stale = []
    original = engine.PREPARE[TOPIC]

    def outdated(payload):
        prepared = original(payload)
        stale.append(prepared)
        return dataclasses.replace(prepared, basis=((), None, ""))

    monkeypatch.setitem(engine.PREPARE, TOPIC, outdated)
    serve(served_case)
    engine.run_once()

    proofs = [sv.proof for sv in Service.objects.all()]
    assert len(stale) == 2 and all(p is not None for p in proofs)
    made = {sha(p.file.open("rb").read()) for p in proofs}
    assert made.isdisjoint({sha(p.signed) for p in stale})
    assert {p.verify_code for p in proofs}.isdisjoint({p.code for p in stale})
