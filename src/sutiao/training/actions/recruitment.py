"""Recruitment: a professional applies through an IP office's public call; the office asks
for more, accepts into pre-joining training or rejects; once the hours required before joining
are done, the office enters the person into the roster collection (roster.actions)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.core.policy import require
from sutiao.institutions.models import IPKind, IPOffice, Region
from sutiao.roster import actions as roster_actions
from sutiao.roster.models import Mediator, Qualification

from .. import lifecycle
from ..errors import TrainingError
from ..models import Application, ApplicationState, Call, Course, Enrolment, SupportingFile
from ..policies import office_staff_of

OPEN = [ApplicationState.SUBMITTED, ApplicationState.MORE_REQUESTED, ApplicationState.TRAINING]
MAX_FILES = 10
MAX_FILE_BYTES = 10 * 1024 * 1024


def _required(field: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        message = _("This field is required.")
        raise Invalid(message, code=TrainingError.REASON_MISSING, fields={field: [message]})
    return value


@transaction.atomic
def save_call(
    *, actor: User, office: IPOffice, title: str, text: str, course: Course | None, is_open: bool
) -> Call:
    if not office_staff_of(actor, office):
        raise Forbidden(_("You do not work at this IP office."))
    if course is not None and not course.pre_joining:
        raise Invalid(
            _("Choose a pre-joining course."),
            fields={"course": [_("Choose a pre-joining course.")]},
        )
    call = Call.objects.create(
        office=office,
        title=_required("title", title),
        text=text.strip(),
        course=course,
        is_open=is_open,
    )
    record(actor, "training.call_saved", call, summary=call.title)
    return call


def _check_applicant(actor: User, call: Call) -> None:
    if not call.is_open:
        raise Conflict(_("This call is closed."), code=TrainingError.CALL_CLOSED)
    if not actor.id_number_hash:
        raise Forbidden(_("Register with your identity number before you apply."))
    taken = Application.objects.filter(call=call, applicant=actor, state__in=OPEN).exists()
    if taken or Mediator.objects.filter(id_number_hash=actor.id_number_hash).exists():
        raise Conflict(
            _("You have an open application to this call, or are a mediator already."),
            code=TrainingError.ALREADY_APPLIED,
        )


def _profile_errors(data: dict[str, Any], call: Call) -> tuple[dict[str, list[str]], Region | None]:
    errors: dict[str, list[str]] = {}
    for key in ("technical_fields", "experience"):
        if not (data.get(key) or "").strip():
            errors[key] = [_("This field is required.")]
    quals = list(data.get("qualifications") or [])
    if not quals or set(quals) - set(Qualification.values):
        errors["qualifications"] = [_("Choose at least one qualification.")]
    code = getattr(data.get("region"), "code", data.get("region"))
    region = Region.objects.filter(code=str(code or "")).first()
    if region is None:
        errors["region"] = [_("Choose your region.")]
    elif not call.office.covers(region):
        errors["region"] = [_("This call is for professionals of the office's area.")]
    files = list(data.get("files") or [])
    if len(files) > MAX_FILES or any(f.size > MAX_FILE_BYTES for f in files):
        errors["files"] = [_("At most 10 files of 10 MB each.")]
    return errors, region


@transaction.atomic
def apply(*, actor: User, call: Call, data: dict[str, Any]) -> Application:
    """The signed-in professional applies; name and identity number come from their account."""
    call = (
        Call.objects.select_for_update(of=("self",))
        .select_related("office__region")
        .get(pk=call.pk)
    )
    require(actor, "view", call)
    _check_applicant(actor, call)
    errors, region = _profile_errors(data, call)
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)
    application = Application(
        call=call,
        applicant=actor,
        name=actor.real_name or actor.username,
        region=region,
        qualifications=list(dict.fromkeys(data["qualifications"])),
        technical_fields=data["technical_fields"].strip()[:200],
        experience=data["experience"].strip(),
        conflicts=(data.get("conflicts") or "").strip(),
    )
    application.set_id_number(actor.id_number)
    application.save()
    kinds = [getattr(k, "pk", k) for k in data.get("ip_kinds") or []]
    application.ip_kinds.set(IPKind.objects.filter(code__in=kinds))
    _add_files(application, data.get("files") or [])
    record(actor, "training.applied", application, summary=f"{application.name} · {call.title}")
    outbox.emit("training.applied", {"application": application.pk, "call": call.pk})
    return application


def _add_files(application: Application, files: list[UploadedFile]) -> None:
    for f in files:
        SupportingFile.objects.create(application=application, file=f, name=(f.name or "")[:200])


def _step(actor: User, application: Application, name: str) -> tuple[Application, Any]:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__office", "call__course", "applicant", "region")
        .get(pk=application.pk)
    )
    require(actor, "view", application)
    t = lifecycle.machine.check(application, name, lifecycle.roles(actor, application))
    return application, t


def _moved(
    actor: User, application: Application, t: Any, event: str, summary: str = ""
) -> Application:
    before = lifecycle.machine.move(application, t, at=timezone.now())
    application.save()
    record(
        actor,
        event,
        application,
        summary=summary or application.name,
        changes={"state": [before, application.state]},
    )
    return application


@transaction.atomic
def ask_more(*, actor: User, application: Application, request: str) -> Application:
    application, t = _step(actor, application, "ask_more")
    application.request = _required("request", request)
    application.decided_by = actor
    return _moved(actor, application, t, "training.more_requested", application.request[:200])


@transaction.atomic
def answer(
    *,
    actor: User,
    application: Application,
    answer: str,
    files: list[UploadedFile] = (),  # type: ignore[assignment]
) -> Application:
    application, t = _step(actor, application, "answer")
    application.answer = _required("answer", answer)
    _add_files(application, list(files))
    return _moved(actor, application, t, "training.answered", application.answer[:200])


@transaction.atomic
def accept(*, actor: User, application: Application) -> Application:
    """Into pre-joining training: enrolled in the call's pre-joining course, if it names one."""
    application, t = _step(actor, application, "accept")
    application.decided_by = actor
    _moved(actor, application, t, "training.accepted")
    if application.call.course_id:
        Enrolment.objects.get_or_create(course=application.call.course, application=application)
    outbox.emit("training.accepted", {"application": application.pk})
    return application


