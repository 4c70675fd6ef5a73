"""A notice for every outbox event that asks someone to act or tells them an outcome.

`NOTICES` names, per topic, who is told and what they are asked to do (`todo`; None: an
outcome to read). Each becomes one `case.update` message (delivery/data/templates.json) per
person: the platform inbox (pushed live to open pages), e-mail as the person prefers, and an
SMS when they are asked to act. A person is told once per event, however many of the case's
roles they hold, and never about their own step. `NO_NOTICE` gives, for every other topic,
the reason nobody is told; tests/delivery/test_every_topic_has_a_notice.py fails on a
registered topic that is in neither (or already handled by delivery.engine alone).

The table lives above the domains (web) because its recipients are read from cases,
agreements and judicial, which themselves call delivery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.cases import queries as case_queries
from sutiao.cases.models import Case, Message
from sutiao.core import events
from sutiao.delivery import actions as delivery
from sutiao.delivery import engine
from sutiao.delivery.queries import users_of

Who = Callable[[Case, dict[str, Any]], list[User]]


def _id(payload: dict[str, Any], key: str) -> int:
    return int(payload.get(key) or 0)


def _parties(case: Case, payload: dict[str, Any]) -> list[User]:
    return [u for p in case.parties.select_related("user", "agent") for u in users_of(p)]


def _mediator(case: Case, payload: dict[str, Any]) -> list[User]:
    user = case.mediator.user if case.mediator is not None else None
    return [user] if user is not None and user.is_active else []


def _members(role: str, **where: Any) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=role,
            memberships__active=True,
            **{f"memberships__{k}": v for k, v in where.items()},
        ).distinct()
    )


def _assigners(case: Case, payload: dict[str, Any]) -> list[User]:
    return case_queries.assigners(case)


def _court(case: Case, payload: dict[str, Any]) -> list[User]:
    return case_queries.court_staff(case)


def _deciders(case: Case, payload: dict[str, Any]) -> list[User]:
    return case_queries.deciders(case)


def _receivers(case: Case, payload: dict[str, Any]) -> list[User]:
    """Who takes up a submitted application: the organisation it was made to, else the
    court's case-filing clerks."""
    if case.court is None and case.org is not None:
        return _members(Role.ORG_ADMIN, org=case.org)
    return _members(Role.COURT_CLERK, court=case.court) if case.court else []


def _judges(case: Case, payload: dict[str, Any]) -> list[User]:
    """The judge of the application for judicial confirmation (or of the filed case); none
    named yet: the court's judges."""
    from sutiao.judicial.models import ConfirmationApplication

    app = ConfirmationApplication.objects.filter(pk=_id(payload, "application")).first()
    if app is not None and app.judge is not None:
        return [app.judge]
    if app is None and case.filed_case_id and case.filed_case and case.filed_case.judge:
        return [case.filed_case.judge]
    court = app.court if app is not None else case.court
    return _members(Role.JUDGE, court=court) if court else []


def _to_sign(case: Case, payload: dict[str, Any]) -> list[User]:
    """The parties whose signature the open agreement still lacks."""
    from sutiao.agreements.models import Agreement
    from sutiao.agreements.queries import field_for, signed_fields

    agreement = Agreement.objects.filter(pk=_id(payload, "agreement")).first()
    if agreement is None or agreement.state != Agreement.State.SIGNING:
        return []
    done = signed_fields(agreement)
    return [
        u
        for p in case.parties.select_related("user", "agent")
        if field_for(p) not in done
        for u in users_of(p)
    ]


def _to_submit(case: Case, payload: dict[str, Any]) -> list[User]:
    """The parties whose part of the joint application for confirmation is missing."""
    from sutiao.judicial.models import ConfirmationApplication
    from sutiao.judicial.queries import waiting_for

    app = ConfirmationApplication.objects.filter(pk=_id(payload, "application")).first()
    return [u for p in (waiting_for(app) if app else []) for u in users_of(p)]


def _examiners(case: Case, payload: dict[str, Any]) -> list[User]:
    """Once every part of the joint application is in, the judges examine it."""
    return [] if _to_submit(case, payload) else _judges(case, payload)


def _readers(case: Case, payload: dict[str, Any]) -> list[User]:
    """Who may read a message: everyone on the case, or the caucus party and the mediator."""
    message = Message.objects.filter(pk=_id(payload, "message")).select_related("caucus_party")
    m = message.first()
    if m is not None and m.caucus_party is not None:
        people = users_of(m.caucus_party) + _mediator(case, payload)
    else:
        people = _parties(case, payload) + _mediator(case, payload)
    return [u for u in people if m is None or u.pk != m.author_id]


def _revoked_agent(case: Case, payload: dict[str, Any]) -> list[User]:
    return list(User.objects.filter(pk=_id(payload, "user"), is_active=True))


