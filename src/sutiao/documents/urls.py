from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("verify/<str:code>/pdf/", views.document_pdf, name="document_pdf"),
    path("ca.pem", views.ca_certificate, name="ca_certificate"),
    path("ca/crl", views.ca_crl, name="crl"),
    path("tsa/", views.timestamp, name="tsa"),
]