@transaction.atomic
def reject(*, actor: User, application: Application, reason: str) -> Application:
    application, t = _step(actor, application, "reject")
    application.decision_reason = _required("reason", reason)[:300]
    application.decided_by = actor
    _moved(actor, application, t, "training.rejected", application.decision_reason)
    outbox.emit("training.rejected", {"application": application.pk})
    return application


@transaction.atomic
def withdraw(*, actor: User, application: Application) -> Application:
    application, t = _step(actor, application, "withdraw")
    return _moved(actor, application, t, "training.withdrawn")


@transaction.atomic
def join(*, actor: User, application: Application) -> Application:
    """The hours before joining are done (the machine's precondition): the person enters the
    roster collection through roster.actions.save_mediator, and their account and training
    records follow them."""
    application, t = _step(actor, application, "join")
    mediator = roster_actions.save_mediator(
        actor=actor,
        mediator=None,
        data={
            "id_number": application.id_number,
            "name": application.name,
            "phone": application.applicant.phone,
            "region": application.region_id,
            "ip_kinds": list(application.ip_kinds.values_list("code", flat=True)),
            "technical_fields": application.technical_fields,
            "qualifications": application.qualifications,
            "bio": application.experience,
        },
    )
    roster_actions.link_account(user=application.applicant)
    mediator.refresh_from_db()
    Enrolment.objects.filter(application=application).update(mediator=mediator)
    application.mediator = mediator
    _moved(actor, application, t, "training.joined", mediator.name)
    outbox.emit("training.joined", {"application": application.pk, "mediator": mediator.pk})
    return application
