"""Legal-education (普法) articles: written, published and withdrawn by casebook editors."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Invalid
from sutiao.core.policy import require
from sutiao.institutions.models import IPKind

from .. import lifecycle
from ..errors import CasebookError
from ..models import Article
from .drafting import _house


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    title, body = (data.get("title") or "").strip(), (data.get("body") or "").strip()
    errors = {
        k: [_("This field is required.")] for k, v in (("title", title), ("body", body)) if not v
    }
    if errors:
        raise Invalid(
            _("Some fields of the article need attention."),
            code=CasebookError.BAD_DRAFT,
            fields=errors,
        )
    kind = data.get("ip_kind")
    ip_kind = IPKind.objects.filter(pk=getattr(kind, "pk", kind) or "").first()
    return {"title": title[:200], "body": body, "ip_kind": ip_kind}


@transaction.atomic
def save_article(*, actor: User, data: dict[str, Any], article: Article | None = None) -> Article:
    """A new draft article, or an edit of a draft one."""
    if article is None:
        article = Article(editor=actor, **_house(actor))
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
        require(actor, "edit", article)
        lifecycle.article_machine.check(article, "edit", lifecycle.roles(actor, article))
    for key, value in _fields(data).items():
        setattr(article, key, value)
    article.save()
    record(actor, "casebook.article_saved", article, summary=article.title)
    return article


def _step(actor: User, article: Article, step: str, event: str) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    require(actor, "edit", article)
    t = lifecycle.article_machine.check(article, step, lifecycle.roles(actor, article))
    lifecycle.article_machine.move(article, t, at=timezone.now())
    if step == "publish":
        article.published_at = timezone.now()
    article.save()
    record(actor, event, article, summary=article.title)
    return article


@transaction.atomic
def publish_article(*, actor: User, article: Article) -> Article:
    return _step(actor, article, "publish", "casebook.article_published")


@transaction.atomic
def withdraw_article(*, actor: User, article: Article) -> Article:
    return _step(actor, article, "withdraw", "casebook.article_withdrawn")
