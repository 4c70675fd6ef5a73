"""Every change to courts, IP offices and organisations; audited, one transaction each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from sutiao.accounts.policies import is_platform_admin
from sutiao.audit.log import diff, record
from sutiao.core.errors import Forbidden, Invalid
from sutiao.core.policy import require

from .models import Court, IPKind, IPOffice, MediationOrg, Region
from .policies import offices_covering
from .validators import validate_region_code

if TYPE_CHECKING:
    from sutiao.accounts.models import User

COURT_SETTINGS = (
    "case_number_code",
    "pre_filing_number_pattern",
    "entrusted_number_pattern",
    "filing_number_pattern",
    "address",
    "phone",
)


# What _save writes: a court, an IP office or an organisation.
_Institution = TypeVar("_Institution", Court, IPOffice, MediationOrg)


def _snapshot(obj: models.Model) -> dict[str, Any]:
    data = model_to_dict(obj)
    for key, value in list(data.items()):
        if isinstance(value, list):  # many-to-many: compare by key
            data[key] = sorted(str(getattr(v, "pk", v)) for v in value)
        elif isinstance(value, models.Model):
            data[key] = value.pk
    return data


def _apply(
    obj: Court | IPOffice | MediationOrg, data: dict[str, Any], fields: tuple[str, ...]
) -> list[str]:
    """Set plain fields, region codes and IP kinds; return the many-to-many to set after save."""
    errors: dict[str, list[str]] = {}
    for key in fields:
        if key not in data:
            continue
        value = data[key]
        if key == "region":
            code = getattr(value, "code", value)
            try:
                validate_region_code(str(code or ""))
                obj.region = Region.objects.get(code=code)
            except ValidationError as exc:
                errors["region"] = list(exc.messages)
        elif key == "ip_kinds":
            codes = list(value or [])
            unknown = set(codes) - set(IPKind.objects.values_list("code", flat=True))
            if unknown:
                errors["ip_kinds"] = [
                    _("Unknown IP kind: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))}
                ]
        elif key == "parent" and not isinstance(obj, MediationOrg):  # orgs have no parent
            obj.parent_id = getattr(value, "pk", value) or None
        elif isinstance(value, str):
            setattr(obj, key, value.strip())
        else:
            setattr(obj, key, value)
    try:
        obj.full_clean(exclude=[f for f in ("region",) if f in errors])
    except ValidationError as exc:
        for k, v in exc.message_dict.items():
            errors.setdefault(k, []).extend(v)
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    return [k for k in ("ip_kinds",) if k in data]


def _save(
    actor: User, obj: _Institution, data: dict[str, Any], fields: tuple[str, ...], action: str
) -> _Institution:
    before = _snapshot(obj) if obj.pk else {}
    m2m = _apply(obj, data, fields)
    obj.save()
    for key in m2m:
        getattr(obj, key).set(IPKind.objects.filter(code__in=data[key]))
    changes = diff(before, _snapshot(obj))
    for private in ("contact_phone", "phone"):
        if private in changes and isinstance(obj, MediationOrg):
            changes[private] = ["***", "***"]
    record(actor, action, obj, summary=str(obj), changes=changes)
    return obj


@transaction.atomic
def update_court_settings(*, actor: User, court: Court, data: dict[str, Any]) -> Court:
    court = Court.objects.select_for_update().get(pk=court.pk)
    require(actor, "manage_settings", court)
    return _save(actor, court, data, COURT_SETTINGS, "court.settings_updated")


COURT_FIELDS = (
    "name",
    "level",
    "is_ip_court",
    "has_ip_tribunal",
    "ip_kinds",
    "region",
    "parent",
    *COURT_SETTINGS,
    "active",
)
OFFICE_FIELDS = ("name", "level", "region", "parent", "address", "phone")
ORG_FIELDS = (
    "name",
    "kind",
    "region",
    "uscc",
    "charges_fees",
    "fee_note",
    "ip_kinds",
    "contact_person",
    "contact_phone",
    "address",
    "description",
    "active",
)


@transaction.atomic
def save_court(*, actor: User, court: Court | None, data: dict[str, Any]) -> Court:
    if not is_platform_admin(actor):
        raise Forbidden()
    court = Court.objects.select_for_update().get(pk=court.pk) if court else Court()
    return _save(actor, court, data, COURT_FIELDS, "court.updated" if court.pk else "court.created")


@transaction.atomic
def save_ip_office(*, actor: User, office: IPOffice | None, data: dict[str, Any]) -> IPOffice:
    if not is_platform_admin(actor):
        raise Forbidden()
    office = IPOffice.objects.select_for_update().get(pk=office.pk) if office else IPOffice()
    return _save(
        actor,
        office,
        data,
        OFFICE_FIELDS,
        "ip_office.updated" if office.pk else "ip_office.created",
    )


@transaction.atomic
def save_org(*, actor: User, org: MediationOrg | None, data: dict[str, Any]) -> MediationOrg:
    """IP office staff create and maintain organisations of their region; platform admins any."""
    if org is not None:
        org = MediationOrg.objects.select_for_update().get(pk=org.pk)
        require(actor, "manage", org)
    action = "org.updated" if org else "org.created"
    org = org or MediationOrg()
    saved = _save(actor, org, data, ORG_FIELDS, action)
    # The region may have changed: the actor must cover the organisation where it ends up.
    if not (
        is_platform_admin(actor)
        or offices_covering(actor, saved.region)
        or saved.pk in actor.org_ids("org_admin")
    ):
        raise Forbidden(_("You may only maintain organisations of your own region."))
    return saved


@transaction.atomic
def create_orgs_in_bulk(
    *,
    actor: User | str | None,
    orgs: list[MediationOrg],
    ip_kinds: list[list[str]],
    source: Any = None,
) -> list[MediationOrg]:
    """Many new organisations at once, for the roster's collection import.

    The caller has validated each row (and checked that the actor may collect them); one
    audit entry records the batch, naming the import that brought them.
    """
    created = MediationOrg.objects.bulk_create(orgs)
    through = MediationOrg.ip_kinds.through
    through.objects.bulk_create(
        [
            through(mediationorg_id=org.pk, ipkind_id=code)
            for org, codes in zip(created, ip_kinds, strict=True)
            for code in codes
        ]
    )
    record(
        actor,
        "org.imported",
        source,
        summary=f"{len(created)} organisations imported",
        changes={"created": [org.pk for org in created]},
    )
    return created
