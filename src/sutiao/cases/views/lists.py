"""The lists of /cases/: each role's own list, filtered and keyset-paginated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from sutiao.accounts.roles import Role

from .. import forms, queries
from ..choices import State
from ._common import (
    _countdown,
)

# The lists of /cases/, in the order they are offered: (key, role, title, url name).
LISTS = [
    ("party", Role.PARTY, gettext_lazy("My cases"), "cases:mine"),
    ("clerk", Role.COURT_CLERK, gettext_lazy("Case queue"), "cases:queue"),
    ("judge", Role.JUDGE, gettext_lazy("Entrusted cases"), "cases:entrusted"),
    ("org", Role.ORG_ADMIN, gettext_lazy("Incoming cases"), "cases:incoming"),
    ("mediator", Role.MEDIATOR, gettext_lazy("My cases as mediator"), "cases:assigned"),
]


def _lists_of(user) -> list[tuple]:
    found = []
    for key, role, title, url_name in LISTS:
        if user.has_role(role) or (key == "party" and queries.for_party(user).exists()):
            found.append((key, title, url_name))
    return found


def _list_context(request, which: str, **bound) -> dict:
    lists = _lists_of(request.user)
    if not lists:
        return {"lists": [], "which": ""}
    keys = [key for key, _title, _url in lists]
    if which and which not in keys:
        raise Http404
    which = which or keys[0]
    state = request.GET.get("state", "")
    if state not in {"", "open", *State.values}:
        state = ""
    q = request.GET.get("q", "").strip()[:100]
    cursor = request.GET.get("cursor", "")
    cursor = int(cursor) if cursor.isdigit() else None
    result = queries.page(queries.LISTS[which](request.user), state=state, q=q, cursor=cursor)
    more = None
    if result.next_cursor:
        more = "?" + urlencode({"state": state, "q": q, "cursor": result.next_cursor})
    context = {
        "lists": lists,
        "which": which,
        "title": next(t for key, t, _url in lists if key == which),
        "rows": [{"case": c, "countdown": _countdown(c)} for c in result.items],
        "more": more,
        "cursor": cursor,
        "filters": {"state": state, "q": q},
        "states": State.choices,
    }
    if which == "judge":
        courts = queries.judge_courts(request.user)
        context["register_form"] = bound.get("register_form") or forms.RegisterFiledCaseForm(
            courts=courts
        )
        context["entrust_form"] = bound.get("entrust_form") or forms.EntrustForm(
            filed_cases=queries.filed_choices(courts), courts=courts
        )
        context["filed_cases"] = queries.filed_waiting(courts)
    return context


@login_required
def case_list(request, which: str = ""):
    return render(request, "cases/list.html", _list_context(request, which))


def _judge_list_with(request, **bound):
    return render(request, "cases/list.html", _list_context(request, "judge", **bound))
