from django.urls import path

from .views import courses, files, recruitment, report

app_name = "training"
urlpatterns = [
    path("", courses.course_list, name="courses"),
    path("courses/new/", courses.course_form, name="course_new"),
    path("courses/<int:pk>/", courses.course_detail, name="course"),
    path("courses/<int:pk>/edit/", courses.course_form, name="course_edit"),
    path("courses/<int:pk>/enrol/", courses.enrol, name="enrol"),
    path("courses/<int:pk>/materials/", courses.add_material, name="add_material"),
    path("courses/<int:pk>/sign-in/", courses.import_sign_in, name="sign_in"),
    path("sign-ins/<int:pk>/", courses.sign_in_result, name="sign_in_result"),
    path("enrolments/<int:pk>/", courses.enrolment, name="enrolment"),
    path("enrolments/<int:pk>/beat/", courses.beat, name="beat"),
    path("enrolments/<int:pk>/certificate/", courses.issue_certificate, name="issue_certificate"),
    path("enrolments/<int:pk>/certificate.pdf", courses.certificate_pdf, name="certificate"),
    path("courses/<int:pk>/video/", files.video, name="video"),
    path("materials/<int:pk>/", files.material, name="material"),
    path("supporting-files/<int:pk>/", files.supporting_file, name="supporting_file"),
    path("report/", report.report, name="report"),
    path("calls/new/", recruitment.call_new, name="call_new"),
    path("calls/<int:pk>/", recruitment.call_page, name="call"),
    path("calls/<int:pk>/apply/", recruitment.apply, name="apply"),
    path("applications/", recruitment.application_list, name="applications"),
    path("applications/<int:pk>/", recruitment.application_detail, name="application"),
    path(
        "applications/<int:pk>/<str:step>/", recruitment.application_step, name="application_step"
    ),
]
