from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .models import Region
from .offline import offline_regions

MAX_RESULTS = 20


def _as_json(regions):
    ancestor_codes = {code for r in regions for code in r.ancestor_codes}
    names = {r.code: str(r) for r in Region.objects.filter(code__in=ancestor_codes)}
    results = []
    for r in regions:
        ancestors = [names[c] for c in reversed(r.ancestor_codes[1:]) if c in names]
        results.append(
            {
                "code": r.code,
                "name": str(r),
                "level": r.level,
                "label": ", ".join([str(r), *ancestors]),
            }
        )
    return results


def _level(request, name, default):
    try:
        return int(request.GET.get(name, default))
    except ValueError:
        return default


@require_GET
@cache_control(private=True, max_age=3600)
def region_children(request):
    """Current regions directly under `induk` (or the provinces), for the cascading picker."""
    parent = request.GET.get("induk", "")[:20]
    regions = Region.objects.current()
    regions = regions.filter(parent__code=parent) if parent else regions.filter(level=Region.Level.PROVINCE)
    return JsonResponse({"results": [{"code": r.code, "name": str(r), "level": r.level} for r in regions]})


@require_GET
def region_search(request):
    """Type-to-search over current regions within `dalam`, between levels `dari` and `sampai`."""
    query = " ".join(request.GET.get("q", "").split())[:60]
    if len(query) < 2:
        return JsonResponse({"results": []})
    within = request.GET.get("dalam", "")[:20] or None
    regions = Region.objects.current().filter(
        name__icontains=query,
        level__gte=_level(request, "dari", Region.Level.PROVINCE),
        level__lte=_level(request, "sampai", Region.Level.HAMLET),
    )
    if within:
        regions = regions.within(within)
    regions = list(regions.order_by("level", "name")[:MAX_RESULTS])
    return JsonResponse({"results": _as_json(regions), "home": settings.SIPANTAU_PROVINCE})


@transaction.non_atomic_requests  # a read, fetched alongside the page
@require_GET
def region_offline(request):
    """Every current region in one file, for the pickers without a signal (regions/offline.py).

    Asked for with the version the page knows (`?v=`): that answer never changes, so the
    browser may keep it; any other version gets the current file, not to be kept.
    """
    version, body = offline_regions()
    response = HttpResponse(body, content_type="application/json")
    if request.GET.get("v") == version:
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response
