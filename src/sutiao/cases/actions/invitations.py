"""Inviting the other side (OMR 15; Seed §3): a party named without an account is invited
through delivery (SMS and e-mail where known) with a link carrying a one-time token that
expires; whoever opens it, logs in and has a verified identity (OLR 7) joins the party. A
phone number alone never links anyone to a party.

For a delegated, entrusted or direct case the mediator's acceptance starts the OMR 15 clock on
each party still to answer: 3 working days (workdays calendar) to consent or refuse; the
scheduled job (`end_unanswered`) ends a case whose other side did not answer, and its
materials go back as for any failed mediation (filing by the court, the trial resuming before
the judge who entrusted it, the organisation's file)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.actions import require_verified
from sutiao.accounts.models import User
from sutiao.audit.log import record, record_many
from sutiao.core import crypto, events, outbox
from sutiao.core.errors import Conflict, Forbidden, NotFound
from sutiao.workdays import clocks

from .. import lifecycle
from ..choices import Channel, EndReason, PartyRole
from ..errors import CaseError
from ..models import Case, CaseEvent, Party, PartyInvitation
from ..policies import case_roles
from ._steps import Actor, _event, _locked, _now, _step
from .ending import due_by

REACH_RULE = "reach_other_side"  # workdays.periods.RULES: 3 working days, OMR 15


def _hash(token: str) -> str:
    return hashlib.sha256(f"sutiao.invitation:{token}".encode()).hexdigest()


def link_token(invitation: PartyInvitation) -> str:
    """The token the messages carry (delivery builds the link from it)."""
    return crypto.decrypt(invitation.token_cipher)


def _unlinked(party: Party) -> bool:
    return not (party.user_id or party.agent_id)


def _clocked(case: Case) -> bool:
    """OMR 15's 3 working days run wherever a mediator accepted a case sent to it: delegated
    before filing, direct, and entrusted after filing (the judge then resumes the trial)."""
    return case.channel in (Channel.DELEGATED, Channel.DIRECT, Channel.ENTRUSTED)


def _new_invitation(party: Party, actor: Actor, at: datetime) -> PartyInvitation:
    """An unsaved invitation of `party` with a fresh one-time token, by SMS and e-mail where
    known."""
    token = secrets.token_urlsafe(24)
    channels = [c for c, known in (("sms", party.phone), ("email", party.email)) if known]
    return PartyInvitation(
        case_id=party.case_id,
        party=party,
        token_hash=_hash(token),
        token_cipher=crypto.encrypt(token),
        invited_by=actor if isinstance(actor, User) else None,
        created_at=at,
        expires_at=at + timedelta(days=settings.INVITATION_VALID_DAYS),
        sent_at=at if channels else None,
        channels=channels,
    )


def _invite(case: Case, party: Party, actor: Actor, at: datetime) -> PartyInvitation:
    """A new link for `party` (earlier links stop working), sent after commit."""
    PartyInvitation.objects.filter(party=party, accepted_at__isnull=True, expires_at__gt=at).update(
        expires_at=at
    )
    invitation = _new_invitation(party, actor, at)
    invitation.save()
    channels = invitation.channels
    _event(
        case,
        actor,
        "party_invited",
        at=at,
        summary=party.name,
        party=party.pk,
        channels=channels,
    )
    record(
        actor,
        "case.party_invited",
        case,
        summary=party.name,
        changes={"party": party.pk, "channels": channels},
    )
    outbox.emit("case.party_invited", {"invitation": invitation.pk, "case": case.pk})
    return invitation


def invite_unlinked(case: Case, actor: Actor, at: datetime) -> list[PartyInvitation]:
    """On the application's submission: invite every party without an account on it."""
    return [_invite(case, p, actor, at) for p in case.parties.all() if _unlinked(p)]


def invite_new_parties(parties: list[Party], actor: Actor, at: datetime) -> list[PartyInvitation]:
    """`_invite` for each party without an account of new cases (no earlier link to expire),
    in a constant number of queries: a bulk entrustment's mediations."""
    return _invite_many([p for p in parties if _unlinked(p)], actor, at)


