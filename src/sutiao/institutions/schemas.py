from __future__ import annotations

from ninja import Schema


class RegionOut(Schema):
    code: str
    name: str
    full_name: str
    level: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent_id


class InRegionWithKinds(Schema):
    """What courts, organisations and mediators resolve alike: the region's code and the IP
    kinds (their fields are declared in each shape, in its order)."""

    @staticmethod
    def resolve_ip_kinds(obj) -> list[str]:
        return [k.code for k in obj.ip_kinds.all()]

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id


class CourtOut(InRegionWithKinds):
    id: int
    name: str
    level: str
    is_ip_court: bool
    has_ip_tribunal: bool
    ip_kinds: list[str]
    region: str
    parent_id: int | None
    address: str
    phone: str


class CourtSettingsIn(Schema):
    case_number_code: str | None = None
    pre_filing_number_pattern: str | None = None
    entrusted_number_pattern: str | None = None
    filing_number_pattern: str | None = None
    address: str | None = None
    phone: str | None = None


class CourtSettingsOut(Schema):
    case_number_code: str
    pre_filing_number_pattern: str
    entrusted_number_pattern: str
    filing_number_pattern: str
    address: str
    phone: str


class OfficeOut(Schema):
    id: int
    name: str
    level: str
    region: str | None
    parent_id: int | None

    @staticmethod
    def resolve_region(obj) -> str | None:
        return obj.region_id


class OrgOut(InRegionWithKinds):
    id: int
    name: str
    kind: str
    region: str
    charges_fees: bool
    fee_note: str
    ip_kinds: list[str]
    address: str
    description: str
    active: bool


class OrgIn(Schema):
    name: str
    kind: str
    region: str
    uscc: str = ""
    charges_fees: bool = False
    fee_note: str = ""
    ip_kinds: list[str] = []
    contact_person: str = ""
    contact_phone: str = ""
    address: str = ""
    description: str = ""


class OrgPatch(Schema):
    name: str | None = None
    kind: str | None = None
    region: str | None = None
    uscc: str | None = None
    charges_fees: bool | None = None
    fee_note: str | None = None
    ip_kinds: list[str] | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    description: str | None = None
    active: bool | None = None


class StaffOut(Schema):
    user_id: int
    name: str
    role: str
    phone: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.user.phone_masked
