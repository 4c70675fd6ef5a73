from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("unlock/", views.unlock, name="unlock"),
    path("password/", views.password_change, name="password"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("profile/", views.profile, name="profile"),
    path("profile/phone/", views.phone_change_page, name="phone_change"),
    path("register/", views.register, name="register"),
    path("register/code/", views.register_confirm, name="register_confirm"),
    path("verify/", views.verify, name="verify"),
]
