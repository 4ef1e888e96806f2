from django.urls import path

from . import views

app_name = "travellers"
urlpatterns = [
    path("catat/", views.arrival_create, name="arrival_create"),
]
