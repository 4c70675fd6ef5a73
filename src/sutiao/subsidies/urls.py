from django.urls import path

from . import views

app_name = "subsidies"
urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_new, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/sheet.xlsx", views.sheet_xlsx, name="sheet_xlsx"),
    path("sheets/<int:pk>/<str:step>/", views.sheet_step, name="sheet_step"),
]
