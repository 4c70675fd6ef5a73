"""Service addresses and consent to electronic service (OLR 29): the service-address
confirmation (送达地址确认书), given by the party or recorded for it by a court clerk."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.identity import validate_phone
from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases import actions as case_actions
from sutiao.cases.models import Party
from sutiao.core.errors import Invalid
from sutiao.core.policy import require

from ..models import AddressConfirmation, ConsentMethod
from ..policies import represents


def _checked_addresses(e_service: bool, email: str, phone: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    email = (email or "").strip()
    phone = (phone or "").strip()
    if e_service and not (email or phone):
        errors["email"] = [_("Give an e-mail address or a mobile phone for service.")]
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except Exception:  # noqa: BLE001 - Django's ValidationError, reported per field
            errors["email"] = [_("Enter a valid e-mail address.")]
    if phone:
        try:
            phone = validate_phone(phone)
        except Exception as exc:  # noqa: BLE001
            errors["phone"] = list(getattr(exc, "messages", [str(exc)]))
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    return email, phone


def _give_own_consent(
    actor: User, party: Party, *, e_service: bool, email: str, phone: str, now: dt.datetime
) -> dt.datetime:
    """The party's own confirmation updates the case's consent; returns when it was given."""
    case_actions.give_consent(
        actor=actor,
        case=party.case,
        party=party,
        online=party.consents_online,
        e_service=e_service,
        service_email=email,
        service_phone=phone,
        notice_acknowledged=party.notice_acknowledged_at is not None,
    )
    party.refresh_from_db()
    return party.consent_at or now


@transaction.atomic
def confirm_addresses(
    *,
    actor: User,
    party: Party,
    e_service: bool,
    email: str = "",
    phone: str = "",
    inbox: bool = True,
    method: str = ConsentMethod.EXPRESS,
    confirmed_by_recipient: bool | None = None,
    note: str = "",
) -> AddressConfirmation:
    """A new service-address confirmation (送达地址确认书); the earlier ones stay as history.

    The party (or its agent) confirms its own addresses, and the case's consent is updated
    with them. A court clerk records one the party gave otherwise (a signed paper form, an
    address in its filings); unless the party confirmed that address, service there takes
    effect only when the party replies or acts (OLR 31)."""
    party = Party.objects.select_related("case", "user", "agent").get(pk=party.pk)
    own = represents(actor, party)
    if not own:
        require(actor, "view", party.case)  # a stranger: 404; another party: 403
        require(actor, "record_addresses", party)
    if method not in ConsentMethod.values:
        raise Invalid(_("Choose how consent was given."), fields={"method": [method]})
    email, phone = _checked_addresses(e_service, email, phone)
    now = timezone.now()
    if own:
        now = _give_own_consent(
            actor, party, e_service=e_service, email=email, phone=phone, now=now
        )
    row = AddressConfirmation.objects.create(
        party=party,
        consents_e_service=e_service,
        inbox=inbox,
        email=email if e_service else "",
        phone=phone if e_service else "",
        method=method,
        confirmed_by_recipient=True if own else bool(confirmed_by_recipient),
        recorded_by=actor,
        recorded_at=now,
        note=note[:200],
    )
    record(
        actor,
        "delivery.addresses_confirmed",
        party,
        summary=party.name,
        changes={
            "e_service": e_service,
            "inbox": inbox,
            "email": bool(email),
            "phone": bool(phone),  # never the number itself in the log
            "method": method,
            "by_recipient": row.confirmed_by_recipient,
        },
    )
    return row
