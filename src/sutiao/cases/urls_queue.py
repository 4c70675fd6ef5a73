from django.urls import path

from . import views_queue

app_name = "queues"
urlpatterns = [
    path("<slug:which>/", views_queue.queue_page, name="queue"),
    path("<slug:which>/export.xlsx", views_queue.queue_export, name="export"),
]
