from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("keamanan/", views.account_security, name="security"),
    path("latihan/", views.practice_switch, name="practice_switch"),
    path("kata-sandi/", views.password_change, name="password_change"),
    path("dua-langkah/daftar/", views.two_factor_setup, name="two_factor_setup"),
    path("dua-langkah/verifikasi/", views.two_factor_verify, name="two_factor_verify"),
    path("dua-langkah/kode-cadangan/", views.recovery_codes_reset, name="recovery_codes_reset"),
]
