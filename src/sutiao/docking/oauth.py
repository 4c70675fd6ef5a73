"""OAuth 2.0 client credentials (django-oauth-toolkit): a partner gets only its own scopes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator

SCOPES: dict[str, str] = settings.OAUTH2_PROVIDER["SCOPES"]  # type: ignore[assignment]  # settings.py lists them


def _partner_scopes(client: Any) -> set[str]:
    partner = getattr(client, "partner", None)
    return partner.scope_set if partner is not None else set()


class PartnerValidator(OAuth2Validator):
    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs) -> bool:
        return set(scopes) <= _partner_scopes(client)

    def get_default_scopes(self, client_id, request, *args, **kwargs) -> list[str]:
        return sorted(_partner_scopes(request.client))
