"""`sutiao demo generate` (issue 14): the same seed gives the same cases; the roster gets the
mediators asked for; the rows are consistent for the platform's own code — each case's
mediator is a member of its organisation, in its city, with its two parties, who consented
once it was accepted — and the ids' sequences are advanced past the generated rows (on
PostgreSQL the rows arrive by COPY with ids reserved from the sequence), so the platform's
next insert does not collide."""

from __future__ import annotations

import pytest
from django.db.models import Count

from sutiao.cases.choices import PartyRole
from sutiao.cases.models import Case, Party
from sutiao.demo.generate import generate
from sutiao.documents import codes
from sutiao.documents.models import Document
from sutiao.roster.models import Mediator
from tests import clock
from tests.evaluation.conftest import load_reference_data

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(clock.WORKING_MONDAY, tick=False)]
SHAPE = {"provinces": 2, "cities": 2, "orgs": 2, "mediators": 3, "progress": None}
FIELDS = ("channel", "state", "ip_kind_id", "court_id", "org_id", "mediator_id")
TIMES = ("submitted_at", "assigned_at", "accepted_at", "ended_at")


def _cases(ids: list[int]) -> list[tuple]:
    return list(Case.objects.filter(pk__in=ids).order_by("pk").values_list(*FIELDS, *TIMES))


def test_the_same_seed_gives_the_same_cases_and_a_roster_of_the_size_asked():
    load_reference_data()
    assert generate(cases=300, seed=5, roster=500, **SHAPE) == 300
    first = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    assert Mediator.objects.count() == 500  # 2 × 2 × 2 × 3 handling cases, the rest roster-only
    assert generate(cases=300, seed=5, roster=500, **SHAPE) == 300
    second = list(Case.objects.exclude(pk__in=first).order_by("pk").values_list("pk", flat=True))
    assert len(second) == 300
    assert _cases(first) == _cases(second)
    assert Mediator.objects.count() == 500  # the same seed's institutions are reused
    assert generate(cases=300, seed=6, **SHAPE) == 300
    third = Case.objects.exclude(pk__in=first + second).order_by("pk").values_list("pk", flat=True)
    assert _cases(list(third)) != _cases(first)


def test_generated_rows_are_consistent_and_the_sequences_are_advanced():
    load_reference_data()
    generate(cases=400, seed=9, roster=100, **SHAPE)
    for case in Case.objects.select_related("org", "mediator", "court"):
        assert case.mediator.orgs.filter(pk=case.org_id).exists()
        assert case.mediator.region_id == case.org.region_id
        if case.court_id:
            assert case.court.region_id == case.org.region_id
    # The mediation documents' codes are ones the verification page accepts (no 0, 1, I, O).
    printed = list(Document.objects.values_list("verify_code", flat=True))
    assert printed and all(codes.normalise(code) == code for code in printed), printed[:5]
    parties = Party.objects.values("case_id").annotate(n=Count("id")).values_list("n", flat=True)
    assert set(parties) == {2}
    # A mediating case's parties have consented, so its sessions can be recorded; a case
    # not yet accepted waits for their consent.
    for case in Case.objects.filter(state__in=["mediating", "awaiting_acceptance"]):
        consented = {p.has_consented for p in case.parties.all()}
        assert consented == {case.state == "mediating"}, case.state
    # The platform's own inserts after the generated rows get new ids and no collision.
    last_case = Case.objects.order_by("-pk").values_list("pk", flat=True)[0]
    last_party = Party.objects.order_by("-pk").values_list("pk", flat=True)[0]
    case = Case.objects.get(pk=last_case)
    party = Party.objects.create(case=case, role=PartyRole.APPLICANT, name="新当事人")
    assert party.pk > last_party
    assert Mediator.objects.create(name="新调解员", region_id=case.org.region_id).pk > max(
        Mediator.objects.exclude(name="新调解员").values_list("pk", flat=True)
    )
