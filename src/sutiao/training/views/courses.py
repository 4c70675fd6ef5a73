"""Courses: the list, the organiser's form and page, watching a video, the certificate."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sutiao.core.errors import DomainError
from sutiao.core.forms import form_page, run_action, step_view
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import can

from .. import queries
from ..actions import attendance, certificates, courses
from ..forms import CourseForm, MaterialForm, SignInForm
from ..models import Course, Enrolment, SignInImport
from ..policies import is_trainee, may_organise


@login_required
def course_list(request):
    return render(
        request,
        "training/courses.html",
        {
            "courses": queries.courses_for(request.user)[:100],
            "mine": queries.enrolments_of(request.user),
            "applications": request.user.mediator_applications.select_related("call"),
            "may_organise": may_organise(request.user),
        },
    )


@login_required
def course_form(request, pk: int | None = None):
    course = visible_or_404(request.user, Course, pk=pk) if pk else None
    if course is not None and not can(request.user, "manage", course):
        raise PermissionDenied
    if course is None and not may_organise(request.user):
        raise PermissionDenied
    initial = (
        {k: getattr(course, k) for k in CourseForm.base_fields if hasattr(course, k)}
        if course
        else {}
    )
    form = CourseForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    return form_page(
        request,
        form,
        lambda data: courses.save_course(actor=request.user, course=course, data=data),
        template="training/course_form.html",
        context={"form": form, "course": course},
        success=_("The course is saved."),
        then=lambda c: reverse("training:course", args=[c.pk]),
    )


@login_required
def course_detail(request, pk: int):
    course = visible_or_404(request.user, Course.objects.select_related("court", "office"), pk=pk)
    manage = can(request.user, "manage", course)
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "manage": manage,
            "enrolments": course.enrolments.select_related("mediator", "application", "certificate")
            if manage
            else [],
            "mine": queries.enrolments_of(request.user).filter(course=course).first(),
            "last_import": course.sign_ins.first() if manage else None,
            "material_form": MaterialForm(),
            "sign_in_form": SignInForm(),
        },
    )


@login_required
@require_POST
def enrol(request, pk: int):
    course = visible_or_404(request.user, Course, pk=pk)
    return run_action(
        request,
        None,
        lambda _d: courses.enrol(actor=request.user, course=course),
        success=_("You are enrolled."),
        then=lambda e: reverse("training:enrolment", args=[e.pk]),
        refused=reverse("training:course", args=[pk]),
    )


@login_required
@require_POST
def add_material(request, pk: int):
    course = visible_or_404(request.user, Course, pk=pk)
    form = MaterialForm(request.POST, request.FILES)
    then = reverse("training:course", args=[pk])
    done = run_action(
        request,
        form,
        lambda d: courses.add_material(
            actor=request.user, course=course, title=d["title"], file=d["file"]
        ),
        success=_("The material is added."),
        then=then,
    )
    return done or redirect(then)


@login_required
def import_sign_in(request, pk: int):
    course = visible_or_404(request.user, Course, pk=pk)
    form = SignInForm(request.POST or None, request.FILES or None)

    def call(data):
        upload = data["file"]
        return attendance.import_sign_in(
            actor=request.user, course=course, filename=upload.name, content=upload.read()
        )

    return form_page(
        request,
        form,
        call,
        template="training/sign_in.html",
        context={"form": form, "course": course},
        success=lambda r: (
            _("%(n)s rows credited, %(e)s rows with errors.")
            % {"n": r.credited_count, "e": len(r.errors)}
        ),
        then=lambda r: reverse("training:sign_in_result", args=[r.pk]),
        refusal="form",
    )


@login_required
def sign_in_result(request, pk: int):
    result = get_object_or_404(SignInImport.objects.select_related("course"), pk=pk)
    if not can(request.user, "manage", result.course):
        raise Http404
    return render(
        request, "training/sign_in_result.html", {"result": result, "course": result.course}
    )


def _enrolment(request, pk: int) -> Enrolment:
    rows = Enrolment.objects.select_related("course", "mediator", "application", "certificate")
    return visible_or_404(request.user, rows, pk=pk)


@login_required
def enrolment(request, pk: int):
    e = _enrolment(request, pk)
    trainee = is_trainee(request.user, e)
    return render(
        request,
        "training/enrolment.html",
        {
            "enrolment": e,
            "course": e.course,
            "token": attendance.beat_token(e, request.user) if trainee else "",
            "beat_every": attendance.BEAT_EVERY,
            "trainee": trainee,
        },
    )


@login_required
@require_POST
def beat(request, pk: int):
    """The player's report of watched time (JSON), with the page's signed token."""
    e = _enrolment(request, pk)
    try:
        body = json.loads(request.body or b"{}")
        seconds = int(body.get("seconds", 0))
    except (ValueError, TypeError, AttributeError):
        return JsonResponse(
            {"error": {"code": "invalid", "message": _("Not a report.")}}, status=400
        )
    try:
        e = attendance.heartbeat(
            actor=request.user, enrolment=e, token=str(body.get("token", "")), seconds=seconds
        )
    except DomainError as exc:
        return JsonResponse(
            {"error": {"code": exc.code, "message": str(exc.message)}}, status=exc.status
        )
    return JsonResponse(
        {
            "watched": e.watched_seconds,
            "of": e.course.video_seconds,
            "credited": e.credited_on is not None,
        }
    )


issue_certificate = step_view(
    _enrolment,
    lambda user, e: certificates.issue_certificate(actor=user, enrolment=e),
    success=gettext_lazy("The certificate is issued."),
    then=lambda e: reverse("training:course", args=[e.course_id]),
)


@login_required
def certificate_pdf(request, pk: int):
    e = _enrolment(request, pk)
    if not e.certificate_id:
        raise Http404
    response = FileResponse(e.certificate.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{e.certificate.verify_code}.pdf"'
    return response
