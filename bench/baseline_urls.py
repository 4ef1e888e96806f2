"""The bare pages' URLs (bench/baseline.py): a URLconf of the bench only, never the app's."""

from django.urls import path

from bench import baseline

urlpatterns = [
    path("bare/region/<str:code>/", baseline.bare_region),
    path("bare/nik/<str:code>/<str:nik>/", baseline.bare_nik),
    path("bare/overview/<str:code>/", baseline.bare_overview),
]
