"""Every change to a case: one function per use case, one transaction, audited, on the timeline.

Each transition goes through `_step` (`_steps.py`), which locks the case row (racing requests
queue on it), checks the lifecycle table against the actor's roles in this case, moves the
state and clock, writes the timeline event and the audit entry, and leaves an outbox event for
notifications (`sutiao.core.outbox`). The modules follow the use cases of the glossary; this
package exports what pages, the API, commands, tasks and other domains call.

A lifecycle step's action has the step's name (`accept`, `file_case`, ...): the case page's
step view and the API's table of steps find it by that name.
"""

from ._steps import holding, lock
from .agent_invitations import accept_agent_invitation, agent_invitation_for
from .agents import AgentIn, declare_agency, name_agent, revoke_agent
from .application import (
    DRAFT_FIELDS,
    PartyIn,
    apply_for_mediation,
    give_consent,
    submit,
    update_draft,
    withdraw,
)
from .assignment import accept, assign, decline, recuse
from .delegation import choice_deadline, choose_mediator, delegate, joint_choice
from .ending import end, expire_overdue, report_failure, report_missing, settle
from .entrustment import entrust, register_filed_case
from .files import add_file, link_stored_file
from .filing import file_case, push_to_court, resume_trial
from .invitations import accept_invitation, end_unanswered, invitation_for, reach_out
from .mediation import deadline_recomputed, extend, pause, resume
from .records import (
    answer_disclosure,
    confirm_transcript,
    disclose,
    post_message,
    record_identity_check,
    record_recording_as_transcript,
    record_transcript,
    record_undisputed_facts,
)
from .recusal import (
    decide_change_request,
    mediator_rejected,
    refuse_mediation,
    request_other_mediator,
)
from .settlement import (
    confirm_offline_settlement,
    record_offline_settlement,
    refuse_to_sign,
    withdraw_settlement,
)
from .sham import clear_sham, confirm_sham, suspend_sham
from .timelimits import escalate_unassigned, return_unanswered

__all__ = [
    "holding",
    "lock",
    "AgentIn",
    "accept_agent_invitation",
    "agent_invitation_for",
    "declare_agency",
    "name_agent",
    "revoke_agent",
    "suspend_sham",
    "report_missing",
    "report_failure",
    "return_unanswered",
    "escalate_unassigned",
    "request_other_mediator",
    "refuse_mediation",
    "mediator_rejected",
    "decide_change_request",
    "DRAFT_FIELDS",
    "PartyIn",
    "accept",
    "accept_invitation",
    "end_unanswered",
    "invitation_for",
    "reach_out",
    "clear_sham",
    "confirm_sham",
    "add_file",
    "link_stored_file",
    "answer_disclosure",
    "apply_for_mediation",
    "assign",
    "choice_deadline",
    "choose_mediator",
    "confirm_transcript",
    "deadline_recomputed",
    "decline",
    "delegate",
    "disclose",
    "end",
    "entrust",
    "expire_overdue",
    "extend",
    "file_case",
    "give_consent",
    "joint_choice",
    "pause",
    "post_message",
    "push_to_court",
    "record_identity_check",
    "confirm_offline_settlement",
    "record_offline_settlement",
    "record_transcript",
    "record_recording_as_transcript",
    "record_undisputed_facts",
    "recuse",
    "refuse_to_sign",
    "register_filed_case",
    "resume",
    "resume_trial",
    "settle",
    "submit",
    "update_draft",
    "withdraw",
    "withdraw_settlement",
]
