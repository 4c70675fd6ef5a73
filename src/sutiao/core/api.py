"""The API's shell: authentication, JSON rendering and the error format of DESIGN.md.

The project (`sutiao.api`) builds it, hands it the accounts domain's token look-up and mounts
every domain's router, so that core imports no domain.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer

from .errors import CoreError, DomainError

logger = logging.getLogger(__name__)


class UnicodeRenderer(JSONRenderer):
    """Readable Chinese in bodies instead of \\uXXXX escapes."""

    json_dumps_params = {"ensure_ascii": False}


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; `user_for_token` maps a raw token to its user or None."""

    def __init__(self, user_for_token: Callable[[str], Any]) -> None:
        super().__init__()
        self.user_for_token = user_for_token

    def authenticate(self, request: HttpRequest, token: str):
        user = self.user_for_token(token)
        if user is not None:
            request.user = user
        return user


class Session(APIKeyCookie):
    """The browser's session; staff must have passed their second factor.

    The CSRF check protects what a session authenticates, so it runs only when the request
    comes with a logged-in session: a token client (no session) is never asked for a CSRF
    token, and a session write without one is still refused (403)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return None
        if user.needs_second_factor and not user.is_verified():
            return None
        return user


# Bounds of every paginated list (`?limit=&offset=`): outside them the request answers 422
# `validation_failed`, never a database error (SQLite and PostgreSQL stop at 2**63 - 1).
MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    """`@paginate` of every list endpoint (settings.NINJA_PAGINATION_CLASS): limit 1 to
    `MAX_LIMIT`, offset 0 to `MAX_OFFSET`."""

    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class MaskedPerson(Schema):
    """A shape that shows a person's identity number or phone gives them masked (the model's
    `id_number_masked`, `phone_masked`); each shape declares the fields it shows."""

    @staticmethod
    def resolve_id_number(obj) -> str:
        return obj.id_number_masked

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.phone_masked


def error_body(code: str, message: Any, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details or {}}}


def _validation_fields(exc: NinjaValidationError) -> dict[str, list[str]]:
    """Pydantic's error locations as the form-style field names clients see elsewhere."""
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", ""))
    return fields


def _error_bodies(exc: Exception) -> tuple[dict, int]:
    """Every error the API answers, as (body, status) in the one documented shape."""
    if isinstance(exc, DomainError):
        return error_body(exc.code, exc.message, exc.details), exc.status
    if isinstance(exc, NinjaValidationError):
        fields = {"fields": _validation_fields(exc)}
        return error_body(CoreError.VALIDATION_FAILED, _("Some fields are not valid."), fields), 422
    if isinstance(exc, OverflowError | DataError):
        # A number past what Python's dates or the database hold (2**64 as an amount, 1e9
        # days): bad input, answered as such instead of a 500. Logged, in case it was ours.
        logger.warning("out-of-range value answered 422: %s", exc)
        message = _("A number is out of range.")
        return error_body(
            CoreError.VALIDATION_FAILED, message, {"fields": {"__all__": [str(message)]}}
        ), 422
    if isinstance(exc, AuthenticationError):
        return error_body(CoreError.NOT_AUTHENTICATED, _("Log in or send a valid API token.")), 401
    if isinstance(exc, Http404):
        return error_body(CoreError.NOT_FOUND, _("Not found.")), 404
    if isinstance(exc, PermissionDenied):
        return error_body(CoreError.FORBIDDEN, _("You are not allowed to do this.")), 403
    assert isinstance(exc, HttpError)
    return error_body(CoreError.HTTP_ERROR, exc.message), exc.status_code


ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "A stable code (docs/api.md)."},
                "message": {"type": "string", "description": "In the caller's language."},
                "details": {"type": "object", "description": "`fields` for 422, and more."},
            },
        }
    },
}

# The error statuses the shell answers (`_error_bodies`), declared on every operation they
# can come from, with the one error shape: 400/403/404/422 anywhere (a domain refusal, a
# hidden object, bad input), 401 where authentication is required, 409 for writes, 413
# where a file is uploaded.
ERROR_RESPONSES = {
    400: "Bad input (`invalid`).",
    401: "Not authenticated: no session with a passed second factor, no valid token.",
    403: "Not allowed; also a session write without its CSRF token.",
    404: "Not found, or not visible to you.",
    409: "Not possible in the object's current state.",
    413: "The uploaded file is too large.",
    422: "Some fields are not valid, or a number is out of range (`validation_failed`).",
}


def _statuses(method: str, operation: dict) -> list[int]:
    codes = [400, 403, 404, 422]
    if operation.get("security"):
        codes.append(401)
    if method.lower() != "get":
        codes.append(409)
    if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
        codes.append(413)
    return sorted(codes)


class SutiaoAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares every error status with the error schema."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Error"}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for code in _statuses(method, operation):
                    responses.setdefault(
                        str(code),
                        {
                            "description": ERROR_RESPONSES[code],
                            "content": {"application/json": {"schema": ref}},
                        },
                    )
        return schema


def build_api(
    *,
    user_for_token: Callable[[str], Any] | None = None,
    auth: list[Any] | None = None,
    title: str = "Sutiao API",
    description: str = "",
    urls_namespace: str = "api",
) -> NinjaAPI:
    """The API of Sutiao's users (`user_for_token`), or another API on the same shell with its
    own `auth` (docking's partners, /api/docking/v1)."""
    if auth is None:
        assert user_for_token is not None
        # The token first: a request that sends one is authenticated by it, whatever cookies
        # it carries; without one, the session (and its CSRF check) decides.
        auth = [BearerToken(user_for_token), Session()]
    api = SutiaoAPI(
        title=title,
        version="1.0.0",
        description=description or _doc(),
        urls_namespace=urls_namespace,
        renderer=UnicodeRenderer(),
        auth=auth,
    )

    def answer(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
        assert isinstance(exc, Exception)
        body, status = _error_bodies(exc)
        return api.create_response(request, body, status=status)

    for kind in (
        DomainError,
        NinjaValidationError,
        AuthenticationError,
        Http404,
        PermissionDenied,
        HttpError,
        OverflowError,
        DataError,
    ):
        api.add_exception_handler(kind, answer)
    return api


def _doc() -> str:
    return (
        "Sutiao's API for courts, mediation organisations, IP offices and other platforms. "
        "Authenticate with the browser session or `Authorization: Bearer <token>` "
        "(tokens are issued at POST /api/v1/auth/tokens). Errors always look like "
        + json.dumps(error_body("case.invalid_transition", "…", {}), ensure_ascii=False)
    )
