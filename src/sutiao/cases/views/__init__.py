"""The pages of a case's life: apply, the lists of each role, the case page and its steps,
the filed case. Thin: every change goes through `actions`, every read through `queries`,
and who may see what through the policies (a stranger gets 404). One module per page group;
urls.py names the views exported here."""

from .agents import name_agent, revoke_agent
from .application import apply, choose_mediator, consent, edit_draft
from .case_page import detail
from .docket import entrust, filed_detail, register_filed
from .invitations import agent_invitation, invitation, reach_out
from .lists import case_list
from .records import (
    answer_disclosure,
    confirm_transcript,
    decide_change,
    disclose,
    download,
    identity_check,
    post_message,
    record_transcript,
    record_undisputed_facts,
    report_failure,
    request_change,
    upload,
)
from .steps import step

__all__ = [
    "agent_invitation",
    "answer_disclosure",
    "apply",
    "case_list",
    "choose_mediator",
    "confirm_transcript",
    "consent",
    "decide_change",
    "detail",
    "disclose",
    "download",
    "edit_draft",
    "entrust",
    "filed_detail",
    "identity_check",
    "name_agent",
    "invitation",
    "post_message",
    "reach_out",
    "record_transcript",
    "record_undisputed_facts",
    "register_filed",
    "revoke_agent",
    "report_failure",
    "request_change",
    "step",
    "upload",
]
