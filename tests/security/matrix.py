"""The access matrix's parts: the endpoints (from the URL configuration and the OpenAPI
documents), the strangers (one of each demo role, in institutions of their own), the request
bodies an operation accepts (built from its schema, so a refusal is the look-up's, not the
body's), and the comparison of a foreign object's answer with a missing one's."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sutiao.accounts.roles import Role
from tests import factories

from . import access_table as table

MISSING_ID = 2_000_000_000  # an integer key no row has (fits a 32-bit column too)
MISSING_STR = "zz-no-such-object-0"
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass
class Endpoint:
    key: str  # the table's key
    template: str  # "/cases/{pk}/" (pages) or "/api/v1/cases/{case_id}" (API)
    params: list[str]
    methods: list[str]
    bodies: dict[str, dict[str, Any]]  # method -> {"json": …} or {"multipart": …}


def _walk(resolver: URLResolver, prefix: str = ""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def page_routes() -> list[str]:
    """Every route of the URL configuration with a parameter, but the API (its OpenAPI
    documents name those) and Django's admin (platform administrators only, checked by
    `admin.site.has_permission`)."""
    routes = []
    for route, _pattern in _walk(get_resolver()):
        if route.startswith(("admin/", "api/")) or not _PARAM.search(route):
            continue
        routes.append(route)
    return routes


def api_routes() -> list[str]:
    """The resolver's API routes with a parameter, as OpenAPI paths ("/api/v1/x/{id}")."""
    out = []
    for route, _pattern in _walk(get_resolver()):
        if route.startswith("api/") and _PARAM.search(route):
            out.append("/" + _PARAM.sub(lambda m: "{" + m.group(2) + "}", route))
    return out


def pages() -> list[Endpoint]:
    found = []
    for route in page_routes():
        template = "/" + _PARAM.sub(lambda m: "{" + m.group(2) + "}", route)
        params = [m.group(2) for m in _PARAM.finditer(route)]
        found.append(Endpoint(route, template, params, ["GET", "POST"], {"POST": {"data": {}}}))
    return found


def operations(client: Client, url: str) -> list[Endpoint]:
    """The operations of one OpenAPI document that take a path parameter."""
    schema = client.get(url).json()
    found = []
    for path, ops in schema["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        if not params:
            continue
        methods, bodies = [], {}
        for method, op in ops.items():
            methods.append(method.upper())
            bodies[method.upper()] = _body(schema, op)
        found.append(Endpoint(path, path, params, methods, bodies))
    return found


def entry(endpoint: Endpoint, method: str) -> object | None:
    """The table's entry for this operation: by "METHOD path", by path, or for a case's
    paths the case."""
    source = table.PAGES if not endpoint.key.startswith("/") else table.API
    for key in (f"{method} {endpoint.key}", endpoint.key):
        if key in source:
            return source[key]
    if endpoint.key.startswith(table.CASE_PATHS_PREFIX) and endpoint.params == ["case_id"]:
        return table.A_CASE
    return None


# --- request bodies ------------------------------------------------------------------------


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def example(schema: dict, node: dict) -> Any:
    """A value the schema accepts: required properties only, the first of every choice."""
    node = _resolve(schema, node)
    for choice in ("anyOf", "oneOf", "allOf"):
        if choice in node:
            options = [o for o in node[choice] if _resolve(schema, o).get("type") != "null"]
            return example(schema, options[0] if options else node[choice][0])
    if "enum" in node:
        return node["enum"][0]
    if "default" in node:
        return node["default"]
    kind = node.get("type")
    if kind == "object":
        return {k: example(schema, node["properties"][k]) for k in node.get("required", [])}
    if kind == "array":
        return [example(schema, node["items"])] * node.get("minItems", 0)
    if kind == "integer":
        return node.get("minimum", 1)
    if kind == "number":
        return node.get("minimum", 1)
    if kind == "boolean":
        return False
    if node.get("format") == "date":
        return (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    if node.get("format") == "date-time":
        return (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)).isoformat()
    return "甲" * max(node.get("minLength", 1), 1)


def _body(schema: dict, op: dict) -> dict[str, Any]:
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return {"json": example(schema, content["application/json"]["schema"])}
    if "multipart/form-data" in content:
        return {"multipart": {}}
    return {}


def call(client: Client, method: str, url: str, body: dict[str, Any]):
    if "json" in body:
        payload = json.dumps(body["json"])
        return client.generic(method, url, payload, content_type="application/json")
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, body.get("data", body.get("multipart", {})))
    return client.generic(method, url)


# --- the strangers -------------------------------------------------------------------------

STRANGER_ROLES = [
    Role.PARTY,
    Role.MEDIATOR,
    Role.ORG_ADMIN,
    Role.IP_OFFICE_STAFF,
    Role.COURT_CLERK,
    Role.JUDGE,
    Role.NATIONAL_SUPERVISOR,
]


def strangers() -> dict[str, Client]:
    """One logged-in client per demo role, each in a court, an IP office and an organisation
    that none of the demo's rows belongs to."""
    # In Guangdong: the demo's institutions are in Beijing, and an IP office maintains the
    # roster of its own region.
    court = factories.court("矩阵外法院", region="440000", code="粤73")
    office = factories.office("矩阵外知识产权局", region="440000")
    org = factories.org("矩阵外调解组织", region="440106")
    where = {
        Role.MEDIATOR: {"org": org},
        Role.ORG_ADMIN: {"org": org},
        Role.IP_OFFICE_STAFF: {"ip_office": office},
        Role.COURT_CLERK: {"court": court},
        Role.JUDGE: {"court": court},
        Role.NATIONAL_SUPERVISOR: {"court": court},
    }
    return {
        str(role): factories.client_for(factories.person(role, **where.get(role, {})))
        for role in STRANGER_ROLES
    }


# --- the objects ---------------------------------------------------------------------------


def _attr(row: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        row = getattr(row, part)
    return row


def kwargs_for(obj: table.Obj) -> dict[str, Any] | None:
    """The path parameters of a real row of `obj.model`, or None when there is none."""
    row = apps.get_model(obj.model).objects.order_by("pk").first()
    if row is None:
        return None
    return {param: _attr(row, attribute) for param, attribute in obj.params.items()}


def missing_kwargs(params: list[str]) -> dict[str, Any]:
    return {p: table.CONSTANTS.get(p, MISSING_ID) for p in params}


def acceptable(obj: table.Obj, got: tuple[int, str], missing: tuple[int, str]) -> bool:
    """A public object may be refused with 403; anything else answers as a missing one, with
    a 404 (or a 405/422 that comes before any look-up, the same for both)."""
    if obj.public and got[0] in (403, 404, 405):
        return True
    return got == missing and got[0] in (404, 405, 422)


def shape(response) -> tuple[int, str]:
    """What a caller can tell apart: the status and, for the API, the error's code."""
    code = ""
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            code = str(response.json().get("error", {}).get("code", ""))
        except ValueError:
            code = "(not JSON)"
    return response.status_code, code
