"""The editors' desk: draft a typical case, review its proposed changes, approve, publish,
withdraw; write legal-education articles. Every form goes through core.forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sutiao.cases.models import Case
from sutiao.core.forms import form_page, run_action, steps_view
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import require_role

from . import actions, lifecycle, queries
from .forms import ArticleForm, TypicalCaseForm, WithdrawForm, decisions_from
from .models import TEXT_FIELDS, Article, TypicalCase
from .policies import can_edit_typical_case

EDITOR = "casebook_editor"


def _tc(request, pk: int) -> TypicalCase:
    """The desk's own drafts only: a published case is public, but its desk (the original
    text and the proposed changes) is for the editors of the house that wrote it."""
    tc = visible_or_404(request.user, TypicalCase.objects.select_related("ip_kind"), pk=pk)
    if not can_edit_typical_case(request.user, tc):
        raise Http404
    return tc


def _review_url(tc) -> str:
    return reverse("casebook:review", args=[tc.pk])


@login_required
def desk(request):
    require_role(request.user, EDITOR)
    return render(
        request,
        "casebook/desk.html",
        {
            "cases": queries.desk(request.user),
            "articles": queries.desk_articles(request.user),
            "closed": queries.closed_cases(request.user),
        },
    )


def _initial_from(case: Case) -> dict:
    """A draft's first text from the closed case: the editor rewrites it."""
    persons = [p.name for p in case.parties.all() if p.kind == "natural"]
    companies = [p.name for p in case.parties.all() if p.kind != "natural"]
    days = None
    if case.accepted_at and case.ended_at:
        days = max(0, (case.ended_at - case.accepted_at).days)
    return {
        "title": case.title,
        "facts": case.description,
        "dispute": case.claims,
        "mediation": case.failure_course,
        "ip_kind": case.ip_kind_id,
        "channel": case.channel,
        "outcome": "settled" if case.state == "settled" else "failed",
        "days_to_settle": days,
        "persons": "\n".join(persons),
        "companies": "\n".join(companies),
    }


@login_required
def new(request):
    require_role(request.user, EDITOR)
    case = None
    if request.GET.get("case", "").isdigit():
        case = queries.closed_case_or_404(request.user, int(request.GET["case"]))
    initial = _initial_from(case) if case else {}
    form = TypicalCaseForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda d: actions.draft(actor=request.user, data=form.data_for_action(), source_case=case),
        template="casebook/edit.html",
        context={"form": form, "case": case},
        success=_("The draft was saved. Send it for review when it is ready."),
        then=_review_url,
        refusal="form",
    )


@login_required
def edit(request, pk: int):
    tc = _tc(request, pk)
    initial = {name: getattr(tc, name) for name in TEXT_FIELDS}
    initial |= {
        "ip_kind": tc.ip_kind_id,
        "industry": tc.industry,
        "outcome": tc.outcome,
        "channel": tc.channel,
        "days_to_settle": tc.days_to_settle,
        "amount_yuan": None if tc.amount_fen is None else tc.amount_fen // 100,
        "persons": "\n".join(tc.persons),
        "companies": "\n".join(tc.companies),
        "anonymise_companies": tc.anonymise_companies,
        "basis": tc.basis,
        "basis_note": tc.basis_note,
    }
    form = TypicalCaseForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda d: actions.edit(actor=request.user, typical_case=tc, data=form.data_for_action()),
        template="casebook/edit.html",
        context={"form": form, "tc": tc, "case": tc.source_case},
        success=_("The draft was saved."),
        then=_review_url,
        refusal="form",
    )


@login_required
def review(request, pk: int):
    tc = _tc(request, pk)
    changes = queries.changes_of(tc)
    fields = [
        {
            "label": getattr(TypicalCase._meta.get_field(name), "verbose_name", name),
            "text": getattr(tc, name),
            "changes": [c for c in changes if c.field == name],
        }
        for name in TEXT_FIELDS
    ]
    roles = lifecycle.roles(request.user, tc)
    steps = {t.name for t in lifecycle.machine.available(tc, roles)}
    blocked = [  # the steps this person would take but may not yet, and why
        (t.label, failing.reason)
        for t in lifecycle.machine.transitions.values()
        if tc.state in t.source and roles & t.by and (failing := t.failing(tc)) is not None
    ]
    return render(
        request,
        "casebook/review.html",
        {
            "tc": tc,
            "fields": fields,
            "pending": sum(1 for c in changes if c.decision == "pending"),
            "steps": steps,
            "blocked": blocked,
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_POST
def decide(request, pk: int):
    tc = _tc(request, pk)
    decisions = decisions_from(request.POST)
    return run_action(
        request,
        None,
        lambda d: actions.decide(actor=request.user, typical_case=tc, decisions=decisions),
        success=lambda n: _("%(n)s changes reviewed.") % {"n": n},
        then=_review_url(tc),
    )


step = steps_view(
    _tc,
    {
        "submit": (
            actions.submit,
            gettext_lazy("Sent for review: a reviewer decides each proposed change."),
        ),
        "approve": (actions.approve, gettext_lazy("The public text is approved.")),
        "publish": (actions.publish, gettext_lazy("Published in the public library.")),
        "return": (actions.return_to_editor, gettext_lazy("Returned to the editor.")),
        # Without a reason the action refuses, and says so.
        "withdraw": (actions.withdraw, gettext_lazy("Withdrawn from the library."), ("reason",)),
    },
    then=_review_url,
    name="typical_case",
)


@login_required
def article_edit(request, pk: int | None = None):
    require_role(request.user, EDITOR)
    row = visible_or_404(request.user, Article, pk=pk) if pk else None
    initial = {"title": row.title, "body": row.body, "ip_kind": row.ip_kind_id} if row else {}
    form = ArticleForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda d: actions.save_article(actor=request.user, data=d, article=row),
        template="casebook/article_edit.html",
        context={"form": form, "article": row},
        success=_("The article was saved."),
        then=lambda a: reverse("casebook:article_edit", args=[a.pk]),
        refusal="form",
    )


article_step = steps_view(
    lambda request, pk: visible_or_404(request.user, Article, pk=pk),
    {
        "publish": (actions.publish_article, gettext_lazy("Done.")),
        "withdraw": (actions.withdraw_article, gettext_lazy("Done.")),
    },
    then=lambda row: reverse("casebook:article_edit", args=[row.pk]),
    name="article",
)
