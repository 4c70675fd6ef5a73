"""A page's query count does not grow with what it shows (issue 14: no N+1). Each page is
read with a few rows and with many; the number of queries must be the same."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sutiao.cases import actions
from tests import factories
from tests.agreements.factories import mediating_case
from tests.cases import factories as cf

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    client.get(url)  # warm: the first request of a client reads its session and caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def talk(world, n: int) -> None:
    for i in range(n):
        author = (world.applicant, world.respondent, world.mediator_user)[i % 3]
        actions.post_message(actor=author, case=world.case, body=f"第{i}条留言")


@pytest.mark.parametrize("who", ["mediator_user", "applicant", "clerk"])
def test_case_page_reads_the_same_number_of_queries_for_3_and_30_messages(who):
    world = mediating_case()
    client = factories.client_for(getattr(world, who))
    url = reverse("cases:detail", args=[world.case.pk])
    talk(world, 3)
    few = queries(client, url)
    talk(world, 27)
    many = queries(client, url)
    assert many == few, f"{who}: {few} queries with 3 messages, {many} with 30"


@pytest.mark.parametrize("who", ["mediator_user", "applicant", "respondent", "clerk"])
def test_case_page_reads_the_parties_once_and_each_precondition_once(who):
    """The roles, the user's own parties, the party rows and the timeline share one read of
    the parties; the steps and the session button share one evaluation of the table."""
    world = mediating_case()
    client = factories.client_for(getattr(world, who))
    url = reverse("cases:detail", args=[world.case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sqls = [q["sql"] for q in captured]
    party_reads = [q for q in sqls if q.startswith('SELECT "cases_party"."id"')]
    assert len(party_reads) == 1, party_reads
    repeated = {q for q in sqls if sqls.count(q) > 1}
    assert not repeated, repeated


def test_clerk_queue_reads_the_same_number_of_queries_for_2_and_12_cases():
    court = factories.court()
    clerk = factories.person("court_clerk", court=court)
    client = factories.client_for(clerk)
    url = reverse("cases:queue")
    for _ in range(2):
        cf.submitted_case(court)
    few = queries(client, url)
    for _ in range(10):
        cf.submitted_case(court)
    many = queries(client, url)
    assert many == few, f"{few} queries with 2 cases, {many} with 12"


def test_public_roster_reads_the_same_number_of_queries_for_2_and_12_mediators():
    court = factories.court()
    client = Client()
    url = reverse("roster:public")
    for i in range(2):
        cf.rostered_mediator(court, name=f"调解员{i}")
    few = queries(client, url)
    court_few = queries(client, reverse("roster:court_roster", args=[court.pk]))
    for i in range(2, 12):
        cf.rostered_mediator(court, name=f"调解员{i}")
    many = queries(client, url)
    court_many = queries(client, reverse("roster:court_roster", args=[court.pk]))
    assert (many, court_many) == (few, court_few)
