"""The delivery worker: outbox events, then the deliveries that are due, one at a time.

One pass (`run_once`) is what every runner calls: the embedded scheduler thread inside
`sutiao serve` (every SUTIAO_DELIVERY_POLL_SECONDS), `sutiao delivery work`, or a Celery task
(delivery/tasks.py, when SUTIAO_BROKER_URL is set). Any number of them may run at once:
a delivery is claimed with a lease (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's
single writer on the embedded platform) and an outbox event inside its handler's transaction.

Each delivery goes: claim (commit "sending" with its Message-ID) → hand over to the channel →
record the outcome (commit). A crash between hand-over and record leaves the row "sending";
when its lease runs out it is sent again with the same Message-ID (docs/delivery.md).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import smtplib
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from sutiao.core.models import OutboxEvent

from . import actions, faults, messages
from .channels import Permanent, backend_for
from .models import Channel

log = logging.getLogger("sutiao.delivery")

HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {}
# A topic's slow half (rendering and sealing a PDF: a second, several under load), run before
# its handler's transaction: on SQLite that transaction holds the only write lock, and every
# log-in and form post waits behind it. The handler finds the result with `prepared()`.
PREPARE: dict[str, Callable[[dict[str, Any]], Any]] = {}
_prepared: contextvars.ContextVar[Any] = contextvars.ContextVar("prepared", default=None)


def handler(topic: str, *, prepare: Callable[[dict[str, Any]], Any] | None = None):
    def register(fn):
        HANDLERS[topic] = fn
        if prepare is not None:
            PREPARE[topic] = prepare
        return fn

    return register


def prepared() -> Any:
    """What the topic's `prepare` returned for the event being handled (None: nothing was
    prepared, e.g. a handler called directly; it does the work itself)."""
    return _prepared.get()


def check_broker() -> None:
    if settings.BROKER_URL:
        try:
            import celery  # noqa: F401
        except ImportError as exc:
            raise ImproperlyConfigured(
                "SUTIAO_BROKER_URL is set but Celery is not installed: "
                "pip install 'sutiao[production]'"
            ) from exc


def kick() -> None:
    """After a commit that queued work: with Celery, a task now (the beat is the safety net);
    embedded, the scheduler's next tick (a second or two) picks it up."""
    if not settings.BROKER_URL:
        return
    try:
        from .tasks import work

        work.delay()
    except Exception:  # the periodic task sends it anyway
        log.exception("could not enqueue the delivery task")


# One pass -----------------------------------------------------------------------------


def run_once(*, now: dt.datetime | None = None, limit: int = 200) -> Counter:
    """Outbox events, then up to `limit` due deliveries, then the events those produced
    (a proof of service is issued in the same pass as the last arrival)."""
    stats: Counter = Counter()
    stats["events"] += process_outbox(now=now)
    for _ in range(limit):
        claim = actions.claim_next(now=now)
        if claim is None:
            break
        stats[_send(claim, now=now)] += 1
    stats["events"] += process_outbox(now=now)
    return stats


