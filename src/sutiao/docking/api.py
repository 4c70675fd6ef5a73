"""/api/docking/v1: the API other platforms call (docs/docking.md). Partners authenticate
with OAuth 2.0 client credentials (`POST /api/docking/v1/oauth/token`); every call is
audited with the partner as actor; every POST needs an `Idempotency-Key`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from ninja import Field, Header, Schema
from ninja.security import HttpBearer
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.views import TokenView

from sutiao.cases.actions.application import PartyIn
from sutiao.core.api import build_api, error_body
from sutiao.core.errors import DomainError, Forbidden, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.institutions.models import Court, MediationOrg

from . import actions, feed, idempotency, peers, queries
from .errors import DockingError
from .models import Partner

MAX_FEED = 500


class PartnerToken(HttpBearer):
    """An access token of the client-credentials grant; the request carries its partner."""

    def authenticate(self, request: HttpRequest, token: str) -> Partner | None:
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
        if not valid:
            return None
        partner = getattr(oauth_request.access_token.application, "partner", None)
        if partner is None:
            return None
        request.docking_partner = partner  # type: ignore[attr-defined]
        request.docking_token = oauth_request.access_token  # type: ignore[attr-defined]
        request.user = partner.user
        return partner


def _partner(request: HttpRequest, scope: str) -> Partner:
    token = request.docking_token  # type: ignore[attr-defined]
    if not token.allow_scopes([scope]):
        raise Forbidden(
            _("The access token lacks the scope %(scope)s.") % {"scope": scope},
            code=DockingError.SCOPE_MISSING,
            scope=scope,
        )
    return request.docking_partner  # type: ignore[attr-defined]


api = build_api(
    auth=[PartnerToken()],
    title="Sutiao docking API",
    description=(
        "For other platforms (IP offices' dispute-resolution platforms, courts' mediation "
        "platforms): OAuth 2.0 client credentials at POST /api/docking/v1/oauth/token, "
        "`Idempotency-Key` on every POST, CloudEvents in the feed and by signed webhooks "
        "(Standard Webhooks). See docs/docking.md."
    ),
    urls_namespace="docking_api",
)


class PartyShape(Schema):
    name: str = Field(max_length=100)
    kind: str = Field("natural", pattern="^(natural|legal)$")
    id_number: str = Field("", max_length=18)
    uscc: str = Field("", max_length=18)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=200)


class ApplicationIn(Schema):
    reference: str = Field(min_length=1, max_length=100, description="The partner's own id.")
    title: str = Field(max_length=200)
    court_id: int | None = Field(None, ge=1, le=2**31 - 1)
    org_id: int | None = Field(None, ge=1, le=2**31 - 1)
    ip_kind: str = Field("", max_length=20)
    right_number: str = Field("", max_length=100)
    claims: str = Field("", max_length=5000)
    amount_fen: int | None = Field(None, ge=0, le=2**53)
    description: str = Field("", max_length=5000)
    applicant: PartyShape
    respondents: list[PartyShape] = Field(min_length=1, max_length=20)


class Receipt(Schema):
    receipt: str
    reference: str
    case: int
    state: str
    duplicate: bool
    status_url: str


class Status(Schema):
    receipt: str
    reference: str
    case: int
    state: str
    number: str
    received_at: str


class Feed(Schema):
    events: list[dict[str, Any]]
    next: str = Field(description="The cursor to pass as `after` for the events that follow.")


def _institution(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        message = _("Unknown institution.")
        raise Invalid(message, fields={field: [str(message)]})
    return found


def _party(shape: PartyShape) -> PartyIn:
    return PartyIn(role="", **shape.dict())


def _receipt(partner: Partner, received: actions.Received) -> dict[str, Any]:
    sub = received.submission
    return {
        "receipt": str(sub.receipt),
        "reference": sub.external_ref,
        "case": sub.case_id,
        "state": sub.case.state,
        "duplicate": not received.created,
        "status_url": f"{queries.PREFIX}/applications/{sub.external_ref}",
    }


def _json(status: int, body: Any, **headers: str) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for k, v in headers.items():
        response[k] = v
    return response


@api.post(
    "/applications",
    response={202: Receipt, 200: Receipt},
    summary="Submit a mediation application",
    description="202 with a receipt; a reference sent before answers 200 with its receipt.",
)
def submit_application(
    request: HttpRequest,
    payload: ApplicationIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
) -> JsonResponse:
    partner = _partner(request, "applications:write")
    fp = idempotency.fingerprint(request.method or "POST", request.path, request.body)
    replay = idempotency.begin(partner, idempotency_key, fp)
    if replay is not None:
        return _json(replay.status, replay.body, **{"Idempotent-Replayed": "true"})
    try:
        received = actions.receive_application(
            partner=partner,
            reference=payload.reference,
            title=payload.title,
            court=_institution(Court, payload.court_id, "court_id"),
            org=_institution(MediationOrg, payload.org_id, "org_id"),
            ip_kind=payload.ip_kind,
            right_number=payload.right_number,
            claims=payload.claims,
            amount_fen=payload.amount_fen,
            description=payload.description,
            applicant=_party(payload.applicant),
            respondents=[_party(r) for r in payload.respondents],
        )
    except DomainError as exc:
        idempotency.finish(partner, idempotency_key, exc.status, _error(exc))
        raise
    except BaseException:
        idempotency.finish(partner, idempotency_key, 500, None)
        raise
    status, body = (202 if received.created else 200), _receipt(partner, received)
    idempotency.finish(partner, idempotency_key, status, body)
    return _json(status, body)


def _error(exc: DomainError) -> dict[str, Any]:
    return error_body(exc.code, exc.message, exc.details)


@api.get("/applications/{reference}", response=Status, summary="An application's status")
def application_status(request: HttpRequest, reference: str) -> dict[str, Any]:
    partner = _partner(request, "applications:read")
    sub = queries.submission(partner, reference)
    if sub is None:
        raise NotFound()
    require(partner.user, "view", sub)
    return {
        "receipt": str(sub.receipt),
        "reference": sub.external_ref,
        "case": sub.case_id,
        "state": sub.case.state,
        "number": sub.case.number or "",
        "received_at": sub.created_at.isoformat(),
    }


@api.get("/events", response=Feed, summary="The event feed (CloudEvents 1.0)")
def events(request: HttpRequest, after: str = "0", limit: int = 100) -> dict[str, Any]:
    partner = _partner(request, "events:read")
    if not after.isdigit() or len(after) > 18:
        raise DomainError(_("This is not a cursor of the feed."), code=DockingError.BAD_CURSOR)
    if not 1 <= limit <= MAX_FEED:
        message = _("Ask for 1 to 500 events.")
        raise Invalid(message, fields={"limit": [str(message)]})
    feed.stamp()  # what committed since the last stamp is served now, not a pass later
    rows = queries.feed(partner, int(after), limit)
    return {
        "events": [queries.cloudevent(e, partner) for e in rows],
        "next": str(rows[-1].position) if rows else after,
    }


def _audited(view: Any) -> Any:
    """Every call of a partner goes to the audit log, with its answer's status."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        partner = getattr(request, "docking_partner", None)
        if partner is not None:
            actions.record_call(partner, request.method or "", request.path, response.status_code)
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


@csrf_exempt
@require_POST
def peer_webhook(request: HttpRequest) -> HttpResponse:
    """A peer instance's webhooks (docking.peers): authenticated by their Standard Webhooks
    signature, not a token; 204 when kept (also for an event kept before), 401 if the
    signature or its timestamp is wrong."""
    try:
        peers.receive_webhook(request.headers, request.body)
    except DomainError as exc:
        return _json(exc.status, _error(exc))
    return HttpResponse(status=204)


def urlpatterns() -> list[Any]:
    """Mounted at api/docking/v1/ by sutiao/urls.py."""
    patterns, _app, _ns = api.urls
    for p in patterns:
        if isinstance(p, URLPattern):
            p.callback = _audited(p.callback)
    return [
        path("oauth/token", TokenView.as_view(), name="docking_token"),
        path("peers/webhook", peer_webhook, name="docking_peer_webhook"),
        *patterns,
    ]
