"""Fixed lists of the case domain (RULES.md §1, §5; GLOSSARY.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    DELEGATED = "delegated", _("Delegated before filing")
    ENTRUSTED = "entrusted", _("Entrusted after filing")
    DIRECT = "direct", _("Direct application to an organisation")
    OFFLINE = "offline", _("Agreement reached offline")


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary procedure")
    SIMPLE = "simple", _("Simple procedure")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting assignment")
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    MEDIATING = "mediating", _("Mediating")
    PAUSED = "paused", _("Paused for appraisal")
    SUSPENDED = "suspended", _("Suspended: suspected sham mediation")
    SETTLED = "settled", _("Settled")
    FAILED = "failed", _("Mediation failed")
    FILED = "filed", _("Filed as a lawsuit")
    TRIAL_RESUMED = "trial_resumed", _("Returned to trial")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined by the organisation")


class ShamOutcome(models.TextChoices):
    """SIR 18; OMR 23: what the court found on a reported suspicion of sham mediation."""

    OPEN = "open", _("Reported, the court is reviewing")
    CLEARED = "cleared", _("Cleared: mediation goes on")
    CONFIRMED = "confirmed", _("Confirmed: mediation ends")


class EndReason(models.IntegerChoices):
    """OMR 25: the eight ways mediation ends."""

    AGREEMENT = 1, _("Agreement reached")
    SETTLED_THEMSELVES = 2, _("The parties settled themselves and withdrew")
    UNREACHABLE = 3, _("A party could not be reached within the period")
    REFUSES_TO_CONTINUE = 4, _("A party expressly refuses to continue")
    POSITIONS_TOO_FAR = 5, _("The positions are too far apart")
    PERIOD_EXPIRED = 6, _("The period expired without agreement or extension")
    REFUSES_TO_SIGN = 7, _("A party refuses to sign the agreement")
    OTHER_OBSTACLE = 8, _("Other obstacle")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
