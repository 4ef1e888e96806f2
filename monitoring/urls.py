from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kedatangan/", views.arrival_list, name="arrival_list"),
    path("kedatangan/<int:pk>/", views.arrival_detail, name="arrival_detail"),
    path("kedatangan/ekspor.csv", views.arrival_export, {"fmt": "csv"}, name="arrival_export_csv"),
    path("kedatangan/ekspor.xlsx", views.arrival_export, {"fmt": "xlsx"}, name="arrival_export_xlsx"),
    path("wilayah/jorong/", views.hamlet_upload, name="hamlet_upload"),
]
