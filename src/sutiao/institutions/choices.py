"""Fixed lists of the domain (glossary names)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    PROTECTION_CENTRE = "protection_centre", _("IP protection centre")
    RAPID_PROTECTION_CENTRE = "rapid_protection_centre", _("IP rapid protection centre")
    RIGHTS_ASSISTANCE_CENTRE = "rights_assistance_centre", _("IP rights-assistance centre")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    PEOPLES_MEDIATION_COMMITTEE = "peoples_mediation_committee", _("People's mediation committee")
    COMMERCIAL_MEDIATION = "commercial_mediation", _("Commercial mediation body")
    OTHER = "other", _("Other")


IP_KIND_LABELS = {
    "patent": _("Patent"),
    "trademark": _("Trademark"),
    "copyright": _("Copyright"),
    "trade_secret": _("Trade secret"),
    "unfair_competition": _("Unfair competition"),
    "geographical_indication": _("Geographical indication"),
    "ic_layout": _("IC layout design"),
    "plant_variety": _("Plant variety"),
    "technology_contract": _("Technology contract"),
    "other": _("Other IP"),
}
