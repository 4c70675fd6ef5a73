"""Fixed lists of judicial confirmation (RULES.md §7) and mediation documents (§8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Waiting for the other party")
    SUBMITTED = "submitted", _("Submitted to the court")
    SUPPLEMENT = "supplement", _("Materials to supplement")
    ACCEPTED = "accepted", _("Accepted, under review")
    CONFIRMED = "confirmed", _("Agreement confirmed valid")
    DISMISSED = "dismissed", _("Application dismissed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_ACCEPTED = "not_accepted", _("Not accepted (CPL-I 355)")
    REVOKED = "revoked", _("Ruling revoked on an objection")


# An application that ended without a ruling in force: the parties may apply again.
ENDED = frozenset({State.WITHDRAWN, State.DISMISSED, State.NOT_ACCEPTED, State.REVOKED})
# Ended on the court's finding: the same content is not applied for again (CPL-I 355, 358).
REFUSED = frozenset({State.DISMISSED, State.NOT_ACCEPTED})


class CourtBasis(models.TextChoices):
    """RULES §7: which court an application goes to, and why."""

    INVITING = "inviting", _("The court that invited the mediation")
    DOMICILE = "domicile", _("Where a party is domiciled")
    SUBJECT_MATTER = "subject_matter", _("Where the subject matter is")
    ORG_SEAT = "org_seat", _("Where the mediation organisation has its seat")


class DismissalGround(models.IntegerChoices):
    """CPL-I 358: the grounds on which a court dismisses an application."""

    MANDATORY_LAW = 1, _("Violates a mandatory provision of law")
    HARMS_INTERESTS = 2, _("Harms the interests of the state, the public or another person")
    PUBLIC_ORDER = 3, _("Violates public order and good morals")
    NOT_VOLUNTARY = 4, _("Violates the principle of voluntariness")
    UNCLEAR = 5, _("The content is not clear")
    OTHER = 6, _("Other circumstance in which it cannot be confirmed")


class RefusalGround(models.IntegerChoices):
    """CPL-I 355: the grounds on which a court refuses to accept an application (不予受理)."""

    OUTSIDE_COURTS = 1, _("Not a matter the people's courts accept")
    NOT_THIS_COURT = 2, _("Not within the jurisdiction of the court applied to")
    PERSONAL_STATUS = (
        3,
        _(
            "Asks to confirm a marriage, parentage, adoption or other personal-status relation "
            "valid, invalid or dissolved"
        ),
    )
    OTHER_PROCEDURE = (
        4,
        _("Falls under another special procedure, public summons or bankruptcy procedure"),
    )
    RIGHT_CONFIRMATION = 5, _("Confirms the ownership of property or of an IP right")


class ObjectionState(models.TextChoices):
    """CPL-I 372: an objection is reviewed; upheld, the ruling is revoked; else it stands."""

    FILED = "filed", _("Under review")
    UPHELD = "upheld", _("Upheld: the ruling is revoked")
    DISMISSED = "dismissed", _("Dismissed: the ruling stands")


class Outcome(models.TextChoices):
    VALID = "valid", _("The agreement is valid")
    DISMISSED = "dismissed", _("The application is dismissed")


class MediationDocumentState(models.TextChoices):
    ISSUED = "issued", _("Issued, waiting for the parties to sign for it")
    EFFECTIVE = "effective", _("In effect")
    WITHDRAWN = "withdrawn", _("A party withdrew; the trial resumes")
