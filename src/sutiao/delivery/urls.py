from django.urls import path

from . import views

app_name = "delivery"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/unread/", views.unread, name="unread"),
    path("inbox/<int:pk>/", views.item, name="item"),
    path("inbox/<int:pk>/document/", views.item_download, name="item_download"),
    path("inbox/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("open/<str:token>/", views.open_link, name="open"),
    path("services/<int:pk>/", views.service, name="service"),
    path("services/<int:pk>/document/", views.service_document, name="service_document"),
    path("services/<int:pk>/proof/", views.proof, name="proof"),
    path("services/<int:pk>/paper/", views.record_paper, name="record_paper"),
    path("services/<int:pk>/request-paper/", views.request_paper, name="request_paper"),
    path("services/<int:pk>/send-again/", views.send_again, name="send_again"),
    path("services/<int:pk>/issue-proof/", views.issue_proof, name="issue_proof"),
    path("cases/<int:pk>/", views.case_services, name="case"),
    path("cases/<int:pk>/serve/", views.serve, name="serve"),
    path("cases/<int:pk>/export.zip", views.case_export, name="case_export"),
    path("addresses/", views.addresses, name="addresses"),
    path("addresses/<int:party_id>/", views.change_addresses, name="change_addresses"),
    path("paper/", views.paper_queue, name="paper_queue"),
    path("paper/batch.pdf", views.paper_batch, name="paper_batch"),
    path("preferences/", views.preferences, name="preferences"),
    path("sms/receipts/", views.sms_receipt, name="sms_receipt"),
]
