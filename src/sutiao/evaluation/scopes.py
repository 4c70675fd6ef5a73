"""A scope of the figures (the nation, a province, a city, a court, an IP office, an
organisation or a mediator) and which summary rows it covers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sutiao.institutions.models import Court, IPOffice, MediationOrg, Region
from sutiao.roster.models import Mediator

LEVELS = {
    "nation": _("Nation"),
    "province": _("Province"),
    "city": _("City"),
    "court": _("Court"),
    "office": _("IP office"),
    "org": _("Mediation organisation"),
    "mediator": _("Mediator"),
}
# What a page of each level lists below itself, to drill down into.
CHILDREN = {
    "nation": ("province",),
    "province": ("court_id", "org_id"),
    "city": ("court_id", "org_id"),
    "court": ("org_id", "mediator_id"),
    "org": ("mediator_id",),
    "mediator": (),
}


@dataclass(frozen=True)
class Scope:
    level: str
    key: str = ""  # region code or primary key; "" for the nation
    obj: Any = None

    @property
    def region_level(self) -> str:
        """The level an IP office's scope amounts to (its region's)."""
        if self.level != "office":
            return self.level
        office = self.obj
        if office.level == IPOffice.Level.NATIONAL or office.region_id is None:
            return "nation"
        return "province" if office.level == IPOffice.Level.PROVINCIAL else "city"

    @property
    def region_code(self) -> str:
        if self.level == "office":
            code = self.obj.region_id or ""
            return code[:2] + "0000" if self.region_level == "province" else code[:4] + "00"
        return self.key

    def q(self) -> Q:
        """The summary rows of this scope."""
        level = self.region_level
        if level == "nation":
            return Q()
        if level == "province":
            return Q(province=self.region_code)
        if level == "city":
            return Q(city=self.region_code)
        return Q(**{f"{level}_id": int(self.key)})

    @property
    def children(self) -> tuple[str, ...]:
        return CHILDREN[self.region_level]

    def __str__(self) -> str:
        if self.level == "nation":
            return str(_("Nation"))
        if self.level in {"province", "city"}:
            return self.obj.full_name
        return str(self.obj)


def resolve(level: str, key: str) -> Scope | None:
    """The scope a URL names, or None when nothing has that name."""
    if level == "nation":
        return Scope("nation")
    if level in {"province", "city"}:
        wanted = Region.Level.PROVINCE if level == "province" else Region.Level.PREFECTURE
        region = Region.objects.filter(code=key, level=wanted).first()
        return Scope(level, key, region) if region else None
    model = {"court": Court, "office": IPOffice, "org": MediationOrg, "mediator": Mediator}.get(
        level
    )
    if model is None or not key.isdigit():
        return None
    obj = model._default_manager.filter(pk=int(key)).first()
    return Scope(level, key, obj) if obj else None
