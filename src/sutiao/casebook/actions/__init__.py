"""Every change in the casebook: one function per use case, one transaction, policy →
lifecycle → change → audit → outbox."""

from .articles import publish_article, save_article, withdraw_article
from .drafting import draft, edit, submit
from .review import approve, decide, publish, return_to_editor, withdraw

__all__ = [
    "approve",
    "decide",
    "draft",
    "edit",
    "publish",
    "publish_article",
    "return_to_editor",
    "save_article",
    "submit",
    "withdraw",
    "withdraw_article",
]
