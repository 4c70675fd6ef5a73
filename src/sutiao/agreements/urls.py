from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("case/<int:case_id>/", views.case_page, name="case"),
    path("case/<int:case_id>/draft/", views.save_draft, name="save_draft"),
    path("case/<int:case_id>/term-preview/", views.term_preview, name="term_preview"),
    path("<int:pk>/preview.pdf", views.preview_pdf, name="preview_pdf"),
    path("<int:pk>/open/", views.open_for_signing, name="open"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/code/", views.request_code, name="request_code"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/confirm-offline/", views.confirm_offline, name="confirm_offline"),
    path("offline/", views.offline, name="offline"),
]
