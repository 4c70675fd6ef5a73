"""The session pages: propose (mediator), answer, the day's identity check, the room."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sutiao.accounts.models import User
from sutiao.cases.models import Case, CaseFile
from sutiao.core.errors import DomainError, Invalid
from sutiao.core.forms import form_page, run_action
from sutiao.core.lookup import visible, visible_or_404
from sutiao.core.middleware import CSP
from sutiao.core.policy import can, require

from . import actions, chunks, lifecycle, queries, recording, sharing
from .errors import MeetingError
from .forms import AnswerForm, CodeForm, JudgeForm, ModeForm, ProposeForm, RescheduleForm
from .models import MeetingSession, Participant
from .providers import provider


def _session(request, pk: int) -> MeetingSession:
    return visible(
        request.user, MeetingSession.objects.select_related("case"), missing=Http404, pk=pk
    )


def _detail_url(session) -> str:
    return reverse("meetings:detail", args=[session.pk])


@login_required
def session_list(request):
    """A participant's "my sessions": the coming ones with the device check and the room."""
    return render(request, "meetings/list.html", queries.my_sessions(request.user))


@login_required
def calendar(request):
    """The mediator's calendar: the week's sessions by day (`?week=` any day of it)."""
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    monday = day - dt.timedelta(days=day.weekday())
    context = queries.calendar_of(request.user, monday)
    week = dt.timedelta(days=7)
    context.update(monday=monday, previous=monday - week, next=monday + week)
    return render(request, "meetings/calendar.html", context)


@login_required
def devices(request, pk: int):
    """Camera, microphone and network checked in the browser before joining the room."""
    session = _session(request, pk)
    me = session.participants.get(user=request.user)
    return render(
        request,
        "meetings/devices.html",
        {"session": session, "me": me, "checked": queries.checked_today(me)},
    )


@login_required
def propose(request, case_id: int):
    case = get_object_or_404(Case, pk=case_id)
    require(request.user, "mediate", case)
    form = ProposeForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: actions.propose(
            actor=request.user, case=case, title=d["title"], times=form.times()
        ),
        template="meetings/propose.html",
        context={"form": form, "case": case},
        success=_("The times were proposed to the participants."),
        then=_detail_url,
        refusal="form",
    )


@login_required
def detail(request, pk: int):
    session = _session(request, pk)
    me = session.participants.get(user=request.user)
    roles = lifecycle.roles(request.user, session)
    steps = {t.name for t in lifecycle.machine.available(session, roles)}
    return render(
        request,
        "meetings/detail.html",
        {
            "session": session,
            "me": me,
            "participants": queries.participants_of(session),
            "times": session.times.filter(withdrawn=False),
            "attendance": queries.attendance_of(session),
            "steps": steps,
            "checked": queries.checked_today(me),
            "manage": can(request.user, "manage", session),
            "reschedule_form": RescheduleForm(),
            "code_form": CodeForm(),
            "mode_form": ModeForm(),
            "judges": queries.judges_to_invite(session) if "invite_judge" in steps else [],
        },
    )


def _post(request, session, form, call, success):
    """Every button of the session page: done or refused, back to the page with a message."""
    done = run_action(
        request, form, call, success=success, then=_detail_url(session), refusal="message"
    )
    if done:
        return done
    if form is not None and form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_detail_url(session))


@require_POST
@login_required
def answer(request, pk: int):
    session = _session(request, pk)
    form = AnswerForm(request.POST)
    return _post(
        request,
        session,
        form,
        lambda d: actions.answer(
            actor=request.user, session=session, time_id=d["time"], note=d["note"]
        ),
        _("Your answer was recorded."),
    )


@require_POST
@login_required
def reschedule(request, pk: int):
    session = _session(request, pk)
    form = RescheduleForm(request.POST)
    return _post(
        request,
        session,
        form,
        lambda d: actions.reschedule(
            actor=request.user, session=session, times=form.times(), reason=d["reason"]
        ),
        _("New times were proposed."),
    )


@require_POST
@login_required
def request_code(request, pk: int):
    session = _session(request, pk)
    return _post(
        request,
        session,
        None,
        lambda d: actions.request_day_code(actor=request.user, session=session),
        _("A code was sent to your verified phone."),
    )


@require_POST
@login_required
def check_code(request, pk: int):
    session = _session(request, pk)
    form = CodeForm(request.POST)
    return _post(
        request,
        session,
        form,
        lambda d: actions.confirm_day_code(actor=request.user, session=session, code=d["code"]),
        _("Your identity is confirmed for today's session."),
    )


@require_POST
@login_required
def confirm_participant(request, pk: int, participant_id: int):
    session = _session(request, pk)
    participant = get_object_or_404(Participant, pk=participant_id, session=session)
    return _post(
        request,
        session,
        None,
        lambda d: actions.confirm_identity(actor=request.user, participant=participant),
        _("The participant's identity is confirmed for today."),
    )


