from django.urls import path

from . import views

app_name = "institutions"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("courts/<int:pk>/", views.court_detail, name="court_detail"),
    path("courts/<int:pk>/staff/", views.court_staff, name="court_staff"),
    path("courts/<int:pk>/settings/", views.court_settings, name="court_settings"),
    path("ip-offices/<int:pk>/", views.office_detail, name="office_detail"),
    path("ip-offices/<int:pk>/staff/", views.office_staff, name="office_staff"),
    path("orgs/", views.org_list, name="org_list"),
    path("orgs/new/", views.org_edit, name="org_create"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", views.org_edit, name="org_edit"),
    path("orgs/<int:pk>/staff/", views.org_staff, name="org_staff"),
]
