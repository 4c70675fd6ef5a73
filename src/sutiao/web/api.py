"""/api/v1/me/todo: what waits on the caller now, as the home page lists it (web.todo)."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from . import todo

router = Router(tags=["my work"])


class TodoOut(Schema):
    kind: str
    label: str
    title: str
    url: str
    case_number: str
    deadline: datetime | None
    days_left: int | None
    working_days_left: int | None
    overdue: bool


class CountOut(Schema):
    kind: str
    label: str
    count: int


class MyWorkOut(Schema):
    counts: list[CountOut]
    items: list[TodoOut]


@router.get("/me/todo", response=MyWorkOut)
def my_todo(request):
    """Everything waiting on the caller (to sign, answer, accept, assign, rule, serve on
    paper …), nearest deadline first, with a count per kind."""
    items = todo.todo_for(request.auth)
    return {
        "counts": [
            {"kind": g["kind"], "label": str(g["label"]), "count": g["count"]}
            for g in todo.counts(items)
        ],
        "items": [t.as_json() for t in items],
    }
