from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .api import api


@login_not_required
@require_GET
def api_docs(request):
    """The API's endpoints and parameters, read from its OpenAPI document: a plain page, no scripts."""
    schema = api.get_openapi_schema()
    operations = []
    for url, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": url,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", "").replace("`", ""),
                    "parameters": operation.get("parameters", []),
                    "statuses": sorted(operation.get("responses", {})),
                }
            )
    return render(request, "exchange/api_docs.html", {"operations": operations, "info": schema["info"]})
