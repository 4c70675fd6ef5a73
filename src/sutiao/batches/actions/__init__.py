"""Every change a batch makes: the upload that creates its applications, the delegation,
entrustment and assignment of its cases, contacting its respondents, a mediator's declared conflicts. Each case still changes only through
the cases domain's own actions (one audit entry, one deadline, per case)."""

from .agreements import TemplateIn, send_agreements
from .assigning import assign_batch, delegate_batch
from .conflicts import ConflictIn, declare_conflict, withdraw_conflict
from .contact import contact_respondents
from .entrusting import entrust_batch
from .upload import ConsentIn, upload_batch

__all__ = [
    "ConflictIn",
    "ConsentIn",
    "TemplateIn",
    "send_agreements",
    "assign_batch",
    "contact_respondents",
    "declare_conflict",
    "delegate_batch",
    "entrust_batch",
    "upload_batch",
    "withdraw_conflict",
]
