from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("anak/", views.region_children, name="children"),
    path("cari/", views.region_search, name="search"),
    path("luring/", views.region_offline, name="offline"),
]
