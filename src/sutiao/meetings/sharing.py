"""Sharing in the room: a participant's screen (media only: the server is told who shares, for
the pages and the audit trail), or a document of the case file shown on every page.

A document is shown only if it is a file of the session's case that the sharer may see and
that every participant present on the sharer's side (everyone, or the separate talk's side) may
see (`cases.CaseFile` "view"); each receiving socket checks it again for its own user. Pages
are served through `page_image`, which checks the case file's policy for the one asking."""

from __future__ import annotations

import subprocess  # nosec B404 - pdftoppm, fixed arguments, the PDF on stdin

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases.models import CaseFile
from sutiao.core.errors import Forbidden, Invalid, NotFound
from sutiao.core.policy import can

from . import queries
from .errors import MeetingError
from .models import MeetingSession, Participant

IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")
PDF = "application/pdf"
SHAREABLE = (PDF, *IMAGES)
DPI = 110  # a page of A4 about 900 pixels wide: readable on a laptop, light on a phone


def shareable_files(user: User, session: MeetingSession) -> list[CaseFile]:
    """The case's PDFs and images that `user` may see: what the room offers to show."""
    files = CaseFile.objects.filter(case_id=session.case_id, content_type__in=SHAREABLE)
    return [f for f in files.select_related("case") if can(user, "view", f)]


def page_count(f: CaseFile) -> int:
    if f.content_type != PDF:
        return 1
    from pypdf import PdfReader  # here: pypdf loads fontTools, which serving need not hold

    with f.file.open("rb") as handle:
        return len(PdfReader(handle).pages)


def page_image(f: CaseFile, page: int) -> tuple[bytes, str]:
    """The bytes shown for `page` (from 1): an image as it is, a PDF's page rendered to PNG
    by poppler's pdftoppm (Debian's poppler-utils), the PDF read from its standard input."""
    with f.file.open("rb") as handle:
        data = handle.read()
    if f.content_type != PDF:
        if page != 1:
            raise NotFound(_("No such page."), code=MeetingError.NOT_SHAREABLE)
        return data, f.content_type
    args = ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(DPI), "-png", "-singlefile"]
    try:
        done = subprocess.run(  # noqa: S603 # nosec B603 - fixed arguments, the PDF on stdin
            [*args, "-"], input=data, capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise NotFound(_("No such page."), code=MeetingError.NOT_SHAREABLE) from exc
    if done.returncode != 0 or not done.stdout:
        raise NotFound(_("No such page."), code=MeetingError.NOT_SHAREABLE)
    return done.stdout, "image/png"


def _side(session: MeetingSession, sharer: Participant) -> list[Participant]:
    """The others present who see what `sharer` shows: everyone, or in a separate talk the
    sharer's side only (the mediator and that party, or the parties apart from it)."""
    present = set(queries.present(session.pk)) - {sharer.pk}
    others = list(session.participants.filter(pk__in=present).select_related("user"))
    if session.caucus_with_id is None:
        return others

    def inside(p: Participant) -> bool:
        return p.role == Participant.Role.MEDIATOR or p.pk == session.caucus_with_id

    return [p for p in others if inside(p) == inside(sharer)]


@transaction.atomic
def share_document(*, participant: Participant, file_id: int, page: int = 1) -> dict:
    """Show a case document to the room: refused unless it is a PDF or an image of the
    session's case that the sharer and every other participant present on the side may see.
    Audited (`meetings.document_shared`). Returns the room's `share` message."""
    session = MeetingSession.objects.select_related("case").get(pk=participant.session_id)
    f = CaseFile.objects.select_related("case").filter(pk=file_id, case=session.case).first()
    if f is None or not can(participant.user, "view", f):
        raise NotFound(_("This document is not in the case file."), code=MeetingError.NOT_SHAREABLE)
    if f.content_type not in SHAREABLE:
        raise Invalid(
            _("Only a PDF or an image can be shown in the room."), code=MeetingError.NOT_VIEWABLE
        )
    blind = [str(p) for p in _side(session, participant) if not can(p.user, "view", f)]
    if blind:
        raise Forbidden(
            _("Not everyone present may see this document: %(names)s.")
            % {"names": ", ".join(blind)},
            code=MeetingError.NOT_VISIBLE_TO_ALL,
        )
    pages = page_count(f)
    record(
        participant.user,
        "meetings.document_shared",
        session,
        summary=f"{participant}: {f.name}",
        changes={"file": f.pk, "pages": pages},
    )
    return document_event(f, pages, max(1, min(page, pages)))


def document_event(f: CaseFile, pages: int, page: int) -> dict:
    return {
        "type": "share",
        "kind": "document",
        "file": f.pk,
        "name": f.name,
        "pages": pages,
        "page": page,
        "url": reverse("meetings:shared_page", args=[f.case_id, f.pk]),
    }


@transaction.atomic
def share_screen(*, participant: Participant) -> None:
    """A participant starts showing their screen: audited (the stop is not)."""
    session = MeetingSession.objects.get(pk=participant.session_id)
    record(participant.user, "meetings.screen_shared", session, summary=str(participant))


def may_see(user: User, file_id: int) -> bool:
    """A receiving socket's own check, for its user, of the document shown."""
    f = CaseFile.objects.select_related("case").filter(pk=file_id).first()
    return f is not None and can(user, "view", f)