def _classify(exc: BaseException) -> bool:
    """True: refused for good, do not retry."""
    if isinstance(exc, Permanent | smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False  # our configuration, not the recipient: retry once it is fixed
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def _describe(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:300]


def _send(claim: actions.Claim, *, now: dt.datetime | None) -> str:
    d = claim.delivery
    if d.channel == Channel.INBOX:
        actions.deliver_to_inbox(delivery_id=d.pk, attempt=claim.attempt)
        return "arrived"
    try:
        outcome = backend_for(d.channel).send(d)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried or failed
        permanent = _classify(exc)
        log.warning(
            "delivery attempt failed",
            extra={
                "delivery": d.pk,
                "channel": d.channel,
                "attempt": claim.attempt,
                "error": _describe(exc),
                "permanent": permanent,
            },
        )
        actions.record_failure(
            delivery_id=d.pk,
            attempt=claim.attempt,
            error=_describe(exc),
            permanent=permanent,
            now=now,
        )
        return "failed"
    # The far side has it; until the next commit only that side knows. A crash injected here
    # is the case docs/delivery.md "Guarantees" discusses.
    faults.point("after_accept")
    actions.record_sent(
        delivery_id=d.pk,
        attempt=claim.attempt,
        arrived=outcome.arrived,
        ref=outcome.ref,
        detail=outcome.detail,
    )
    return "arrived" if outcome.arrived else "sent"


# The outbox ---------------------------------------------------------------------------


def process_outbox(*, now: dt.datetime | None = None, limit: int = 100) -> int:
    """Handle undelivered events of the topics with a handler, each in one transaction with
    the mark that it was handled; a failing handler is retried with backoff."""
    done = 0
    passed: set[int] = set()  # prepared here, then taken by another worker: not again
    for _ in range(limit):
        current = now or timezone.now()
        due = OutboxEvent.objects.filter(
            delivered_at__isnull=True, topic__in=list(HANDLERS), available_at__lte=current
        ).exclude(pk__in=passed)
        ahead = due.order_by("available_at", "id").only("pk", "topic", "payload").first()
        if ahead is None:
            break
        work = None
        if ahead.topic in PREPARE:
            try:  # outside any transaction: reads, rendering, sealing
                work = PREPARE[ahead.topic](ahead.payload)
            except Exception:  # noqa: BLE001 - the handler does the work itself, and records a failure
                log.exception("outbox preparation failed", extra={"topic": ahead.topic})
            due = due.filter(pk=ahead.pk)
        with transaction.atomic():
            rows = due.order_by("available_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)
            event = rows.first()
            if event is None:
                if ahead.topic not in PREPARE:
                    break  # every due event is another worker's now
                passed.add(ahead.pk)
                continue
            token = _prepared.set(work if event.pk == ahead.pk else None)
            try:
                with transaction.atomic():
                    HANDLERS[event.topic](event.payload)
            except Exception as exc:  # noqa: BLE001 - recorded on the event, retried later
                log.exception("outbox handler failed", extra={"topic": event.topic})
                event.attempts += 1
                event.last_error = _describe(exc)
                event.available_at = current + actions.backoff(event.attempts)
                event.save(update_fields=["attempts", "last_error", "available_at"])
                continue
            finally:
                _prepared.reset(token)
            event.delivered_at = timezone.now()
            event.attempts += 1
            event.save(update_fields=["delivered_at", "attempts"])
            done += 1
    return done


def _seal_proof(payload: dict[str, Any]) -> Any:
    return actions.prepare_proof(payload["service"])


@handler("delivery.proof_due", prepare=_seal_proof)
def _proof_due(payload: dict[str, Any]) -> None:
    from .lifecycle import SERVICE, allows
    from .models import Service

    service = Service.objects.filter(pk=payload["service"]).first()
    if service is not None and allows(SERVICE, service, "issue_proof"):
        actions.issue_proof(actor=None, service=service, prepared=prepared())


def _case_notice(topic: str):
    """Notices the lifecycle's steps call for (RULES §3, §9): served on every party."""

    def handle(payload: dict[str, Any]) -> None:
        from sutiao.accounts.models import User
        from sutiao.cases.models import Case

        case = Case.objects.filter(pk=payload.get("case")).first()
        if case is None:
            return
        actor = (
            User.objects.filter(pk=payload.get("actor")).first() if payload.get("actor") else None
        )
        actions.notify(case=case, topic=topic, actor=actor)

    return handle


@handler("case.party_invited")
def _party_invited(payload: dict[str, Any]) -> None:
    """A party without an account is invited (OMR 15): SMS and e-mail with the link."""
    actions.send_invitation(invitation_id=payload["invitation"])


@handler("case.agent_invited")
def _agent_invited(payload: dict[str, Any]) -> None:
    """An agent without an account is invited (CPL 61): SMS (and e-mail) with the link."""
    actions.send_agent_invitation(invitation_id=payload["invitation"])


@handler("deadline.moved")
def _deadline_moved(payload: dict[str, Any]) -> None:
    """Entering an official holiday schedule moved a stored deadline (workdays.clocks)."""
    from sutiao.accounts.models import User
    from sutiao.cases.models import Case
    from sutiao.workdays.periods import RULES

    case = Case.objects.filter(pk=payload.get("case")).first()
    if case is None:
        return
    actor = User.objects.filter(pk=payload["actor"]).first() if payload.get("actor") else None
    rule = RULES.get(payload.get("rule", ""))
    labels = {}
    for language, key in (("zh-hans", "limit"), ("en", "limit_en")):
        with translation.override(language):
            labels[key] = str(rule.label) if rule else payload.get("rule", "")
    context = {"before": payload["before"], "deadline": payload["deadline"], **labels}
    actions.notify(case=case, topic="deadline.moved", actor=actor, context=context)


@handler("case.agent_named")
def _agent_named(payload: dict[str, Any]) -> None:
    """The person a party named as its agent is told, in their language (CPL 61–62)."""
    from sutiao.cases.models import Agent

    agent = (
        Agent.objects.select_related("party__case", "user", "named_by")
        .filter(pk=payload.get("agent"), revoked_at__isnull=True)
        .first()
    )
    if agent is None or agent.user is None:  # invited: `case.agent_invited` sends the link
        return
    case = agent.party.case
    with translation.override(messages.language_of(agent.user)):
        context = {
            "title": gettext("You are named as an agent"),
            "text": gettext(
                "%(party)s named you as its agent (%(scope)s) in %(case)s. You see the case "
                "on the platform."
            )
            % {
                "party": agent.party.name,
                "scope": agent.get_scope_display(),
                "case": case.number or case.title,
            },
        }
    actions.notify(
        case=case, topic="notice", recipients=[agent.user], context=context, actor=agent.named_by
    )


CASE_NOTICES = {
    "case.delegate": "case.delegated",
    "case.entrust": "case.entrusted",
    "case.accept": "case.accepted",
    "case.extend": "case.extended",
    "case.expire": "case.expired",
}
for _step, _topic in CASE_NOTICES.items():
    HANDLERS[_step] = _case_notice(_topic)


def _both(zh_en: Callable[[], Any]) -> tuple[str, str]:
    """A label in Chinese and in English, for a message rendered in either."""
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.append(str(zh_en()))
    return texts[0], texts[1]


def _staff_notice(topic: str, who: str, context: Callable[[Any, dict], dict] | None = None):
    """A notice to the people a case step concerns besides its parties: `who` names the
    cases query that finds them (court_staff, filing_heads, deciders)."""

    def handle(payload: dict[str, Any]) -> None:
        from sutiao.cases import queries as case_queries
        from sutiao.cases.models import Case

        case = Case.objects.filter(pk=payload.get("case")).first()
        if case is None:
            return
        users = getattr(case_queries, who)(case)
        if users:
            extra = context(case, payload) if context else {}
            actions.notify(case=case, topic=topic, recipients=users, context=extra)

    return handle


def _outcome(case: Any, payload: dict) -> dict:
    zh, en = _both(lambda: case.get_end_reason_display() or case.get_state_display())
    return {"outcome": zh, "outcome_en": en}


# Seed §10: the court is told of every outcome, settled or not (and of the failure report
# written after a period expired).
OUTCOMES = [
    "case.settle",
    "case.end",
    "case.expire",
    "case.refuse_to_sign",
    "case.refuse_mediation",
    "case.failure_report",
]


def _chain(*handlers: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def handle(payload: dict[str, Any]) -> None:
        for h in handlers:
            h(payload)

    return handle


for _step in OUTCOMES:
    _court = _staff_notice("case.outcome", "court_staff", _outcome)
    HANDLERS[_step] = _chain(HANDLERS[_step], _court) if _step in HANDLERS else _court

# OMR 10: escalated to the head of filing.
HANDLERS["case.escalated"] = _staff_notice("case.escalated", "filing_heads")
# OMR 14: the organisation or the court decides a party's request for another mediator.
HANDLERS["case.change_requested"] = _staff_notice("case.change_requested", "deciders")


@handler("case.change_refused")
def _change_refused(payload: dict[str, Any]) -> None:
    from sutiao.cases.models import MediatorChangeRequest

    r = MediatorChangeRequest.objects.filter(pk=payload.get("request")).first()
    if r is not None:
        actions.notify(
            case=r.case,
            topic="case.change_refused",
            recipients=[r.party],
            context={"note": r.decision_note},
        )


# OMR 12–14: the mediator left the case; the parties, the mediator who left and whoever
# assigns another are told.
WHY_RETURNED = {
    "case.lapse": lambda: gettext("the assignment was not answered within 3 working days"),
    "case.mediator_rejected": lambda: gettext("a party did not agree after the disclosure"),
    "case.replace_mediator": lambda: gettext("a party's request for another mediator was granted"),
}


def _returned(topic: str):
    def handle(payload: dict[str, Any]) -> None:
        from sutiao.cases import queries as case_queries
        from sutiao.cases.models import Case, CaseEvent
        from sutiao.roster.models import Mediator

        case = Case.objects.filter(pk=payload.get("case")).first()
        if case is None:
            return
        step = topic.removeprefix("case.")
        last = CaseEvent.objects.filter(case=case, kind=step).order_by("-at", "-id").first()
        data = last.data if last else {}
        left = data.get("mediator") or data.get("declined_mediator")
        mediator = Mediator.objects.filter(pk=left).select_related("user").first()
        why, why_en = _both(WHY_RETURNED[topic])
        by_org = case.state == "awaiting_acceptance" and case.org_id
        who, who_en = _both(lambda: gettext("the organisation") if by_org else gettext("the court"))
        recipients: list[Any] = list(case.parties.all())
        people = case_queries.assigners(case)
        if mediator is not None and mediator.user is not None:
            people.append(mediator.user)
        recipients += list(dict.fromkeys(people))
        context = {"why": why, "why_en": why_en, "who": who, "who_en": who_en}
        actions.notify(
            case=case, topic="case.mediator_changed", recipients=recipients, context=context
        )

    return handle


for _step in WHY_RETURNED:
    HANDLERS[_step] = _returned(_step)


# Runners ------------------------------------------------------------------------------


def scheduled_tick() -> None:
    """The embedded scheduler's job; with a broker, Celery beat runs the passes instead."""
    if settings.BROKER_URL:
        return
    stats = run_once()
    if stats:
        log.info("delivery pass", extra={k: v for k, v in stats.items()})


def scheduled_digest() -> None:
    if settings.BROKER_URL:
        return
    actions.enqueue_digests()


def loop(stop: threading.Event, *, every: float | None = None) -> None:
    """Run passes until `stop` is set (`sutiao delivery work`, tests)."""
    every = settings.DELIVERY_POLL_SECONDS if every is None else every
    while True:
        try:
            close_old_connections()
            run_once()
        except Exception:  # logged, tried again next time
            log.exception("delivery pass failed")
        finally:
            close_old_connections()
        if stop.wait(every):
            return
