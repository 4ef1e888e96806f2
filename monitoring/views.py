"""Monitoring for an area: overview, arrival list with search, detail, exports. Scoped by visible_to only."""

import csv
from functools import wraps

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.audit import audit_people_from, audit_record
from accounts.models import AuditEvent
from accounts.ratelimit import rate_limited
from followup.summary import arrival_follow_up, followup_summary, with_isolation_state
from regions import hamlets
from regions.forms import HamletUploadForm
from regions.models import Region
from travellers.models import Arrival, TravelStop

from . import exports, listing
from .dashboard import PERIODS, overview_numbers
from .filters import ArrivalFilterForm, reach_regions, top_regions
from .paging import keyset_page, parse_cursor
from .regionmap import MEASURES, overview_map, shows_map
from .replica import use_replica
from .viewers import who_viewed


def denied(request, *, status=403, object_type="", object_id="", **detail):
    """Answer 403/404 and audit the attempt (returned, not raised, so ATOMIC_REQUESTS keeps the record)."""
    audit_record(
        request=request,
        action=AuditEvent.Action.DENIED,
        object_type=object_type or "url",
        object_id=object_id or request.resolver_match.view_name,
        detail={"path": request.path[:200], "status": status, **detail},
    )
    return render(request, f"{status}.html", status=status)


def permission_audited(perm):
    """Like permission_required(raise_exception=True), but each refusal is written to the audit log."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                return denied(request, permission=perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def scoped_arrivals(user):
    """The one entry point: the arrivals this user may see, with what lists show."""
    return Arrival.objects.visible_to(user).select_related("person", "checkpoint", "origin", "destination")


def crumbs(area, tops):
    """The drilled-into area's path below the user's own area(s), for the breadcrumb."""
    if area is None:
        return []
    level = min((r.level for r in tops), default=0)
    return [r for r in area.path() if r.level > level or (len(tops) > 1 and r.level == level)]


@require_GET
@permission_audited("accounts.view_arrivals")
def overview(request):
    """Arrivals bound for the user's area (or a sub-area of it): counts, breakdowns, 30-day chart."""
    tops = top_regions(request.user)
    area = None
    if request.GET.get("wilayah"):
        area = reach_regions(request.user).filter(code=request.GET["wilayah"][:20]).first()
    try:
        days = int(request.GET.get("hari", 14))
    except ValueError:
        days = 14
    days = days if days in PERIODS else 14
    measure = request.GET.get("peta") if request.GET.get("peta") in MEASURES else next(iter(MEASURES))
    arrivals = Arrival.objects.visible_to(request.user)
    if area is not None:
        arrivals = arrivals.bound_for(area)
    view = [area] if area is not None else tops
    with use_replica():
        numbers = overview_numbers(arrivals, area=area, tops=tops, days=days)
        followup = followup_summary(request.user, area=area)
        region_map = None
        if shows_map(view):
            region_map = overview_map(
                view=view,
                measure=measure,
                by_sub_area=numbers["by_sub_area"],
                followup=followup,
                since=numbers["since"],
                today=numbers["today"],
            )
    context = {
        **numbers,
        "area": area,
        "crumbs": crumbs(area, tops),
        "tops": tops,
        "days": days,
        "periods": PERIODS,
        "followup": followup,
        "map": region_map,
        "list_url": reverse("monitoring:arrival_list"),  # once, not in every row's link
    }
    return render(request, "monitoring/overview.html", context)


@require_GET
@permission_audited("accounts.view_arrivals")
@rate_limited("search", per_minute="SIPANTAU_RATE_LIMIT_SEARCH", when=lambda request: bool(request.GET.get("q")))
def arrival_list(request):
    """Arrivals bound for the user's area, filtered by the URL, newest first, keyset-paginated."""
    form = ArrivalFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "monitoring/arrival_list.html", {"form": form, "page": None}, status=400)
    filters = form.filters()
    arrivals = filters.apply(Arrival.objects.visible_to(request.user)).values(*listing.ROW_FIELDS)
    page = keyset_page(
        arrivals,
        after=parse_cursor(request.GET.get("setelah", "")),
        before=parse_cursor(request.GET.get("sebelum", "")),
    )
    if filters.text:
        audit_record(
            request=request,
            action=AuditEvent.Action.SEARCH,
            object_type="travellers.arrival",
            detail=filters.describe(),
        )
    context = {
        "form": form,
        "page": page,
        "arrivals": page.rows,
        "table": listing.arrivals_table(page.rows, request.user),
        "date_range": filters.date_range,
        "query": filters.urlencode(),
        "can_export": request.user.has_perm("accounts.export_arrivals"),
        "today": timezone.localdate(),
    }
    return render(request, "monitoring/arrival_list.html", context)


