"""What the case pages share: the visible case, its URL, messages for refusals, files."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sutiao.core.errors import DomainError
from sutiao.core.lookup import visible_or_404

from .. import actions, lifecycle, queries
from ..models import Case, CaseFile, Party
from ..policies import parties_of

# Steps a person never takes from the case page (the system's, and those of other pages).
SYSTEM_STEPS = {"expire", "lapse", *lifecycle.ELSEWHERE, *lifecycle.FROM_FORMS}


STAFF_ROLES = {"court_clerk", "judge", "org_admin", "mediator"}


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


def _visible_case(request, pk: int, *, with_parties: bool = False) -> Case:
    """The case for the user, 404 for a stranger. `with_parties`: its parties read once for
    the roles, the user's own, the rows and the timeline (pages that only read: an action
    reads them again under its lock)."""
    rows = Case.objects.select_related("court", "org", "mediator", "ip_kind", "filed_case")
    if with_parties:
        parties = Party.objects.select_related("user", "agent")
        rows = rows.prefetch_related(Prefetch("parties", queryset=parties))
    return visible_or_404(request.user, rows, pk=pk)


def _to_case(case: Case):
    return redirect("cases:detail", pk=case.pk)


def _case_url(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _countdown(case: Case) -> queries.Countdown | None:
    return queries.countdown(case)


def _store_files(request, case: Case, uploads, kind: str, party: Party | None) -> bool:
    """Each file through `add_file`; a refused one is a message (413/422), the rest stay."""
    ok = True
    for upload in uploads:
        try:
            actions.add_file(actor=request.user, case=case, upload=upload, kind=kind, party=party)
        except DomainError as exc:
            ok = False
            _not_added(request, upload.name, exc)
    return ok


def _not_added(request, name: str, exc: DomainError) -> None:
    """A file the case refused: its name and the reason, as a message."""
    messages.error(
        request, _("%(name)s was not added: %(reason)s") % {"name": name, "reason": exc.message}
    )


def _threads(user, case: Case, roles: set[str]) -> list[tuple[str, str]]:
    """The private caucus threads a user may write in."""
    parties = list(case.parties.all()) if "mediator" in roles else parties_of(user, case)
    label = _("Private caucus: %(party)s and the mediator")
    return [(str(p.pk), label % {"party": p.name}) for p in parties]


def _upload_kinds(roles: set[str], mine: list[Party]) -> list[str]:
    kinds: list[str] = [CaseFile.Kind.EVIDENCE]
    if any(p.agent_id for p in mine):
        kinds.append(CaseFile.Kind.POWER_OF_ATTORNEY)
    if roles & STAFF_ROLES:
        kinds.append(CaseFile.Kind.DOCUMENT)
    return kinds


def _to_verify(request, case: Case | None = None, then: str = ""):
    """OLR 7: a step that needs a verified identity sends the person to verify it first,
    and back here afterwards."""
    messages.info(
        request, _("Verify your identity first (real-name verification); then come back here.")
    )
    back = then or (_case_url(case) if case is not None else "/")
    return redirect(f"{reverse('accounts:verify')}?{urlencode({'next': back})}")