@require_POST
@login_required
def set_mode(request, pk: int, participant_id: int):
    session = _session(request, pk)
    participant = get_object_or_404(Participant, pk=participant_id, session=session)
    form = ModeForm(request.POST)
    return _post(
        request,
        session,
        form,
        lambda d: actions.set_mode(actor=request.user, participant=participant, mode=d["mode"]),
        _("The way of taking part was recorded."),
    )


@require_POST
@login_required
def invite_judge(request, pk: int):
    """The mediator asks a judge of the case's court to join the session (OMR)."""
    session = _session(request, pk)
    form = JudgeForm(request.POST)

    def call(d):
        judge = User.objects.filter(pk=d["judge"]).first() or User(pk=0)
        return actions.invite_judge(actor=request.user, session=session, judge=judge)

    return _post(request, session, form, call, _("The judge was invited to the session."))


@login_required
def room(request, pk: int):
    session = _session(request, pk)
    me = session.participants.get(user=request.user)
    media = provider()
    response = render(
        request,
        "meetings/room.html",
        {
            "session": session,
            "me": me,
            "checked": queries.checked_today(me),
            "attendance": queries.attendance_of(session),
            "parties": [p for p in queries.participants_of(session) if p.role == "party"],
            "provider": media.name,
            "documents": sharing.shareable_files(request.user, session),
        },
    )
    origin = getattr(media, "http_origin", None)
    if origin:  # LiveKit's client also asks its server over HTTP(S) (why a connection failed)
        response["Content-Security-Policy"] = CSP.replace(
            "connect-src 'self' ws: wss:", f"connect-src 'self' ws: wss: {origin()}"
        )
    return response


@login_required
def shared_page(request, case_id: int, file_id: int):
    """A page of a case document shown in the room (`?page=`, from 1), as an image: to those
    who may see the case file only (404 otherwise), never cached."""
    f = visible_or_404(
        request.user, CaseFile.objects.select_related("case"), pk=file_id, case_id=case_id
    )
    try:
        page = int(request.GET.get("page", "1"))
        if f.content_type not in sharing.SHAREABLE or page < 1:
            raise Http404
        data, content_type = sharing.page_image(f, page)
    except (ValueError, DomainError) as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def upload_recording(request, pk: int):
    """The mediator's page posts the recording (the WebM body) at stop; JSON in reply."""
    session = _session(request, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None or upload.size > recording.MAX_BYTES:
            raise Invalid(_("Upload the recording as a WebM file of at most 500 MB."))
        f = recording.store(actor=request.user, session=session, data=upload.read())
    except DomainError as exc:
        body = {"error": {"code": str(exc.code), "message": str(exc.message)}}
        return JsonResponse(body, status=exc.status)
    return JsonResponse({"file": f.pk, "sha256": f.sha256, "size": f.size}, status=201)


def _json_error(exc: DomainError) -> JsonResponse:
    body = {"error": {"code": str(exc.code), "message": str(exc.message), "details": exc.details}}
    return JsonResponse(body, status=exc.status)


@require_POST
@login_required
def recording_chunk(request, pk: int, recording_id: int):
    """The mediator's page posts each MediaRecorder chunk (multipart `seq` and `chunk`)."""
    session = _session(request, pk)
    upload = request.FILES.get("chunk")
    try:
        seq = int(request.POST.get("seq", ""))
    except ValueError:
        seq = -1
    try:
        if upload is None or seq < 0:
            raise Invalid(_("Send a part of the recording with its sequence number."))
        rec = chunks.append(
            actor=request.user, session=session, recording_id=recording_id, seq=seq, upload=upload
        )
    except DomainError as exc:
        return _json_error(exc)
    return JsonResponse({"recording": rec.pk, "chunks": rec.chunks, "size": rec.size}, status=201)


@require_POST
@login_required
def recording_finish(request, pk: int, recording_id: int):
    """The page has sent its last chunk: the recording is assembled into the case file."""
    session = _session(request, pk)
    try:
        rec = chunks.finish(actor=request.user, session=session, recording_id=recording_id)
    except DomainError as exc:
        return _json_error(exc)
    if rec.file is None:
        message = _("Nothing playable of the recording was uploaded.")
        body = {"error": {"code": str(MeetingError.BAD_RECORDING), "message": message}}
        return JsonResponse(body, status=422)
    f = rec.file
    return JsonResponse(
        {"recording": rec.pk, "file": f.pk, "sha256": f.sha256, "size": f.size}, status=201
    )


@csrf_exempt  # LiveKit's server posts it; its signature (webhooks.verify) is the authentication
@require_POST
def livekit_webhook(request):
    """LiveKit's participant joined/left, verified (401 and nothing changes otherwise)."""
    from . import webhooks

    try:
        event = webhooks.verify(request.body, request.headers.get("Authorization", ""))
    except webhooks.Unverified:
        return JsonResponse({"error": "unverified"}, status=401)
    return JsonResponse({"result": webhooks.handle(event)})
