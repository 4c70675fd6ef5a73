"""Every change in judicial confirmation and mediation documents: one function per use case,
one transaction, audited, on the application's timeline, with an outbox event.

The parties apply jointly (each submits its part, itself or by its agent) within 30 days of
the agreement taking effect, to a court RULES §7 allows; an agreement that would confirm the
ownership or validity of an IP right is flagged for the court (CPL-I 355(5)). The court
checks completeness (and may ask for more within a deadline), accepts, may question the
parties, and rules within 30 days: the ruling (民事裁定书) is rendered, signed by the judge,
sealed by the court, registered and served; each party may object within 15 days of its own
receipt, and the court reviews the objections (CPL-I 372). The court may instead refuse to
accept an application on a ground of CPL-I 355 (不予受理).

One module per use case: `applying`, `review`, `ruling`, `objections`, `mediation_documents` (`common`
holds the step every transition of an application takes). This package exports what other
code calls; the application page calls each step by its table name (`accept`, `rule`, ...).
"""

from __future__ import annotations

from ..queries import (
    confirmable,
    mediation_document_context,
    receipt_purpose,
    ruling_context,
    to_sign_for,
)
from .applying import apply, submit_part
from .mediation_documents import (
    MEDIATION_DOCUMENT_TEMPLATE,
    issue_mediation_document,
    request_receipt_code,
    sign_for,
    withdraw_from_mediation_document,
)
from .objections import OBJECTION_DECISION_TEMPLATE, object_to_ruling, review_objections
from .review import (
    accept,
    deadline_recomputed,
    deem_withdrawn,
    refuse,
    request_supplement,
    schedule_questioning,
    supplement,
    withdraw,
)
from .ruling import RULING_TEMPLATE, rule

__all__ = [
    "MEDIATION_DOCUMENT_TEMPLATE",
    "OBJECTION_DECISION_TEMPLATE",
    "RULING_TEMPLATE",
    "accept",
    "apply",
    "confirmable",
    "deadline_recomputed",
    "deem_withdrawn",
    "issue_mediation_document",
    "mediation_document_context",
    "object_to_ruling",
    "receipt_purpose",
    "refuse",
    "request_receipt_code",
    "request_supplement",
    "review_objections",
    "rule",
    "ruling_context",
    "schedule_questioning",
    "sign_for",
    "submit_part",
    "supplement",
    "to_sign_for",
    "withdraw",
    "withdraw_from_mediation_document",
]