def _deadline_keepers(case: Case, payload: dict[str, Any]) -> list[User]:
    """Who must act before the running clock ends (delivery.reminders)."""
    clock = payload.get("clock", "")
    if clock in ("assign_mediator", "choose_mediator"):
        return _assigners(case, payload) + (_parties(case, payload) if "choose" in clock else [])
    if clock == "accept_assignment":
        return _mediator(case, payload) or _assigners(case, payload)
    return _mediator(case, payload) + _parties(case, payload)


def _all(*who: Who) -> Who:
    def people(case: Case, payload: dict[str, Any]) -> list[User]:
        return [u for w in who for u in w(case, payload)]

    return people


@dataclass(frozen=True)
class Notice:
    who: Who
    todo: Any = None  # what they are asked to do (a lazy text completing "请您……")


_EVERYONE = _all(_parties, _mediator)
SIGN = _("sign the agreement")
ASSIGN = _("assign a mediator")
ANSWER = _("accept or decline the case")

NOTICES: dict[str, list[Notice]] = {
    "agreement.opened": [Notice(_parties, SIGN)],
    "agreement.signature_added": [Notice(_to_sign, SIGN), Notice(_mediator)],
    "agreement.refused": [Notice(_EVERYONE)],
    "agreement.effective": [Notice(_mediator)],
    "case.submit": [Notice(_receivers, _("take up the application"))],
    "case.delegate": [Notice(_assigners, ASSIGN), Notice(_mediator, ANSWER)],
    "case.entrust": [Notice(_assigners, ASSIGN), Notice(_mediator, ANSWER)],
    "case.assign": [Notice(_mediator, ANSWER)],
    "case.decline": [Notice(_assigners, ASSIGN)],
    "case.recuse": [Notice(_assigners, ASSIGN), Notice(_parties)],
    "case.joint_choice": [Notice(_assigners, _("assign the mediator the parties chose"))],
    "case.disclosure": [Notice(_parties, _("answer the mediator's disclosure"))],
    "case.mediator_challenged": [Notice(_deciders)],
    "case.message": [Notice(_readers)],
    "case.party_joined": [Notice(_EVERYONE)],
    "case.agent_joined": [Notice(_EVERYONE)],
    "case.agent_revoked": [Notice(_revoked_agent)],
    "case.pause": [Notice(_EVERYONE)],
    "case.resume": [Notice(_EVERYONE)],
    "case.settle": [Notice(_EVERYONE)],
    "case.end": [Notice(_EVERYONE)],
    "case.expire": [Notice(_mediator)],
    "case.refuse_to_sign": [Notice(_EVERYONE)],
    "case.refuse_mediation": [Notice(_EVERYONE)],
    "case.unanswered": [Notice(_EVERYONE)],
    "case.withdraw": [Notice(_all(_mediator, _assigners))],
    "case.withdraw_settlement": [Notice(_all(_court, _EVERYONE))],
    "case.suspend_sham": [Notice(_court, _("decide on the suspected sham mediation"))],
    "case.confirm_sham": [Notice(_EVERYONE)],
    "case.clear_sham": [Notice(_EVERYONE)],
    "case.push_to_court": [Notice(_court, _("file the case"))],
    "case.file_case": [Notice(_parties)],
    "case.resume_trial": [Notice(_all(_parties, _judges))],
    "deadline.due": [Notice(_deadline_keepers, _("act before the deadline"))],
    "documents.service_failed": [Notice(_all(_mediator, _court), _("serve the document on paper"))],
    "judicial.submit_part": [
        Notice(_to_submit, _("submit your part of the joint application")),
        Notice(_examiners, _("examine the application")),
    ],
    "judicial.accept": [Notice(_parties)],
    "judicial.request_supplement": [
        Notice(_parties, _("supply the materials the court asked for"))
    ],
    "judicial.supplement": [Notice(_judges, _("examine the supplement"))],
    "judicial.schedule_questioning": [Notice(_parties, _("attend the questioning"))],
    "judicial.confirm": [Notice(_EVERYONE)],
    "judicial.dismiss": [Notice(_EVERYONE)],
    "judicial.refuse": [Notice(_EVERYONE)],
    "judicial.deem_withdrawn": [Notice(_EVERYONE)],
    "judicial.withdraw": [Notice(_judges)],
    "judicial.objection": [Notice(_judges, _("review the objection"))],
    "judicial.review_objections": [Notice(_parties)],
    "judicial.revoke_ruling": [Notice(_EVERYONE)],
    "judicial.mediation_document_issued": [Notice(_parties, _("sign for the mediation document"))],
    "judicial.mediation_document_effective": [Notice(_EVERYONE)],
    "judicial.mediation_document_withdrawn": [Notice(_all(_judges, _EVERYONE))],
}

