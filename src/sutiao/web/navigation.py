"""What each role can do next: the home page lists these, domains add theirs here.

An entry is shown only when its URL resolves, so a capability appears on the home page
the day its pages land, without touching the templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.roles import Role


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    description: str = ""
    institution_arg: str | None = None  # "court" / "ip_office" / "org": pass the membership's id


_COURT_STAFF = Entry(
    _("Court staff"),
    "institutions:court_staff",
    _("Clerks and judges of your court."),
    "court",
)  # for clerks and judges alike

_MY_SESSIONS = Entry(
    _("My sessions"),
    "meetings:list",
    _("Your video mediation sessions: check your camera and microphone, then join."),
)  # everyone who takes part in sessions: parties, mediators, judges

ROLE_ENTRIES: dict[str, list[Entry]] = {
    Role.PARTY: [
        Entry(
            _("Apply for mediation"),
            "cases:apply",
            _("To a court with IP jurisdiction, or directly to a mediation organisation."),
        ),
        Entry(
            _("My cases"),
            "cases:mine",
            _("Your applications and mediations, and their time limits."),
        ),
        _MY_SESSIONS,
        Entry(
            _("Record an agreement reached offline"),
            "agreements:offline",
            _("Upload the signed paper agreement to apply for judicial confirmation online."),
        ),
        Entry(
            _("Inbox"),
            "delivery:inbox",
            _("Documents served on you and notices, with their proof of service."),
        ),
        Entry(
            _("My service addresses"),
            "delivery:addresses",
            _("Where documents are served on you, and your consent to electronic service."),
        ),
        Entry(
            _("My profile"),
            "accounts:profile",
            _("Your contact details and electronic service address."),
        ),
        Entry(
            _("Find a court or mediation organisation"),
            "institutions:directory",
            _("Courts with IP jurisdiction and the organisations that mediate IP disputes."),
        ),
        Entry(
            _("Batches"),
            "batches:list",
            _("Batch applications: one rights holder, many respondents."),
        ),
    ],
    Role.MEDIATOR: [
        Entry(_("My cases"), "cases:assigned", _("Cases to accept and mediations under way.")),
        Entry(
            _("Calendar of sessions"),
            "meetings:calendar",
            _("The week's mediation sessions you hold, and the times not agreed yet."),
        ),
        _MY_SESSIONS,
        Entry(
            _("Record an agreement reached offline"),
            "agreements:offline",
            _("Upload the signed paper agreement to apply for judicial confirmation online."),
        ),
        Entry(
            _("My mediator page"),
            "roster:me",
            _("Your profile, the court rosters you are on, training and performance."),
        ),
        Entry(
            _("My subsidies"),
            "subsidies:index",
            _("What the approved subsidy sheets pay you, period by period."),
        ),
        Entry(
            _("My organisation"),
            "institutions:org_detail",
            _("The organisation you mediate for."),
            "org",
        ),
        Entry(_("My profile"), "accounts:profile", _("Your contact details.")),
        Entry(
            _("Batches"),
            "batches:list",
            _("Batch applications: one rights holder, many respondents."),
        ),
    ],
    Role.ORG_ADMIN: [
        Entry(
            _("Incoming cases"),
            "cases:incoming",
            _("Cases sent to your organisation: assign a mediator, accept or decline."),
        ),
        Entry(
            _("Record an agreement reached offline"),
            "agreements:offline",
            _("Upload the signed paper agreement to apply for judicial confirmation online."),
        ),
        Entry(
            _("Paper service"),
            "delivery:paper_queue",
            _("Documents to serve on paper: no consent to electronic service, or it failed."),
        ),
        Entry(
            _("Organisation staff"),
            "institutions:org_staff",
            _("The mediators and administrators of your organisation."),
            "org",
        ),
        Entry(
            _("Organisation page"),
            "institutions:org_detail",
            _("What the public sees about your organisation."),
            "org",
        ),
        Entry(
            _("Batches"),
            "batches:list",
            _("Batch applications: one rights holder, many respondents."),
        ),
    ],
    Role.IP_OFFICE_STAFF: [
        Entry(
            _("Maintain and recommend"),
            "roster:maintain",
            _(
                "Mediators and organisations of your region: edit, suspend, recommend to a court, export."
            ),
        ),
        Entry(
            _("Import organisations and mediators"),
            "roster:import",
            _("Collect them from the XLSX or CSV template."),
        ),
        Entry(
            _("My recommendations"),
            "roster:recommendations",
            _("What the courts decided about your recommendations."),
        ),
        Entry(
            _("Training and recruitment"),
            "training:courses",
            _("Courses, sign-in lists, the training report; calls for mediators and applications."),
        ),
        Entry(
            _("Subsidies"),
            "subsidies:index",
            _("Subsidy schemes, the sheets per period: compute, review, approve, export."),
        ),
        Entry(
            _("Organisations in my region"),
            "institutions:org_list",
            _("Mediation organisations your office maintains."),
        ),
        Entry(
            _("Office staff"),
            "institutions:office_staff",
            _("The people of your IP office."),
            "ip_office",
        ),
    ],
    Role.COURT_CLERK: [
        Entry(
            _("Case queue"),
            "cases:queue",
            _("Applications to delegate, and failed mediations to file."),
        ),
        Entry(
            _("Judicial confirmation queue"),
            "judicial:queue",
            _("Joint applications to confirm agreements: check, review, rule."),
        ),
        Entry(
            _("Paper service"),
            "delivery:paper_queue",
            _("Documents to serve on paper: no consent to electronic service, or it failed."),
        ),
        Entry(
            _("Recommendations waiting for admission"),
            "roster:pending",
            _("Admit recommended organisations and mediators to your court's roster, or decline."),
            "court",
        ),
        Entry(
            _("The court's roster"),
            "roster:court_roster",
            _("Specially invited organisations and mediators: warn, publish a notice, remove."),
            "court",
        ),
        Entry(
            _("Training"),
            "training:courses",
            _("Courses of the court, and the training hours of the mediators on its roster."),
        ),
        Entry(
            _("Subsidies"),
            "subsidies:index",
            _("Subsidy schemes, the sheets per period: compute, review, approve, export."),
        ),
        _COURT_STAFF,
        Entry(
            _("Court settings"),
            "institutions:court_settings",
            _("Case-number code, address and public phone."),
            "court",
        ),
        Entry(
            _("Batches"),
            "batches:list",
            _("Batch applications: one rights holder, many respondents."),
        ),
    ],
    Role.JUDGE: [
        Entry(
            _("Entrusted cases"),
            "cases:entrusted",
            _("Register a filed case, entrust it to mediation, follow its time limit."),
        ),
        Entry(
            _("Judicial confirmation queue"),
            "judicial:queue",
            _("Joint applications to confirm agreements: check, review, rule."),
        ),
        _MY_SESSIONS,  # a judge invited to a session (judicial-confirmation questioning)
        _COURT_STAFF,
        Entry(
            _("Courts with IP jurisdiction"),
            "institutions:directory",
            _("Every court that hears IP disputes."),
        ),
    ],
    Role.NATIONAL_SUPERVISOR: [
        Entry(
            _("Directory of institutions"),
            "institutions:directory",
            _("Courts, IP offices and organisations across the country."),
        ),
    ],
    Role.CASEBOOK_EDITOR: [
        Entry(
            _("Typical-case desk"),
            "casebook:desk",
            _("Draft, review and publish typical cases and legal-education articles."),
        ),
    ],
    Role.PLATFORM_ADMIN: [
        Entry(
            _("Administration"),
            "admin:index",
            _("Institutions, people, memberships and the audit log."),
        ),
        Entry(
            _("Directory of institutions"),
            "institutions:directory",
            _("Courts, IP offices and organisations."),
        ),
    ],
}


def entries_for(user) -> list[dict]:
    """One card per membership, each with the links that exist for that role."""
    cards = []
    for membership in user.active_memberships:
        links = []
        for entry in ROLE_ENTRIES.get(membership.role, []):
            args = []
            if entry.institution_arg:
                inst_id = getattr(membership, f"{entry.institution_arg}_id")
                if not inst_id:
                    continue
                args = [inst_id]
            try:
                links.append(
                    {
                        "label": entry.label,
                        "url": reverse(entry.url_name, args=args),
                        "description": entry.description,
                    }
                )
            except NoReverseMatch:
                continue
        cards.append({"membership": membership, "links": links})
    return cards
