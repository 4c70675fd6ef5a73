"""Who may see and do what in training and recruitment.

- A course is managed by staff of its organiser (a court's clerks and judges, an IP office's
  staff or an office above it); signed-in people see the course list; an enrolment is seen
  by its mediator (or applicant) and the course's managers.
- An application is seen by its applicant and the call's office (and the offices above it);
  a stranger gets 404. A call is public while it is open.
- The training report: IP office staff (their area) and court clerks (their roster).
"""

from __future__ import annotations

from typing import Any

from sutiao.accounts.policies import is_platform_admin, signed_in
from sutiao.accounts.roles import Role
from sutiao.core.policy import public, rule
from sutiao.institutions.models import Court, IPOffice
from sutiao.institutions.policies import office_chain_ids

from .models import Application, Call, Course, Enrolment, Material, SupportingFile


def office_staff_of(user: Any, office: IPOffice | None) -> bool:
    """Staff of `office` or of an office above it (or a platform administrator)."""
    if not signed_in(user) or office is None:
        return False
    return is_platform_admin(user) or bool(office_chain_ids(office) & user.ip_office_ids())


def court_staff_of(user: Any, court: Court | None) -> bool:
    if not signed_in(user) or court is None:
        return False
    return is_platform_admin(user) or court.pk in user.court_ids(Role.COURT_CLERK, Role.JUDGE)


def may_organise(user: Any) -> bool:
    return signed_in(user) and (
        is_platform_admin(user)
        or bool(user.ip_office_ids())
        or bool(user.court_ids(Role.COURT_CLERK, Role.JUDGE))
    )


def may_see_report(user: Any) -> bool:
    return signed_in(user) and (
        is_platform_admin(user)
        or bool(user.ip_office_ids())
        or bool(user.court_ids(Role.COURT_CLERK))
    )


@rule(Course, "view")
def can_view_course(user: Any, course: Course) -> bool:
    return signed_in(user)


@rule(Course, "manage")
def can_manage_course(user: Any, course: Course) -> bool:
    if course.court_id:
        return court_staff_of(user, course.court)
    if course.office_id:
        return office_staff_of(user, course.office)
    return is_platform_admin(user)


@rule(Enrolment, "view")
def can_view_enrolment(user: Any, enrolment: Enrolment) -> bool:
    return is_trainee(user, enrolment) or can_manage_course(user, enrolment.course)


def is_trainee(user: Any, enrolment: Enrolment) -> bool:
    uid = getattr(user, "pk", None)
    if uid is None:
        return False
    if enrolment.mediator_id and enrolment.mediator.user_id == uid:  # type: ignore[union-attr]
        return True
    return bool(enrolment.application_id and enrolment.application.applicant_id == uid)  # type: ignore[union-attr]


@rule(Call, "view")
@public
def can_view_call(user: Any, call: Call) -> bool:
    return call.is_open or office_staff_of(user, call.office)


@rule(Call, "manage")
def can_manage_call(user: Any, call: Call) -> bool:
    return office_staff_of(user, call.office)


@rule(Application, "view")
def can_view_application(user: Any, application: Application) -> bool:
    return application.applicant_id == user.pk or office_staff_of(user, application.call.office)


@rule(Application, "review")
def can_review_application(user: Any, application: Application) -> bool:
    return office_staff_of(user, application.call.office)


@rule(Material, "view")
def can_view_material(user: Any, material: Material) -> bool:
    return can_view_course(user, material.course)


@rule(SupportingFile, "view")
def can_view_supporting_file(user: Any, f: SupportingFile) -> bool:
    return can_view_application(user, f.application)