def _invite_many(
    parties: list[Party],
    actor: Actor,
    at: datetime,
    *,
    expire_earlier: bool = False,
    clocked: bool = False,
) -> list[PartyInvitation]:
    """`_invite` for each of `parties` in a constant number of queries (their cases as
    `p.case`): the earlier live links expired first when `expire_earlier`, and each new one
    with its OMR 15 clock already running when `clocked`."""
    if not parties:
        return []
    if expire_earlier:
        PartyInvitation.objects.filter(
            party__in=parties, accepted_at__isnull=True, expires_at__gt=at
        ).update(expires_at=at)
    made = [(p, _new_invitation(p, actor, at)) for p in parties]
    if clocked:
        for _p, invitation in made:
            clocks.start(invitation, REACH_RULE, at)
    PartyInvitation.objects.bulk_create([i for _p, i in made])
    events.require_timeline("cases", "party_invited")
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=p.case_id,
            at=at,
            actor=actor if isinstance(actor, User) and actor.is_authenticated else None,
            kind="party_invited",
            state_after=p.case.state,
            summary=p.name[:300],
            data={"party": p.pk, "channels": i.channels},
        )
        for p, i in made
    )
    record_many(
        actor,
        "case.party_invited",
        [(p.case, p.name, {"party": p.pk, "channels": i.channels}) for p, i in made],
    )
    outbox.emit_many(
        "case.party_invited", [{"invitation": i.pk, "case": p.case_id} for p, i in made]
    )
    return [i for _p, i in made]


_CLOCK_FIELDS = ["clock", "deadline_at", "clock_basis", "deadline_provisional_year"]


def start_reach_clocks(case: Case, actor: Actor, at: datetime) -> None:
    """On acceptance (OMR 15): the mediator reaches every party still to answer; the 3
    working days start on each one's invitation: a new one for a party without an account
    or never invited, its latest otherwise. A constant number of queries however many
    parties the case has."""
    waiting = lifecycle.not_consented(case)
    for party in waiting:
        party.case = case  # the case as this step leaves it (the events' state after)
    latest: dict[int, PartyInvitation] = {}
    linked = [p for p in waiting if not _unlinked(p)]
    if linked:
        rows = PartyInvitation.objects.filter(party__in=linked).order_by(
            "party_id", "-created_at", "-id"
        )
        for row in rows:
            latest.setdefault(row.party_id, row)
    clocked = _clocked(case)
    _invite_many(
        [p for p in waiting if _unlinked(p) or p.pk not in latest],
        actor,
        at,
        expire_earlier=True,
        clocked=clocked,
    )
    kept = [latest[p.pk] for p in waiting if not _unlinked(p) and p.pk in latest]
    if clocked and kept:
        for invitation in kept:
            clocks.start(invitation, REACH_RULE, at)
        PartyInvitation.objects.bulk_update(kept, _CLOCK_FIELDS)


@transaction.atomic
def reach_out(*, actor: User, case: Case, party: Party, at: datetime | None = None) -> Case:
    """The mediator sends the invitation again (a new link) to a party not yet on the case;
    the OMR 15 clock already running keeps its deadline."""
    at = _now(at)
    case = _locked(case.pk)
    roles = case_roles(actor, case)
    if not roles:
        raise NotFound()
    if "mediator" not in roles:
        raise Forbidden()
    if party.case_id != case.pk:
        raise NotFound()
    if not _unlinked(party) or case.state not in lifecycle.REFUSABLE:
        raise Conflict(
            _("This party is on the case already, or the case no longer waits for it."),
            code=CaseError.INVITATION_NOT_NEEDED,
        )
    running = party.invitations.exclude(deadline_at=None).order_by("-created_at").first()
    new = _invite(case, party, actor, at)
    if running is not None:
        new.clock, new.deadline_at = running.clock, running.deadline_at
        new.clock_basis = running.clock_basis
        new.deadline_provisional_year = running.deadline_provisional_year
        clocks.stop(running)
        running.save(
            update_fields=["clock", "deadline_at", "clock_basis", "deadline_provisional_year"]
        )
        new.save(update_fields=["clock", "deadline_at", "clock_basis", "deadline_provisional_year"])
    return case


