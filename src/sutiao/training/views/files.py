"""Stored files (encrypted at rest, so never a public URL): to those who may see their
course or application only."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from sutiao.core.lookup import visible_or_404

from ..models import Course, Material, SupportingFile


def _send(field, name: str, *, attachment: bool = True) -> FileResponse:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        field.open("rb"), as_attachment=attachment, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def material(request, pk: int):
    m = visible_or_404(request.user, Material.objects.select_related("course"), pk=pk)
    return _send(m.file, m.file.name.rsplit("/", 1)[-1])


@login_required
def supporting_file(request, pk: int):
    f = visible_or_404(
        request.user, SupportingFile.objects.select_related("application__call__office"), pk=pk
    )
    return _send(f.file, f.name)


@login_required
def video(request, pk: int):
    course = visible_or_404(request.user, Course, pk=pk)
    if not course.video:
        raise Http404
    return _send(course.video, course.video.name.rsplit("/", 1)[-1], attachment=False)
