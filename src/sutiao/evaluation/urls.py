from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:level>/<str:key>/", views.scope_page, name="scope"),
]
