"""What the roster's pages share: workbook responses, pagination, the IP-office gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.core.errors import Conflict
from sutiao.core.forms import run_action
from sutiao.core.policy import require_role

from ..forms import ReasonForm


class SignedInRequest(HttpRequest):
    """A request behind login_required, for the type checker: its user is a User."""

    user: User


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def page(request: HttpRequest, qs: Any, per: int = 50) -> Page:
    return Paginator(qs, per).get_page(request.GET.get("page"))


def office_only(request: HttpRequest) -> None:
    require_role(request.user, Role.IP_OFFICE_STAFF, Role.PLATFORM_ADMIN)


def change_status(
    request: HttpRequest, form: ReasonForm, change: Callable[[str, str], Any], *, then: str
) -> HttpResponse | None:
    """The status post of a mediator's or an organisation's page: `change(status, reason)`
    with the status the button posted and the reason of the form."""
    return run_action(
        request,
        form,
        lambda d: change(request.POST["status"], d["reason"]),
        success=_("The status is changed."),
        then=then,
        refusal="message",
        catch=(Conflict,),
    )
