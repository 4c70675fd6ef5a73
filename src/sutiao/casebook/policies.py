"""Who sees what in the casebook: the public sees published typical cases and articles; drafts
are seen by the casebook editors of the court or IP office that wrote them; 404 for others."""

from __future__ import annotations

from typing import Any

from sutiao.accounts.roles import Role
from sutiao.core.policy import public, rule

from .lifecycle import same_house
from .models import Article, State, TypicalCase


def is_editor(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.CASEBOOK_EDITOR))


@rule(TypicalCase, "view")
@public
def can_view_typical_case(user: Any, tc: TypicalCase) -> bool:
    if tc.state == State.PUBLISHED:
        return True
    return bool(getattr(user, "is_authenticated", False)) and same_house(user, tc)


@rule(TypicalCase, "edit")
def can_edit_typical_case(user: Any, tc: TypicalCase) -> bool:
    return same_house(user, tc)


@rule(Article, "view")
@public
def can_view_article(user: Any, article: Article) -> bool:
    if article.state == Article.State.PUBLISHED:
        return True
    return bool(getattr(user, "is_authenticated", False)) and same_house(user, article)


@rule(Article, "edit")
def can_edit_article(user: Any, article: Article) -> bool:
    return same_house(user, article)
