from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/commentary/", views.commentary, name="commentary"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/report.pdf", views.pdf, name="pdf"),
    path("<int:pk>/report.xlsx", views.xlsx, name="xlsx"),
]
