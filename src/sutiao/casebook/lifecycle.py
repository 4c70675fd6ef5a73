"""The typical case's lifecycle and the article's, as data. Roles are relative to one typical
case: "editor" (a casebook editor of its court or IP office) and "reviewer" (such an editor who
did not write it: four eyes before anything is published)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sutiao.accounts.roles import Role
from sutiao.core.lifecycle import Machine, Precondition, register
from sutiao.core.lifecycle import transition as _t

from .models import Article, Basis, Change, State


def _all_reviewed(tc: Any) -> bool:
    return not tc.changes.filter(decision=Change.Decision.PENDING).exists()


def _ground_recorded(tc: Any) -> bool:
    return tc.basis in Basis.values and bool((tc.basis_note or "").strip())


REVIEWED = Precondition(
    "all_reviewed", _all_reviewed, _("Every proposed change must be accepted or rejected first.")
)
GROUND = Precondition(
    "ground_recorded",
    _ground_recorded,
    _("Record the parties' consent or the public-interest reason first."),
)

machine = register(
    "casebook.TypicalCase",
    Machine(
        "casebook",
        [
            _t("edit", _("Edit the draft"), [State.DRAFT], None, ["editor"]),
            _t(
                "submit",
                _("Send for review"),
                [State.DRAFT],
                State.IN_REVIEW,
                ["editor"],
                requires=[GROUND],
            ),
            _t("decide", _("Review a proposed change"), [State.IN_REVIEW], None, ["reviewer"]),
            _t(
                "return",
                _("Return to the editor"),
                [State.IN_REVIEW, State.APPROVED],
                State.DRAFT,
                ["reviewer"],
            ),
            _t(
                "approve",
                _("Approve the public text"),
                [State.IN_REVIEW],
                State.APPROVED,
                ["reviewer"],
                requires=[REVIEWED, GROUND],
            ),
            _t(
                "publish",
                _("Publish in the library"),
                [State.APPROVED],
                State.PUBLISHED,
                ["reviewer"],
                requires=[REVIEWED, GROUND],
            ),
            _t(
                "withdraw",
                _("Withdraw from the library"),
                [State.PUBLISHED],
                State.WITHDRAWN,
                ["editor", "reviewer"],
            ),
            _t(
                "republish",
                _("Publish again"),
                [State.WITHDRAWN],
                State.PUBLISHED,
                ["reviewer"],
                requires=[REVIEWED, GROUND],
            ),
        ],
        invalid=_("You cannot %(action)s: the typical case is %(state)s."),
    ),
)

article_machine = register(
    "casebook.Article",
    Machine(
        "casebook_article",
        [
            _t("edit", _("Edit the article"), [Article.State.DRAFT], None, ["editor"]),
            _t(
                "publish",
                _("Publish the article"),
                [Article.State.DRAFT, Article.State.WITHDRAWN],
                Article.State.PUBLISHED,
                ["editor"],
            ),
            _t(
                "withdraw",
                _("Withdraw the article"),
                [Article.State.PUBLISHED],
                Article.State.WITHDRAWN,
                ["editor"],
            ),
        ],
        invalid=_("You cannot %(action)s: the article is %(state)s."),
    ),
)


def same_house(user: Any, obj: Any) -> bool:
    """The user is a casebook editor of the court or IP office the object belongs to."""
    for m in user.active_memberships:
        if m.role != Role.CASEBOOK_EDITOR:
            continue
        if (obj.court_id and m.court_id == obj.court_id) or (
            obj.ip_office_id and m.ip_office_id == obj.ip_office_id
        ):
            return True
    return False


def roles(user: Any, obj: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not same_house(user, obj):
        return set()
    found = {"editor"}
    if not isinstance(obj, Article) and obj.editor_id != user.pk:
        found.add("reviewer")
    return found