# Topics nobody is told of by this table, and why (delivery.engine's own handlers aside).
NO_NOTICE: dict[str, Any] = {
    "agreement.signed": "every party is served the signed agreement (delivery.served writes "
    "their inbox); case.settle, emitted with it, tells the parties, mediator and court",
    "case.draft_agreement": "a draft is not yet for signing; agreement.opened asks for signatures",
    "case.hold_session": "the parties were in the session (meeting.invitation invited them); "
    "they confirm its record on the case page",
    "delivery.served": "serving writes every recipient's inbox item, e-mail and SMS itself",
    "delivery.effective": "service took effect by the recipient's own act or its arrival; the "
    "proof of service follows (delivery.proof_due)",
    "documents.registered": "the step that registered the document tells whoever it concerns "
    "(agreement.opened, a ruling served, a mediation document issued)",
    "docking.event": "an event for other platforms (docking webhooks), not for a person",
    "batch.uploaded": "each application of the batch is submitted on its own; case.submit "
    "tells the court or organisation that takes it up",
    "batch.delegated": "each case of the batch is delegated on its own; case.delegate tells "
    "its assigners and mediator",
    "batch.assigned": "each case of the batch is assigned on its own; case.assign tells its "
    "mediator",
    "batch.entrusted": "each filed case of the batch is entrusted on its own; case.entrust "
    "tells its assigners and mediator",
    "casebook.published": "the public library; the editors who published it took the step",
    "casebook.withdrawn": "the public library; the editors who withdrew it took the step",
    "training.applied": "the IP office's recruitment queue lists it (no case: this table's "
    "recipients are read from a case; a notice to the office is still to come)",
    "training.accepted": "the applicant's own application page shows it (a notice without a "
    "case is still to come)",
    "training.rejected": "the applicant's own application page shows it, with the reason",
    "training.joined": "the office that entered the person took the step; the person's roster "
    "page shows it",
    "training.hours_credited": "the mediator's training page shows the hours",
    "subsidy.sheet_prepared": "the scheme's reviewers find it under 'waiting for you' on "
    "their subsidies page (no case: this table's recipients are read from a case)",
    "subsidy.sheet_reviewed": "the scheme's approvers find it under 'waiting for you' on "
    "their subsidies page",
    "subsidy.sheet_approved": "the mediators find their line on their subsidies page; the "
    "finance office receives the XLSX from the approver",
    "subsidy.sheet_returned": "the office's staff see it sent back, with the reason, on the "
    "scheme's page",
}


def _case_of(payload: dict[str, Any]) -> Case | None:
    pk = payload.get("case")
    if pk is None and payload.get("mediation_document"):
        from sutiao.judicial.models import MediationDocument

        pk = (
            MediationDocument.objects.filter(pk=payload["mediation_document"])
            .values_list("case_id", flat=True)
            .first()
        )
    rows = Case.objects.select_related("court", "org", "mediator__user")
    return rows.filter(pk=int(pk or 0)).first()


def _what(topic: str, payload: dict[str, Any]) -> tuple[str, str]:
    """What happened, in Chinese and in English: the event's registered label (a deadline
    reminder names its time limit)."""
    if topic == "deadline.due":
        from sutiao.workdays.periods import RULES

        rule = RULES.get(payload.get("clock", ""))
        return engine._both(
            lambda: (
                _("Deadline in 1 working day: %(limit)s") % {"limit": rule.label if rule else ""}
            )
        )
    return engine._both(lambda: events.EVENTS[topic].label)


def _text(lazy: Any) -> Callable[[], Any]:
    return lambda: lazy


def handle(topic: str, payload: dict[str, Any]) -> int:
    """Tell everyone `NOTICES[topic]` names, once each; returns how many were told."""
    case = _case_of(payload)
    if case is None:
        return 0
    told: set[int] = {payload["actor"]} if payload.get("actor") else set()
    what, what_en = _what(topic, payload)
    count = 0
    for notice in NOTICES[topic]:
        people = [u for u in dict.fromkeys(notice.who(case, payload)) if u.pk not in told]
        if not people:
            continue
        told.update(u.pk for u in people)
        todo, todo_en = engine._both(_text(notice.todo)) if notice.todo else ("", "")
        context = {"what": what, "what_en": what_en, "todo": todo, "todo_en": todo_en}
        context["topic"] = topic
        recipients: list[Any] = people
        delivery.notify(
            case=case, topic="case.update", recipients=recipients, context=context, sms=bool(todo)
        )
        count += len(people)
    return count


def register() -> None:
    """Install a handler for every topic of the table (after delivery.engine's own, when
    the engine handles the topic already); called from WebConfig.ready()."""
    for topic in NOTICES:

        def ours(payload: dict[str, Any], topic: str = topic) -> None:
            handle(topic, payload)

        ours.sutiao_notice = True  # type: ignore[attr-defined]
        before = engine.HANDLERS.get(topic)
        if getattr(before, "sutiao_notice", False):
            continue  # registered already (ready() ran twice)
        if before is None:
            engine.HANDLERS[topic] = ours
        else:
            chained = engine._chain(before, ours)
            chained.sutiao_notice = True  # type: ignore[attr-defined]
            engine.HANDLERS[topic] = chained
