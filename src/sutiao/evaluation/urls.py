from django.urls import path

from . import feedback_views as fv
from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.home, name="home"),
    path("survey/<int:case_id>/", fv.survey, name="survey"),
    path("complaints/new/<int:case_id>/", fv.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", fv.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/<slug:step>/", fv.complaint_step, name="complaint_step"),
    path("schemes/", fv.schemes, name="schemes"),
    path("schemes/<int:pk>/", fv.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/versions/<int:number>/publish/", fv.version_publish, name="publish"),
    path("<slug:level>/<str:key>/notes/", fv.note_new, name="note_new"),
    path("<slug:level>/<str:key>/", views.scope_page, name="scope"),
]
