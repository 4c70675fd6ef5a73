from django.urls import path

from . import views

app_name = "roster"
urlpatterns = [
    path("", views.public_roster, name="public"),
    path("mediators/<int:pk>/", views.mediator_public, name="mediator"),
    path("courts/<int:pk>/", views.court_roster, name="court_roster"),
    path("courts/<int:pk>/pending/", views.pending, name="pending"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("me/", views.me, name="me"),
    path("manage/", views.maintain, name="maintain"),
    path("manage/mediators/new/", views.mediator_new, name="mediator_new"),
    path("manage/mediators/<int:pk>/", views.mediator_edit, name="mediator_edit"),
    path("manage/orgs/<int:pk>/", views.org_manage, name="org_manage"),
    path("manage/recommend/", views.recommend, name="recommend"),
    path("manage/recommendations/", views.recommendations, name="recommendations"),
    path("manage/export.xlsx", views.export, name="export"),
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("import/template/<str:kind>.xlsx", views.import_template, name="import_template"),
]
