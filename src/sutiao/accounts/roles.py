"""The roles of DESIGN.md, and which kind of institution each one belongs to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTY = "party", _("Party")
    MEDIATOR = "mediator", _("Mediator")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    IP_OFFICE_STAFF = "ip_office_staff", _("IP office staff")
    COURT_CLERK = "court_clerk", _("Court clerk (case-filing division)")
    JUDGE = "judge", _("Judge")
    NATIONAL_SUPERVISOR = "national_supervisor", _("National supervisor")
    # Court or IP office staff who write typical cases and legal-education articles (casebook).
    CASEBOOK_EDITOR = "casebook_editor", _("Typical-case editor")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


# Which institution a membership of this role names: "court", "ip_office", "org",
# a tuple of choices, or None for roles that act for themselves.
INSTITUTION_OF_ROLE: dict[str, tuple[str, ...]] = {
    Role.PARTY: (),
    Role.MEDIATOR: ("org", ""),
    Role.ORG_ADMIN: ("org",),
    Role.IP_OFFICE_STAFF: ("ip_office",),
    Role.COURT_CLERK: ("court",),
    Role.JUDGE: ("court",),
    Role.NATIONAL_SUPERVISOR: ("court", "ip_office"),
    Role.CASEBOOK_EDITOR: ("court", "ip_office"),
    Role.PLATFORM_ADMIN: (),
}

# Everyone who acts for an institution must log in with a second factor: staff of courts, IP
# offices and the platform, mediators and organisation administrators (issue 13, fix 2). Their
# sessions also end after 30 idle minutes and 12 hours at most (accounts.sessions).
SECOND_FACTOR_ROLES = frozenset(
    {
        Role.MEDIATOR,
        Role.ORG_ADMIN,
        Role.IP_OFFICE_STAFF,
        Role.COURT_CLERK,
        Role.JUDGE,
        Role.NATIONAL_SUPERVISOR,
        Role.CASEBOOK_EDITOR,
        Role.PLATFORM_ADMIN,
    }
)
STAFF_ROLES = SECOND_FACTOR_ROLES
