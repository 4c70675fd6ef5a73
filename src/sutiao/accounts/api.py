from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from sutiao.core.api import MaskedPerson, Session

from . import actions, phone_change
from .identity import mask_phone
from .models import APIToken, User

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    institution_type: str | None
    institution_id: int | None
    institution_name: str | None


class MeOut(Schema):
    id: int
    username: str
    real_name: str
    kind: str
    id_number: str
    phone: str
    email: str
    memberships: list[MembershipOut]


def _me(user: User) -> dict:
    memberships = []
    for m in user.active_memberships:
        kind = (
            "court"
            if m.court_id
            else "ip_office"
            if m.ip_office_id
            else "org"
            if m.org_id
            else None
        )
        inst = m.institution
        memberships.append(
            {
                "role": m.role,
                "institution_type": kind,
                "institution_id": inst.pk if inst else None,
                "institution_name": str(inst) if inst else None,
            }
        )
    return {
        "id": user.pk,
        "username": user.username,
        "real_name": user.real_name,
        "kind": user.kind,
        "id_number": user.id_number_masked,
        "phone": user.phone_masked,
        "email": user.email,
        "memberships": memberships,
    }


@router.get("/me", response=MeOut)
def me(request):
    return _me(request.auth)


class ProfileIn(Schema):
    real_name: str | None = None
    email: str | None = None
    phone: str | None = None
    preferred_language: str | None = None


@router.patch("/me", response=MeOut)
def patch_me(request, payload: ProfileIn):
    user = actions.update_profile(
        actor=request.auth, user=request.auth, **payload.dict(exclude_none=True)
    )
    return _me(user)


class PhoneIn(Schema):
    phone: str = Field(..., max_length=20, description="The new mainland mobile number.")


class PhoneCodeSent(Schema):
    phone: str = Field(..., description="The new number, masked: the code went there.")
    expires_at: str


@router.post("/me/phone", response={202: PhoneCodeSent})
def start_phone_change(request, payload: PhoneIn):
    """Change the account's phone: a code goes to the new number, which takes effect only
    with `POST /me/phone/confirm` (10 minutes, 5 attempts)."""
    row = phone_change.start_phone_change(actor=request.auth, phone=payload.phone)
    return Status(202, {"phone": mask_phone(row.phone), "expires_at": row.expires_at.isoformat()})


class PhoneCodeIn(Schema):
    code: str = Field(..., max_length=12)


@router.post("/me/phone/confirm", response=MeOut)
def confirm_phone_change(request, payload: PhoneCodeIn):
    """The code sent to the new phone: right, the account takes it; wrong, nothing changes."""
    return _me(phone_change.confirm_phone_change(actor=request.auth, code=payload.code))


class PersonIn(Schema):
    username: str
    password: str
    real_name: str
    kind: str = "natural"
    id_number: str = ""
    uscc: str = ""
    phone: str = ""
    email: str = ""


class PersonOut(MaskedPerson):
    id: int
    username: str
    real_name: str
    kind: str
    id_number: str


@router.post("/people", response={201: PersonOut})
def create_person(request, payload: PersonIn):
    """Platform administrators create accounts (courts' and offices' staff, parties...)."""
    return Status(201, actions.register_person(actor=request.auth, **payload.dict()))


class TokenIn(Schema):
    name: str
    days: int = Field(
        APIToken.MAX_DAYS,
        ge=1,
        le=APIToken.MAX_DAYS,
        description="Days the token is valid: 1 to 90, 90 if not given. Every token expires.",
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    token: str | None = None


# A token is issued from a logged-in session only (with its CSRF token and second factor):
# a token that could mint its successor would never expire.
@router.post("/auth/tokens", response={201: TokenOut}, auth=Session())
def issue_token(request, payload: TokenIn):
    """A bearer token for scripts and other platforms; the token is shown once. Only from a
    logged-in session: a token cannot issue tokens."""
    token, raw = actions.issue_api_token(actor=request.auth, name=payload.name, days=payload.days)
    return Status(201, {"id": token.pk, "name": token.name, "prefix": token.prefix, "token": raw})


@router.delete("/auth/tokens/{token_id}", response={204: None})
def revoke_token(request, token_id: int):
    token = get_object_or_404(APIToken, pk=token_id, user=request.auth)
    actions.revoke_api_token(actor=request.auth, token=token)
    return Status(204, None)
