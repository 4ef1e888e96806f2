from django.contrib.auth.decorators import permission_required
from django.shortcuts import render


@permission_required("accounts.enter_arrivals", raise_exception=True)
def arrival_create(request):
    """The officer's entry form (being built: see the entry issue)."""
    return render(request, "travellers/arrival_create.html")
