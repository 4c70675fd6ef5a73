"""Access matrix (issue 21, item 1): every role × every page and API endpoint that names an
object × an object of another institution or case → the same 404 as a missing object.

The endpoints come from the URL configuration and the OpenAPI documents; each must have an
entry in access_table.py, so a new endpoint without one fails here. The world is the demo
(`sutiao demo`: institutions, rosters, cases at every stage, signed agreements, a confirmed
one); the callers are one person of each demo role in a court, an IP office and an
organisation of their own, so every demo row is another institution's or another case's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from sutiao.demo import data
from tests.clock import WORKING_MONDAY
from tests.documents.conftest import media  # noqa: F401

from . import access_table as table
from . import matrix
from .extra_rows import add_rows_the_demo_lacks

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def _endpoints(anonymous: Client) -> list[matrix.Endpoint]:
    api = matrix.operations(anonymous, "/api/v1/openapi.json")
    api += matrix.operations(anonymous, "/api/docking/v1/openapi.json")
    documented = {e.key for e in api}
    undocumented = [r for r in matrix.api_routes() if r not in documented]
    assert not undocumented, f"API routes missing from the OpenAPI documents: {undocumented}"
    return matrix.pages() + api


def _unclassified(endpoints: list[matrix.Endpoint]) -> list[str]:
    return [f"{m} {e.key}" for e in endpoints for m in e.methods if matrix.entry(e, m) is None]


def _stale(endpoints: list[matrix.Endpoint]) -> list[str]:
    keys = {e.key for e in endpoints} | {f"{m} {e.key}" for e in endpoints for m in e.methods}
    return [k for k in [*table.PAGES, *table.API] if k not in keys]


def test_every_endpoint_that_names_an_object_is_in_the_table(client):
    endpoints = _endpoints(client)
    assert len(endpoints) > 100  # the walk found the surface, not an empty list
    assert not _unclassified(endpoints), "add these to tests/security/access_table.py"
    assert not _stale(endpoints), "entries for endpoints that no longer exist"


def _ask(callers, endpoint, method, obj) -> tuple[list[str], int]:
    """Each stranger asks for the foreign object, and for a missing one unless the foreign
    answer already is the missing one's (the first stranger's, asked once)."""
    constants = {p: table.CONSTANTS[p] for p in endpoint.params if p not in obj.params}
    foreign = matrix.kwargs_for(obj)
    assert foreign is not None, f"no {obj.model} to ask for"
    missing = {**matrix.missing_kwargs(list(obj.params)), **constants}
    foreign_url = endpoint.template.format(**foreign, **constants)
    missing_url = endpoint.template.format(**missing)
    resolve(foreign_url.split("?")[0])  # a real route: a 404 is the look-up's, not a typo's
    body = endpoint.bodies.get(method, {})
    failures, requests, first_missing = [], 0, None
    for role, caller in callers.items():
        got = matrix.shape(matrix.call(caller, method, foreign_url, body))
        requests += 1
        if first_missing is None or got != first_missing:
            expected = matrix.shape(matrix.call(caller, method, missing_url, body))
            requests += 1
            first_missing = first_missing or expected
        else:
            expected = first_missing
        if not matrix.acceptable(obj, got, expected):
            failures.append(f"{role} {method} {foreign_url}: {got} ≠ missing {expected}")
    return failures, requests


def test_strangers_get_the_404_of_a_missing_object(media, client, capsys):  # noqa: F811
    loaded = data.load()
    assert not loaded.problems, loaded.problems
    add_rows_the_demo_lacks()
    endpoints = _endpoints(client)
    callers = matrix.strangers()
    failures, requests, operations = [], 0, 0
    for endpoint in endpoints:
        for method in endpoint.methods:
            obj = matrix.entry(endpoint, method)
            if isinstance(obj, table.Obj):
                found, asked = _ask(callers, endpoint, method, obj)
                failures += found
                requests += asked
                operations += 1
    with capsys.disabled():
        print(
            f"\naccess matrix: {operations} operations × {len(callers)} roles, {requests} requests"
        )
    assert operations > 150 and requests >= operations * len(callers)
    assert not failures, "\n".join(failures)
