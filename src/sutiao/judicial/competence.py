"""Which courts may confirm an agreement (RULES §7; CPL 205; CPL-I 351–353).

Mediation a court invited (delegated or entrusted): that court. Otherwise the parties choose
among the basic courts of a party's domicile, of the subject matter, or of the organisation's
seat — and, where the dispute belongs to an intermediate court (patent, plant-variety and
layout-design disputes), the intermediate court there. A place is found from an address by
the administrative division whose full name it starts with (北京市海淀区… → 110108).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db.models import Q
from django.utils.translation import gettext as _

from sutiao.cases.choices import Channel, PartyRole
from sutiao.cases.models import Case
from sutiao.institutions.models import Court, Region

from .choices import CourtBasis

# Dispute kinds whose first instance belongs to intermediate (or IP) courts.
INTERMEDIATE_KINDS = frozenset({"patent", "plant_variety", "ic_layout"})
SKIPPED = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Candidate:
    court: Court
    basis: str
    reason: str


@cache
def _full_names() -> tuple[tuple[str, str], ...]:
    rows = {
        code: (name, parent)
        for code, name, parent in Region.objects.values_list("code", "name", "parent_id")
    }

    def full(code: str) -> str:
        names = []
        while code:
            name, parent = rows[code]
            if name not in SKIPPED:
                names.append(name)
            code = parent
        return "".join(reversed(names))

    pairs = [(full(code), code) for code in rows]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def region_of(address: str) -> Region | None:
    """The most specific division whose full name starts the address."""
    address = (address or "").strip()
    if not address:
        return None
    for name, code in _full_names():
        if name and address.startswith(name):
            return Region.objects.filter(code=code).first()
    return None


def _covers(court: Court, region: Region) -> bool:
    if court.level == Court.Level.BASIC:
        return court.region_id == region.code
    if court.level == Court.Level.INTERMEDIATE:
        return court.region_id[:4] == region.code[:4]
    return False


def _hears(kind: str | None):
    q = Q(is_ip_court=True) | Q(has_ip_tribunal=True)
    if kind:
        q = Q(ip_kinds__code=kind) | Q(is_ip_court=True)
    return q


def courts_for(region: Region, kind: str | None) -> tuple[list[Court], bool]:
    """(courts, intermediate?) competent for a dispute of `kind` in `region`."""
    qs = Court.objects.filter(active=True).filter(_hears(kind)).distinct().order_by("name")
    if kind not in INTERMEDIATE_KINDS:
        basic = [c for c in qs.filter(level=Court.Level.BASIC, region_id=region.code)]
        if basic:
            return basic, False
    prefix = region.code[:4]
    middle = [c for c in qs.filter(level=Court.Level.INTERMEDIATE, region__code__startswith=prefix)]
    return middle, True


def candidates(case: Case, *, subject_matter_address: str = "") -> list[Candidate]:
    if case.channel in (Channel.DELEGATED, Channel.ENTRUSTED) and case.court_id:
        return [
            Candidate(
                case.court,
                CourtBasis.INVITING,
                _("%(court)s invited this mediation: it alone confirms the agreement (RULES §7).")
                % {"court": case.court.name},
            )
        ]
    kind = case.ip_kind_id
    places: list[tuple[str, Region, str]] = []
    for p in case.parties.all():
        region = region_of(p.address)
        if region:
            who = _("applicant") if p.role == PartyRole.APPLICANT else _("respondent")
            places.append(
                (
                    CourtBasis.DOMICILE,
                    region,
                    _("domicile of the %(who)s %(name)s (%(place)s)")
                    % {"who": who, "name": p.name, "place": region.full_name},
                )
            )
    region = region_of(subject_matter_address)
    if region:
        places.append(
            (
                CourtBasis.SUBJECT_MATTER,
                region,
                _("place of the subject matter (%(place)s)") % {"place": region.full_name},
            )
        )
    if case.org_id:
        org_region = case.org.region
        places.append(
            (
                CourtBasis.ORG_SEAT,
                org_region,
                _("seat of %(org)s (%(place)s)")
                % {"org": case.org.name, "place": org_region.full_name},
            )
        )
    found: dict[int, Candidate] = {}
    for basis, region, why in places:
        courts, intermediate = courts_for(region, kind)
        for court in courts:
            if court.pk in found:
                continue
            level = (
                _("intermediate court: %(kind)s disputes belong there") % {"kind": case.ip_kind}
                if intermediate and kind in INTERMEDIATE_KINDS
                else _("intermediate court with IP jurisdiction (no basic court there)")
                if intermediate
                else _("basic court")
            )
            found[court.pk] = Candidate(court, basis, f"{why} · {level}")
    return list(found.values())
