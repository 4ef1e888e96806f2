"""The project's URLs plus one rate-limited probe view, for the rate-limit tests."""

from django.http import HttpResponse
from django.urls import path

from accounts.ratelimit import rate_limited
from sipantau.urls import urlpatterns as project_urlpatterns


@rate_limited("probe", per_minute=5)
def probe(request):
    return HttpResponse("ok")


urlpatterns = [*project_urlpatterns, path("uji/probe/", probe, name="probe")]