@require_GET
@permission_audited("accounts.view_arrivals")
def arrival_detail(request, pk):
    """One arrival with the traveller's full identity and their other arrivals within reach; audited."""
    arrivals = scoped_arrivals(request.user).prefetch_related(
        Prefetch("travel_stops", queryset=TravelStop.objects.select_related("region"))
    )
    arrival = arrivals.filter(pk=pk).first()
    if arrival is None:
        # Unknown and out-of-reach ids look the same to the user; only the log tells them apart.
        return denied(request, status=404, object_type="travellers.arrival", object_id=str(pk))
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        obj=arrival,
        detail={"person": arrival.person_id},
        people=[arrival.person_id],
    )
    history = list(arrivals.filter(person_id=arrival.person_id))
    viewers = None
    if request.user.has_perm("accounts.view_audit"):
        viewers = who_viewed(arrival.person_id, [a.pk for a in history])
    context = {
        "arrival": arrival,
        "person": arrival.person,
        "history": history,
        "identity_changes": arrival.person.changes.select_related("changed_by", "arrival__checkpoint"),
        "viewers": viewers,
        "followup": arrival_follow_up(request.user, arrival),
    }
    return render(request, "monitoring/arrival_detail.html", context)


@require_GET
@permission_audited("accounts.export_arrivals")
@rate_limited("export", per_minute="SIPANTAU_RATE_LIMIT_EXPORT")
def arrival_export(request, fmt):
    """The filtered list as CSV or XLSX, streamed, formula-safe, named after its filters; audited."""
    form = ArrivalFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "monitoring/arrival_list.html", {"form": form, "page": None}, status=400)
    filters = form.filters()
    arrivals = with_isolation_state(filters.apply(Arrival.objects.visible_to(request.user)), request.user)
    with use_replica():
        count = arrivals.count()
    filename = f"kedatangan_{filters.slug()}_{count}-baris.{fmt}"
    event = audit_record(
        request=request,
        action=AuditEvent.Action.EXPORT,
        object_type="travellers.arrival",
        detail={"format": fmt, "rows": count, "filters": filters.describe(), "file": filename},
    )
    # Everyone in the file, so each one's "who viewed" panel lists this export (one INSERT … SELECT).
    audit_people_from(event, filters.apply(Arrival.objects.visible_to(request.user)))
    if fmt == "xlsx":
        return exports.xlsx_response(exports.arrival_rows(arrivals), filename=filename, title=_("Kedatangan"))
    return exports.arrivals_csv_response(arrivals, filename=filename)


@permission_audited("accounts.manage_hamlets")
def hamlet_upload(request):
    """A village head's or regency task force's jorong/kampung list, loaded from a spreadsheet
    (?templat=1: the template); the hamlets already in the area are listed below."""
    if request.GET.get("templat"):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="templat-jorong-kampung.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 with it
        writer = csv.writer(response)
        writer.writerows([hamlets.HEADERS, *hamlets.EXAMPLE])
        return response
    form = HamletUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            rows = hamlets.read_sheet(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            reach = [region.code for region in top_regions(request.user)]
            report = hamlets.hamlets_load(rows=rows, reach=reach)
            audit_record(
                request=request,
                action=AuditEvent.Action.CHANGE,
                object_type="regions.region",
                detail={"added": report.added, "unchanged": report.unchanged, "failed": report.failed},
            )
    existing = (
        reach_regions(request.user)
        .current()
        .filter(level=Region.Level.HAMLET)
        .select_related("parent")
        .order_by("code")
    )
    context = {"form": form, "report": report, "hamlets": existing[:300], "total": existing.count()}
    status = 400 if request.method == "POST" and report is None else 200
    return render(request, "monitoring/hamlet_upload.html", context, status=status)
