"""The follow-up pages, under /pantau/ beside monitoring's (namespace followup)."""

from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("kotak-masuk/", views.dispatch_inbox, name="dispatch_inbox"),
    path("kotak-masuk/<int:pk>/konfirmasi/", views.arrival_confirm, name="arrival_confirm"),
    path("isolasi/", views.isolation_list, name="isolation_list"),
    path("isolasi/hari-ini/", views.checks_due, name="checks_due"),
    path("isolasi/<int:pk>/", views.isolation_detail, name="isolation_detail"),
    path("isolasi/<int:pk>/pantau/", views.check_create, name="check_create"),
    path("isolasi/<int:pk>/lama/", views.isolation_period, name="isolation_period"),
    path("isolasi/<int:pk>/tutup/", views.isolation_close, name="isolation_close"),
    path("isolasi/<int:pk>/buka-kembali/", views.isolation_reopen, name="isolation_reopen"),
    path("pemantauan/<int:check_pk>/lapor/", views.report_create, name="report_create"),
    path("laporan/", views.report_list, name="report_list"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/terima/", views.report_acknowledge, name="report_acknowledge"),
    path("laporan/<int:pk>/selesai/", views.report_close, name="report_close"),
    path("laporan/<int:pk>/surat/", views.report_letter, name="report_letter"),
    path("tindak-lanjut/", views.followup_overview, name="followup_overview"),
    path("ringkasan-harian/", views.digest_settings, name="digest_settings"),
]
