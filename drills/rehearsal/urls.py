from django.urls import path

from sipantau.urls import handler500  # noqa: F401
from sipantau.urls import urlpatterns as real_urlpatterns

from .views import stand_in_arrival_create

urlpatterns = [path("posko/api/kedatangan/", stand_in_arrival_create), *real_urlpatterns]
