from django.urls import path

from . import views
from .followup_urls import urlpatterns as followup_urlpatterns

app_name = "monitoring"
urlpatterns = [
    path("", views.overview, name="overview"),
]
urlpatterns += followup_urlpatterns
