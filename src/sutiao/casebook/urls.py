from django.urls import path

from . import desk_views, views

app_name = "casebook"
urlpatterns = [
    path("", views.library, name="library"),
    path("<int:pk>/", views.detail, name="detail"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("outcomes/", views.similar_outcomes, name="outcomes"),
    path("desk/", desk_views.desk, name="desk"),
    path("desk/new/", desk_views.new, name="new"),
    path("desk/<int:pk>/", desk_views.review, name="review"),
    path("desk/<int:pk>/edit/", desk_views.edit, name="edit"),
    path("desk/<int:pk>/decide/", desk_views.decide, name="decide"),
    path("desk/<int:pk>/<slug:name>/", desk_views.step, name="step"),
    path("desk/articles/new/", desk_views.article_edit, name="article_new"),
    path("desk/articles/<int:pk>/", desk_views.article_edit, name="article_edit"),
    path("desk/articles/<int:pk>/<slug:name>/", desk_views.article_step, name="article_step"),
]
