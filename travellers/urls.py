from django.urls import path

from . import api, offline, views

app_name = "travellers"
urlpatterns = [
    path("catat/", views.arrival_create, name="arrival_create"),
    path("hari-ini/", views.arrival_today, name="arrival_today"),
    path("hari-ini/<int:pk>/ubah/", views.arrival_update, name="arrival_update"),
    path("formulir-kertas/", views.paper_form, name="paper_form"),
    path("unggah/", views.import_start, name="import"),
    path("unggah/templat.<str:fmt>", views.import_template, name="import_template"),
    path("unggah/<int:pk>/", views.import_detail, name="import_detail"),
    path("unggah/<int:pk>/laporan.csv", views.import_report, name="import_report"),
    path("api/kedatangan/", api.api_arrival_create, name="api_arrival_create"),
    path("api/orang/", api.api_person_lookup, name="api_person_lookup"),
    path("api/sesi/", offline.api_session, name="api_session"),
]
