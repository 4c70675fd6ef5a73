from django.urls import path

from . import views

app_name = "judicial"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("case/<int:case_id>/", views.case_page, name="case"),
    path("case/<int:case_id>/apply/", views.apply, name="apply"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/step/<slug:name>/", views.step, name="step"),
    path("applications/<int:pk>/objection/", views.object_to_ruling, name="objection"),
    path(
        "case/<int:case_id>/mediation-document/",
        views.mediation_document,
        name="mediation_document",
    ),
    path(
        "case/<int:case_id>/mediation-document/issue/",
        views.issue_mediation_document,
        name="issue_mediation_document",
    ),
    path("case/<int:case_id>/mediation-document/code/", views.md_code, name="md_code"),
    path("case/<int:case_id>/mediation-document/sign/", views.md_sign, name="md_sign"),
    path("case/<int:case_id>/mediation-document/withdraw/", views.md_withdraw, name="md_withdraw"),
]
