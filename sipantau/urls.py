from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from travellers import offline

from . import views

admin.site.site_header = _("SIPANTAU — Administrasi")
admin.site.site_title = _("Admin SIPANTAU")
admin.site.index_title = _("Akun, posko, wilayah dan audit")

handler500 = "sipantau.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.web_manifest, name="web_manifest"),
    path("luring/", offline.offline_page, name="offline_page"),
    path("akun/", include("accounts.urls")),
    path("wilayah/", include("regions.urls")),
    path("posko/", include("travellers.urls")),
    path("pantau/", include("monitoring.urls")),
    path("api/v1/", include("exchange.urls")),
    path("pantau/", include("followup.urls")),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]
