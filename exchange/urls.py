from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .api import api

app_name = "exchange"


def _open_to_tokens(patterns):
    """The API's views answer systems, not people: no login redirect; TokenAuth decides (401)."""
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns


# django-ninja's own root ("api-root", which it reverses for the OpenAPI paths) serves nothing;
# the API's address shows its description instead.
api_patterns = [p for p in api.urls[0] if p.name != "api-root"]

urlpatterns = [
    path("", views.api_docs, name="api-root"),
    path("docs", views.api_docs, name="docs"),
    *_open_to_tokens(api_patterns),
]