def invitation_for(token: str, *, at: datetime | None = None) -> PartyInvitation:
    """The live invitation of a link, or NotFound (unknown, used, replaced or expired look
    alike: a link tells a stranger nothing)."""
    at = _now(at)
    found = (
        PartyInvitation.objects.select_related("case", "party")
        .filter(token_hash=_hash(token or ""), accepted_at__isnull=True, expires_at__gt=at)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def _same_person(user: User, party: Party) -> str:
    """Why `user` may not join `party` ("" when they may). When the application gave the
    party's identifier, the verified account must have the same one. An organisation (CPL
    51) joins with its own account (verified with its credit code and its legal
    representative's identity or a signed authorisation), or through its legal
    representative or principal named on the application, verified in that name; anyone
    else acting for it, an employee, is named its agent with the power of attorney."""
    if not party.is_organisation:
        if user.kind != User.Kind.NATURAL or (
            party.id_number_hash and party.id_number_hash != user.id_number_hash
        ):
            return _(
                "Your verified identity is not the one the application gives for this party. "
                "Ask the mediator to check the party's particulars."
            )
        return ""
    if user.kind != User.Kind.NATURAL:
        if party.uscc and party.uscc != user.uscc:
            return _(
                "Your verified credit code is not the one the application gives for this "
                "party. Ask the mediator to check the party's particulars."
            )
        return ""
    if party.representative and (user.real_name or "").strip() == party.representative.strip():
        return ""
    return _(
        "Only the organisation's own verified account, or its legal representative or principal "
        "named on the application, joins for it. An employee acts for it as its agent: the "
        "organisation names them with its signed power of attorney."
    )


@transaction.atomic
def accept_invitation(*, actor: User, token: str, at: datetime | None = None) -> Party:
    """The invited person, logged in with a verified identity, joins the party."""
    at = _now(at)
    invitation = invitation_for(token, at=at)
    require_verified(actor)
    case = _locked(invitation.case_id)
    party = Party.objects.select_for_update().get(pk=invitation.party_id)
    if not _unlinked(party):
        raise NotFound()
    refusal = _same_person(actor, party)
    if refusal:
        raise Conflict(refusal, code=CaseError.INVITATION_OTHER_PERSON)
    if Party.objects.filter(case=case, user=actor).exclude(role=party.role).exists():
        raise Conflict(
            _("You are already the other side of this case."),
            code=CaseError.INVITATION_OTHER_PERSON,
        )
    party.user = actor
    party.save(update_fields=["user"])
    invitation.accepted_at, invitation.accepted_by = at, actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _event(case, actor, "party_joined", at=at, summary=party.name, party=party.pk)
    record(actor, "case.party_joined", case, summary=party.name, changes={"party": party.pk})
    outbox.emit("case.party_joined", {"case": case.pk, "party": party.pk, "actor": actor.pk})
    return party


def answered(party: Party, at: datetime) -> None:
    """The party consented or refused: its OMR 15 clock stops."""
    for inv in party.invitations.filter(answered_at__isnull=True):
        inv.answered_at = at
        clocks.stop(inv)
        inv.save(
            update_fields=[
                "answered_at",
                "clock",
                "deadline_at",
                "clock_basis",
                "deadline_provisional_year",
            ]
        )


def end_unanswered(*, now: datetime | None = None) -> list[int]:
    """The scheduled job (OMR 15): a case whose other side did not answer within 3 working
    days of acceptance ends (OMR 25 (3)); each case in its own transaction."""
    now = _now(now)
    due = due_by(now)
    ids = sorted(
        set(
            PartyInvitation.objects.filter(
                due, answered_at__isnull=True, case__state__in=lifecycle.ACTIVE
            ).values_list("case_id", flat=True)
        )
    )
    ended = []
    for case_id in ids:
        with transaction.atomic():
            _locked(case_id)  # queue behind whoever holds the case, then look again
            late = PartyInvitation.objects.filter(
                due, case_id=case_id, answered_at__isnull=True, case__state__in=lifecycle.ACTIVE
            ).select_related("party")
            names = sorted({inv.party.name for inv in late})
            if not names:
                continue
            reasons = _("%(names)s did not answer within 3 working days (OMR 15).") % {
                "names": "、".join(names)
            }

            def unreachable(c: Case, reasons: str = reasons) -> None:
                c.end_reason, c.ended_at = EndReason.UNREACHABLE, now
                c.failure_reasons = reasons

            _step(
                case_id,
                "unanswered",
                "system",
                at=now,
                mutate=unreachable,
                summary=reasons,
                reason=int(EndReason.UNREACHABLE),
            )
            for inv in late:
                clocks.stop(inv)
                inv.save(
                    update_fields=[
                        "clock",
                        "deadline_at",
                        "clock_basis",
                        "deadline_provisional_year",
                    ]
                )
            ended.append(case_id)
    return ended


def refuse_mediation(case: Case, party: Party, actor: User, at: datetime) -> Case:
    """A party refuses mediation at consent (OMR 15; Seed §3: mediation is voluntary): the
    case ends as not mediated (OMR 25 (4)) and goes back to the court or its file."""
    role = PartyRole(party.role).label

    def refused(c: Case) -> None:
        c.end_reason, c.ended_at = EndReason.REFUSES_TO_CONTINUE, at
        c.failure_reasons = _("%(role)s %(name)s refused online mediation.") % {
            "role": role,
            "name": party.name,
        }

    return _step(
        case.pk,
        "refuse_mediation",
        actor,
        at=at,
        mutate=refused,
        summary=party.name,
        reason=int(EndReason.REFUSES_TO_CONTINUE),
    )


__all__ = [
    "accept_invitation",
    "answered",
    "end_unanswered",
    "invitation_for",
    "invite_unlinked",
    "link_token",
    "reach_out",
    "refuse_mediation",
    "start_reach_clocks",
]
