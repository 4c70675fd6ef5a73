"""The names a case writes: audit actions, outbox topics and timeline kinds (core.events).

Every lifecycle step is one fact under three names that differ only by prefix: the
timeline kind is the transition's name, the audit action and outbox topic `case.<name>`;
they are registered from the lifecycle table. The other facts are listed below, with the
timeline kind each writes where it has one (several predate the registry and differ from
the audit name: kept, since they are stored)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

from . import lifecycle

register(
    "cases",
    *(
        event(f"case.{name}", t.label, outbox=True, timeline=name)
        for name, t in lifecycle.TRANSITIONS.items()
    ),
    event("case.created", _("Case created"), timeline="created"),
    event(
        "case.party_invited", _("Party invited to the case"), outbox=True, timeline="party_invited"
    ),
    event("case.party_joined", _("Party joined the case"), outbox=True, timeline="party_joined"),
    event("case.consent_given", _("Consent and service address given"), timeline="consent"),
    event("case.file_added", _("File added"), timeline="file_added"),
    event("case.mediator_chosen", _("Mediator chosen by a party"), timeline="mediator_chosen"),
    event(
        "case.joint_choice", _("Mediator chosen jointly by the parties"), audit=False, outbox=True
    ),
    event(
        "case.agent_named",
        _("Agent named with a power of attorney"),
        outbox=True,
        timeline="agent_named",
    ),
    event("case.agent_revoked", _("Agent revoked"), outbox=True, timeline="agent_revoked"),
    event("case.agent_invited", _("Agent invited by a link"), audit=False, outbox=True),
    event("case.agent_joined", _("Agent joined the case"), outbox=True, timeline="agent_joined"),
    event("case.draft_updated", _("Application updated"), timeline="draft_updated"),
    event(
        "case.deadline_recomputed",
        _("Deadline recomputed with the holiday schedule"),
        timeline="deadline_recomputed",
    ),
    event("case.transcript_recorded", _("Session record written"), timeline="transcript"),
    event(
        "case.transcript_confirmed",
        _("Session record confirmed"),
        timeline="transcript_confirmed",
    ),
    event(
        "case.recording_recorded",
        _("Recording stands as the session record"),
        timeline="recording_record",
    ),
    event("case.undisputed_facts_recorded", _("Undisputed facts written")),
    event("case.identity_checked", _("Identity verified"), timeline="identity_checked"),
    event("case.disclosure", _("Disclosure by the mediator"), outbox=True, timeline="disclosure"),
    event(
        "case.disclosure_answered", _("Answer to the disclosure"), timeline="disclosure_answered"
    ),
    event(
        "case.mediator_challenged",
        _("Mediator challenged after the disclosure"),
        audit=False,
        outbox=True,
    ),
    event(
        "case.escalated",
        _("Escalated: no mediator assigned in time"),
        outbox=True,
        timeline="escalated",
    ),
    event(
        "case.change_requested",
        _("A party asked for another mediator"),
        outbox=True,
        timeline="change_requested",
    ),
    event(
        "case.change_refused",
        _("Request for another mediator refused"),
        outbox=True,
        timeline="change_refused",
    ),
    event(
        "case.failure_report",
        _("Failure report written"),
        outbox=True,
        timeline="failure_report",
    ),
    event("case.message", _("Message posted in the case"), audit=False, outbox=True),
    # Its timeline kind and outbox topic are those of the `settle` step.
    event("case.offline_settlement", _("Agreement reached offline")),
    # A party's record of an agreement reached offline, and the other party's confirmation
    # (which settles the case: the timeline kind and outbox topic of `settle`).
    event("case.offline_proposed", _("Agreement reached offline recorded by a party")),
    event("case.offline_confirmed", _("Agreement reached offline confirmed by the other party")),
    event("filed_case.registered", _("Filed case registered")),
    event("filed_case.filed", _("Filed as a lawsuit"), timeline="filed_as"),
)
