import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .middleware import DATABASE_DOWN, SELF_CONTAINED_CSP, database_unavailable


@require_GET
def home(request):
    """Send each account to its work: officers to the entry form, others to their area."""
    user = request.user
    if user.role == "officer":
        return redirect("travellers:arrival_create")
    if user.role:
        return redirect("monitoring:overview")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "no_role.html")


@login_not_required
@never_cache
@transaction.non_atomic_requests
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers and monitors."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def server_error(request):
    """handler500: a database outage raised outside the view (a 404 page, a middleware) is still a 503."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_DOWN):
        return database_unavailable(request, exception)
    response = defaults.server_error(request)
    response["Content-Security-Policy"] = SELF_CONTAINED_CSP  # 500.html is self-contained too
    return response
