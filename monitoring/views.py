from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from travellers.models import Arrival, today_bounds


@permission_required("accounts.view_arrivals", raise_exception=True)
def overview(request):
    """The area overview (being built: see the monitoring issue); today's count for now."""
    start, end = today_bounds()
    today = Arrival.objects.visible_to(request.user).filter(arrived_at__gte=start, arrived_at__lt=end).count()
    return render(request, "monitoring/overview.html", {"arrivals_today": today})
