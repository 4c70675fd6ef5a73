from django.urls import path

from . import views

app_name = "batches"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("new/", views.new, name="new"),
    path("template.xlsx", views.template, name="template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/delegate/", views.delegate, name="delegate"),
    path("<int:pk>/entrust/", views.entrust, name="entrust"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("<int:pk>/agreements/", views.send_agreements, name="agreements"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/withdraw/", views.withdraw_conflict, name="withdraw_conflict"),
]
