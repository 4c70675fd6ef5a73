"""Cases at every step, built through the real actions."""

from __future__ import annotations

from django.utils import timezone

from sutiao.cases import actions
from sutiao.cases.actions import PartyIn
from sutiao.roster.models import Mediator, RosterEntry
from tests import factories


def rostered_mediator(court, *, org=None, name: str = "调解员甲"):
    """A mediator with an account, on `court`'s roster (directly or through its org)."""
    user = factories.person("mediator", org=org) if org else factories.person("mediator")
    m = Mediator(name=name, region_id="110108", user=user)
    m.set_id_number(factories.id_number())
    m.save()
    if org:
        m.orgs.add(org)
    RosterEntry.objects.get_or_create(
        court=court,
        mediator=None if org else m,
        org=org,
        defaults={
            "certificate_number": f"证{m.pk}",
            "term_start": timezone.localdate(),
            "admitted_by": factories.admin(),
        },
    )
    return m


def rostered_org(court, *, name: str | None = None):
    org = factories.org(name)
    RosterEntry.objects.create(
        court=court,
        org=org,
        certificate_number=f"组{org.pk}",
        term_start=timezone.localdate(),
        admitted_by=factories.admin(),
    )
    return org


def join(case, user, *, role: str = "respondent"):
    """The person invited for the party of `role` opens the link of the invitation the
    platform sent (OMR 15) and joins it, as the invitation page does."""
    from sutiao.cases.actions.invitations import link_token
    from sutiao.cases.models import PartyInvitation

    invitation = PartyInvitation.objects.filter(
        party__case=case, party__role=role, accepted_at__isnull=True
    ).latest("created_at", "id")
    party = invitation.party
    if party.is_organisation and not party.representative and user.kind == "natural":
        # A person joins an organisation's party only as the legal representative the
        # application names (CPL 51): these cases name the person who joins.
        type(party).objects.filter(pk=party.pk).update(representative=user.real_name)
    return actions.accept_invitation(actor=user, token=link_token(invitation))


def consent(case, user, party, *, e_service: bool = True):
    """The party's person consents to online mediation, acknowledging the SIR 14 notice."""
    return actions.give_consent(
        actor=user,
        case=case,
        party=party,
        online=True,
        e_service=e_service,
        service_email=(user.email or f"{user.username}@example.com") if e_service else "",
        notice_acknowledged=True,
    )


def submitted_case(
    court=None, *, applicant=None, respondent_user=None, org=None, respondent_consents=True
):
    court = court if court is not None or org is not None else factories.court()
    applicant = applicant or factories.person("party")
    case = actions.apply_for_mediation(
        actor=applicant,
        title="甲公司诉乙公司商标侵权纠纷",
        court=court,
        org=org,
        ip_kind="trademark",
        right_number="第12345678号",
        claims="停止侵权，赔偿损失10万元",
        amount_fen=10_000_000,
        description="乙公司在网店销售侵权商品。",
        applicant=PartyIn(
            role="applicant",
            name=applicant.real_name,
            id_number=factories.id_number(),
            phone="13800138000",
        ),
        respondents=[
            PartyIn(role="respondent", name="乙公司", kind="legal", uscc="91110108MA01ABCDEN")
        ],
    )
    party = case.parties.get(role="applicant")
    actions.give_consent(
        actor=applicant,
        case=case,
        party=party,
        online=True,
        e_service=True,
        service_email="a@example.com",
        notice_acknowledged=True,
    )
    case = actions.submit(actor=applicant, case=case)
    if respondent_user is not None:
        # The respondent joins through the invitation the submission sent, never by a
        # phone number (OMR 15), and consents.
        party = join(case, respondent_user)
        if respondent_consents:
            consent(case, respondent_user, party)
    return type(case).objects.get(pk=case.pk)
